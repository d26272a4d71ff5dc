"""Score the text loaders against the facts the UN's own markup states (the development set).

Each AKN4UN resolution is rendered as text in a user's layout (`loaders.akn_render`), the text goes
through the loaders exactly as `untoc-kg build` reads a file (`loaders.pipeline.load` on a file), and
what they find is compared with what the markup says, kind by kind:

- own act: (body, kind, number, adoption date) of the act the document is the text of;
- header: the document's symbol, agenda item, issue date and title;
- act references: (body, kind, number) per document; gold are the links whose target is an act;
- document references: symbols per document; gold are the links whose target is another document;
- paragraphs: preambular ("pp3") and operative ("5", "5 (a)", "2 (a) (i)") paragraph identities;
- operative verbs and preambular verbs: (paragraph, verb) as the markup's opening italic span gives it,
  compared case-insensitively.

A reference the loaders find whose number (or symbol) the markup never links cannot be judged from
the markup: when those words do occur in the text it is "unverified" (likely right, unlinked by the
editors: "Commission ... resolution 22/8"); it counts against precision in the strict figure and is
left out of the lenient one. A predicted number that occurs nowhere in the text is a plain error.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from loaders.akn import Resolution
from loaders.akn_render import render
from loaders.errors import LoadError
from loaders.pipeline import load

KINDS = ("own act", "header", "act refs", "doc refs", "paragraphs", "operative verbs", "preambular verbs",
         "mandate events")
REFERENCE_KINDS = ("act refs", "doc refs")


@dataclass
class Outcome:
    """One document's comparison for one kind of fact."""

    tp: set = field(default_factory=set)
    fp: set = field(default_factory=set)
    fn: set = field(default_factory=set)
    unverified: set = field(default_factory=set)  # part of fp


@dataclass
class Tally:
    """Counts summed over documents, with a few examples of each error pattern."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    unverified: int = 0
    docs: int = 0
    patterns: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def add(self, outcome: Outcome, kind: str, source: str) -> None:
        self.docs += 1
        self.tp += len(outcome.tp)
        self.fp += len(outcome.fp)
        self.fn += len(outcome.fn)
        self.unverified += len(outcome.unverified)
        for what, items in (("missed", outcome.fn), ("wrong", outcome.fp - outcome.unverified),
                            ("unverified", outcome.unverified)):
            for item in sorted(items, key=repr):
                pattern = f"{what}: {error_pattern(kind, item)}"
                self.patterns[pattern] += 1
                self.examples.setdefault(pattern, []).append(f"{source}: {item!r}")

    def merge(self, other: "Tally") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.unverified += other.unverified
        self.docs += other.docs
        self.patterns.update(other.patterns)
        for k, v in other.examples.items():
            self.examples.setdefault(k, []).extend(v)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def lenient_precision(self) -> float | None:
        judged = self.tp + self.fp - self.unverified
        return self.tp / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


# ---------------------------------------------------------------------------------------------
# Gold facts, read off the markup


def paragraph_keys(res: Resolution) -> list[tuple[str, str]]:
    """(key, verb) for every paragraph in the text loaders' keys: "pp1"..., "1", "5 (a)"."""
    out: list[tuple[str, str]] = []
    pp = 0
    for clause in res.clauses():
        if clause.kind == "preambular":
            pp += 1
            out.append((f"pp{pp}", clause.verb or ""))
        else:
            out.append((clause.number or "", clause.verb or ""))
    return out


def gold_facts(res: Resolution) -> dict[str, set]:
    keys = paragraph_keys(res)
    header = {("symbol", res.symbol), ("issued", res.publication), ("title", _squash(res.title))}
    if res.cover.agenda_item:
        header.add(("agenda item", res.cover.agenda_item))
    return {
        "own act": {(res.body, res.kind, res.number, res.adoption)},
        "header": header,
        "act refs": {(l.act.body, l.act.kind, l.act.number) for l in res.links if l.act and l.act != res.act},
        # a joint document of two organs ("A/74/62-E/2019/6") carries both symbols; the loaders give each
        "doc refs": {part for l in res.links if l.document for part in re.split(r"-(?=[A-Z]{1,8}/)", l.document)},
        "paragraphs": {k for k, _ in keys},
        "operative verbs": {(k, v.lower()) for k, v in keys if v and not k.startswith("pp")},
        "preambular verbs": {(k, v.lower()) for k, v in keys if v and k.startswith("pp")},
    }


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip().rstrip(".")


# ---------------------------------------------------------------------------------------------
# Predicted facts, from the loaders


def predicted_facts(loaded) -> dict[str, set]:
    facts, structure = loaded.facts, loaded.structure
    own = set()
    if facts.own_act is not None:
        when = next((a.date for a in facts.acts if a.key == facts.own_act and a.date), None)
        own.add((facts.own_act.body, facts.own_act.kind, facts.own_act.number, when))
    info = facts.document
    header = {("symbol", info.symbol), ("issued", info.issued), ("title", _squash(info.title))}
    if info.agenda_item:
        header.add(("agenda item", info.agenda_item))
    header = {h for h in header if h[1]}
    paragraphs = {p.key for p in structure.paragraphs
                  if p.kind in ("preambular", "operative", "numbered", "subparagraph")}
    return {
        "own act": own,
        "header": header,
        "act refs": {(r.act.body, r.act.kind, r.act.number) for r in facts.act_references
                     if r.act != facts.own_act},
        "doc refs": {r.symbol.upper() for r in facts.document_references},
        "paragraphs": paragraphs,
        "operative verbs": {(c.paragraph, c.verb.lower()) for c in facts.clause_verbs if c.operative},
        "preambular verbs": {(c.paragraph, c.verb.lower()) for c in facts.clause_verbs if not c.operative},
    }


