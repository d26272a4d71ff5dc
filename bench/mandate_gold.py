"""Score mandate events against the hand-read gold of `bench/gold/ga74_mandates.tsv`.

The gold names the holder as the resolution writes it ("Secretary-General", "ad hoc intergovernmental
committee of experts"); the loaders name it by a gazetteer slug, or by the slug they mint for a body
an act establishes, and keep the words as written. An event matches when the act's paragraph and the
event type agree and the holder agrees: the gold's words resolve to the loaders' slug, or one set of
words contains the other. Only the act's own events are scored (the gold reads nothing else); events
the loaders attribute to other acts (a recalled "decided to establish") are counted apart. For a
meeting an act convenes, the gold's holder is the meeting and the loaders' the convening body: there the
paragraph, the event type and the kind "meeting" must agree.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from loaders import gazetteer

GOLD = Path(__file__).resolve().parent / "gold" / "ga74_mandates.tsv"


@lru_cache(maxsize=1)
def gold_rows() -> dict[str, list[dict]]:
    """{act number: rows} of the hand-read gold."""
    out: dict[str, list[dict]] = {}
    with open(GOLD, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.setdefault(row["act"], []).append(row)
    return out


def _words(text: str | None) -> str:
    text = re.sub(r"^(?:the|its|his|her)\s+", "", (text or "").strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _holder_matches(gold_holder: str, slug: str, label: str | None) -> bool:
    # "Special Rapporteur of the Human Rights Council on torture …" is the reference data's "Special Rapporteur on …"
    ref = gazetteer.lookup(gold_holder) or gazetteer.lookup(
        re.sub(r"\s+of\s+the\s+Human\s+Rights\s+Council\s+(?=on\s)", " ", gold_holder))
    if ref is not None and ref.kind == "body" and ref.key == slug:
        return True
    g, p = _words(gold_holder), _words(label)
    if g and p and (g in p or p in g):
        return True
    record = gazetteer.bodies().get(slug)  # the gold's words inside one of the body's own names
    return bool(g and record and any(g in _words(name) for name in (record.label, *record.aliases)))


def score(act_number: str, events) -> tuple[set, set, set]:
    """(true positives, false positives, missed) for one act, as readable tuples."""
    rows = gold_rows().get(act_number, [])
    gold = [(r["paragraph"], r["event_type"], r["holder"]) for r in rows]
    gold_kind = {(r["paragraph"], r["event_type"], r["holder"]): r["mandate_kind"] for r in rows}
    predicted = [(e.act_paragraph or e.evidence.paragraph, e.event_type, e.holder, e.holder_label, e.kind)
                 for e in events]
    unmatched_gold = list(gold)
    tp, fp = set(), set()
    for para, etype, slug, label, kind in predicted:
        # a meeting convened: the gold names the meeting, the loaders the body that convenes it
        hit = next((g for g in unmatched_gold if g[0] == para and g[1] == etype and (
            _holder_matches(g[2], slug, label) or (kind == "meeting" and gold_kind[g] == "meeting"))), None)
        if hit is not None:
            unmatched_gold.remove(hit)
            tp.add((para, etype, hit[2]))
        else:
            fp.add((para, etype, slug))
    return tp, fp, set(unmatched_gold)
