"""How results look: one place that turns query results into table, json, csv, tsv or md.

json, csv and tsv follow the W3C SPARQL 1.1 result formats, so other tools read them as they read
any endpoint's answer; table and md are for people: IRIs shortened with the usual prefixes.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from .sparql import PREFIXES, Table

FORMATS = ("table", "json", "csv", "tsv", "md")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def short(term) -> str:
    """A term as a person reads it: `ukg:Establishment`, `id:body/wg-tip`, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in _BY_LENGTH:
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _clip(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def render_table(table: Table, max_width: int | None = 60) -> str:
    header = table.columns
    rows = [[_clip(short(t), max_width) for t in row] for row in table.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render_markdown(table: Table) -> str:
    def cell(term) -> str:
        return _clip(short(term), None).replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "|".join("---" for _ in table.columns) + "|"]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def render_json(table: Table) -> str:
    bindings = [{c: _json_term(t) for c, t in zip(table.columns, row) if t is not None} for row in table.rows]
    return json.dumps({"head": {"vars": table.columns}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def render_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_csv_value(t) for t in row] for row in table.rows)
    return buffer.getvalue()


def render_tsv(table: Table) -> str:
    lines = ["\t".join(f"?{c}" for c in table.columns)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in table.rows]
    return "\n".join(lines) + "\n"


def render(result, fmt: str = "table", max_width: int | None = 60) -> str:
    """Any query result in any of FORMATS. CONSTRUCT results are N-Triples whatever the format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(result, bool):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result}) + "\n"
        return ("true" if result else "false") + "\n"
    if isinstance(result, list):
        return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in result))
    return {"table": lambda t: render_table(t, max_width), "json": render_json, "csv": render_csv,
            "tsv": render_tsv, "md": render_markdown}[fmt](result)


def _document_line(ev, names: dict) -> str:
    """"para. 2 of the report of the Working Group on Trafficking in Persons, 26 November 2013,
    “Report on the meeting …”": the paragraph by number, the document by symbol (or kind and
    body) and date, then its title."""
    from .naming import Names, document_phrase

    fallback = short(ox.NamedNode(ev.document)) if ev.document else "a document not recorded"
    known = names.get(ev.document) or Names(ev.document or "", symbol=ev.symbol, label=ev.title)
    if ev.symbol and not known.symbol:
        known = Names(known.iri, known.label, ev.symbol, known.issued, known.document_kind)
    name = document_phrase(known, fallback)
    where = f"para. {ev.number}" if ev.number else short(ox.NamedNode(ev.paragraph))
    title = f", “{_clip(ev.title, 160)}”" if ev.title and f"“{ev.title}”" not in name else ""
    return f"{where} of {name}{title}"


def _adopted_line(step, names: dict) -> str:
    from .naming import meeting_phrase

    parts = []
    body = names.get(step.adopted_by) if step.adopted_by else None
    body_name = (body.label if body and body.label else short(ox.NamedNode(step.adopted_by))) if step.adopted_by else None
    if body_name:
        parts.append(f"adopted by the {body_name}" if not body_name.lower().startswith("the ") else f"adopted by {body_name}")
    if step.meeting:
        meeting = names.get(step.meeting)
        where = meeting_phrase(meeting, body.label if body else None) if meeting else short(ox.NamedNode(step.meeting))
        parts.append(f"at {where}" if parts else f"adopted at {where}")
        if step.date and step.date == step.meeting_date:
            # no document dates the act itself: the date shown is the day its session opened
            parts.append("(the act's own date is not stated; the date shown is the session's first day)")
    return " ".join(parts)


def render_lineage_text(lineage, quote_width: int = 1200, max_evidence: int | None = None) -> str:
    """The lineage as a researcher reads it: one step per act, each with the paragraphs behind it,
    bodies, sessions and documents by name; `max_evidence` paragraphs per step at most (None: all)."""
    import textwrap

    names = getattr(lineage, "names", {}) or {}
    lines = [f"Mandate lineage of {lineage.label} ({short(ox.NamedNode(lineage.body))})", ""]
    if not lineage.steps:
        lines.append("No establishing, continuing, extending, modifying or terminating act is recorded"
                     + ("." if getattr(lineage, "everything", True) else
                        "; --all also lists what acts asked of it, what it delivered and what drafts proposed."))
    for step in lineage.steps:
        act = f"{step.act_number}" if step.act_number else short(ox.NamedNode(step.act))
        kind = step.act.split("/")[-2] if step.act.count("/") >= 2 else "act"
        if step.event_type == "Proposal":
            draft = names.get(step.act)
            kind, act = "proposed in", (f"“{draft.label}”" if draft and draft.label else "a draft")
            step_iri = f"  ({short(ox.NamedNode(step.act))})"
            act += step_iri
        lines.append(f"{step.date or 'undated':<10}  {step.event_type:<13}  {kind} {act}  ({short(ox.NamedNode(step.act))})"
                     if step.act_number else f"{step.date or 'undated':<10}  {step.event_type:<13}  {kind} {act}")
        adopted = _adopted_line(step, names)
        if adopted:
            lines += textwrap.wrap(adopted, width=100, initial_indent=" " * 12, subsequent_indent=" " * 12)
        if step.kind and step.kind != "BodyMandate":
            due = ", ".join(x for x in (f"session {step.due_session}" if step.due_session else None, step.due_date) if x)
            lines.append(" " * 12 + f"{step.kind}" + (f", due {due}" if due else "")
                         + (f": {_clip(step.what, 160)}" if step.what else ""))
        shown = step.evidence if max_evidence is None else step.evidence[:max_evidence]
        for ev in shown:
            lines += textwrap.wrap(_document_line(ev, names), width=100, initial_indent=" " * 12,
                                   subsequent_indent=" " * 14)
            if ev.text:
                quote = _clip(ev.text, quote_width)
                lines += textwrap.wrap(f"“{quote}”", width=100, initial_indent=" " * 14,
                                       subsequent_indent=" " * 15)
        hidden = len(step.evidence) - len(shown)
        if hidden:
            lines.append(" " * 12 + f"… and {hidden} more paragraph{'s' if hidden != 1 else ''} "
                         "(--max-evidence 0 shows them all)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_stats(stats, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(stats.as_dict(), indent=1, ensure_ascii=False) + "\n"
    tables = [("Instances per class", stats.classes), ("Triples per named graph", stats.graphs)]
    if fmt == "md":
        body = "\n".join(f"## {title}\n\n{render_markdown(t)}" for title, t in tables)
    elif fmt == "table":
        body = "\n".join(f"{title}\n\n{render_table(t, None)}" for title, t in tables)
    else:
        raise ValueError(f"stats come as table, md or json, not {fmt!r}")
    return (f"{body}\nUnresolved mentions (ukg:UnresolvedMention): {stats.unresolved}\n"
            f"Triples in all graphs: {stats.triples} (named graph by named graph, as the build counts: "
            f"a fact several documents state counts once per document)\n"
            f"Triples in the merged default graph: {getattr(stats, 'merged', 0)} (each fact once, as the "
            f"endpoint and VoID count)\n")