# ---------------------------------------------------------------------------------------------
# Comparison


def _all_text(res: Resolution) -> str:
    c = res.cover
    pieces = [res.title, c.proponent or "", c.agenda_item_title or ""]
    pieces += [cl.text for cl in res.clauses()] + [t for cl in res.clauses() for _, t in cl.items]
    pieces += [f.text for f in res.footnotes]
    return "\n".join(pieces)


def _mentioned(needle: str, text: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(needle)}(?![\w/])", text, re.I) is not None


def readable(gold: dict[str, set], rendered: str) -> dict[str, set]:
    """The gold references a reader of `rendered` can find: a web copy that drops its footnotes drops
    what they cite, and no reader can be asked for a reference that is not in the text it was given."""
    out = dict(gold)
    flat = " ".join(rendered.split())
    out["act refs"] = {x for x in gold["act refs"] if _mentioned(x[2].split(" (")[0], flat)}
    out["doc refs"] = {x for x in gold["doc refs"] if _mentioned(x, flat)}
    return out


def compare(res: Resolution, gold: dict[str, set], predicted: dict[str, set]) -> dict[str, Outcome]:
    text = _all_text(res)
    linked_numbers = {l.act.number for l in res.links if l.act}
    linked_symbols = {l.document for l in res.links if l.document}
    out: dict[str, Outcome] = {}
    for kind in KINDS:
        if kind not in gold:
            continue
        g, p = gold[kind], predicted.get(kind, set())
        o = Outcome(tp=g & p, fp=p - g, fn=g - p)
        if kind == "act refs":
            o.unverified = {x for x in o.fp if x[2] not in linked_numbers and _mentioned(x[2], text)}
        elif kind == "doc refs":
            o.unverified = {x for x in o.fp if x not in linked_symbols and _mentioned(x, text)}
        out[kind] = o
    return out


def error_pattern(kind: str, item) -> str:
    """A coarse signature of an error, so that errors of one cause are counted together."""
    if kind == "load":
        return str(item)
    if kind == "own act":
        return "own act " + ("without date" if item[3] is None else "with date")
    if kind == "header":
        return f"header {item[0]}"
    if kind == "act refs":
        return f"{item[0]} {item[1]}"
    if kind == "doc refs":
        series = re.match(r"^([A-Z]+)(?:/([A-Z0-9.]+))?", item or "")
        tail = "corr/add/rev" if re.search(r"/(?:CORR|ADD|REV)\.", item or "") else ""
        return " ".join(x for x in (series.group(1) if series else "?", tail) if x)
    if kind == "paragraphs":
        return _key_shape(item)
    if kind == "mandate events":
        return f"{item[1]} ({item[2] if len(item) > 2 else ''})"
    if kind in ("operative verbs", "preambular verbs"):
        return f"{_key_shape(item[0])} verb '{item[1]}'"
    return kind


def _key_shape(key: str) -> str:
    if key.startswith("pp"):
        return "preambular"
    depth = key.count("(")
    return ("operative", "sub-paragraph", "sub-sub-paragraph")[min(depth, 2)] if key[:1].isdigit() else f"other {key[:2]}"


# ---------------------------------------------------------------------------------------------
# One file, every layout


def _mandate_outcome(res: Resolution, loaded) -> Outcome:
    """The act's own mandate events against the hand-read gold (empty for an act the gold does not read)."""
    from mandate_gold import gold_rows, score

    if res.number not in gold_rows():
        return Outcome()
    own = loaded.facts.own_act
    events = [e for e in loaded.facts.mandate_events if own is not None and e.act == own]
    tp, fp, fn = score(res.number, events)
    return Outcome(tp=tp, fp=fp, fn=fn)


def evaluate(res: Resolution, layouts: tuple[str, ...], workdir: Path) -> dict[str, dict[str, Outcome]]:
    """{layout: {kind: Outcome}} for one resolution: rendered, loaded from a file, compared."""
    gold = gold_facts(res)
    results: dict[str, dict[str, Outcome]] = {}
    stem = Path(res.source).stem
    for layout in layouts:
        path = workdir / f"{stem}.{layout}.txt"
        rendered = render(res, layout, res.source)
        path.write_text(rendered, encoding="utf-8")
        try:
            loaded = load(path)
        except LoadError as exc:
            results[layout] = {k: Outcome(fn=set(gold.get(k, ()))) for k in KINDS}
            results[layout]["load"] = Outcome(fp={f"{exc.stage}: {exc.reason[:80]}"})
            continue
        finally:
            path.unlink(missing_ok=True)
        results[layout] = compare(res, readable(gold, rendered), predicted_facts(loaded))
        results[layout]["mandate events"] = _mandate_outcome(res, loaded)
    return results


def evaluate_bytes(name: str, data: bytes, layouts: tuple[str, ...]) -> dict[str, dict[str, Outcome]]:
    from loaders.akn import parse_resolution

    res = parse_resolution(data, name)
    with tempfile.TemporaryDirectory(prefix="akn-eval-") as tmp:
        return evaluate(res, layouts, Path(tmp))
