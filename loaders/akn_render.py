"""Render a resolution read from its markup as plain text, in the layouts users' copies come in.

The text loaders are written for text, and users bring text: a PDF's extracted text, a Word or HTML
copy, a web page pasted into a file. Rendering the markup in each of those layouts gives texts whose
every fact is known (the markup states it), so the loaders can be measured on the layouts they will
meet, not only on the few seed files. Each layout imitates what its converter really produces:

- "pdf": cover lines one after another, body lines wrapped at 85-95 columns, paragraphs apart by a
  blank line, superscript footnote calls, footnotes at the foot of the page they are called on, a job
  number on the first page, page numbers, and the symbol and title repeated atop later pages;
- "pdf-dense": the same without any blank line (some extractors drop them);
- "word": one paragraph per line, a blank line between paragraphs, `^{1}` calls, footnotes at the end;
- "web": the cover on one line, operative paragraphs run together three to a line, footnote calls as
  plain digits glued to the word or dropped.

Output is deterministic: the few choices a converter makes differently (line width, whether calls
survive) are keyed on the file's name, never random.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from datetime import date

from .akn import Clause, Resolution

__all__ = ["LAYOUTS", "render"]

LAYOUTS = ("pdf", "word", "web")
ALL_LAYOUTS = LAYOUTS + ("pdf-dense",)

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PAGE_LINES = 50


def _choice(name: str, salt: str, n: int) -> int:
    """A stable pick in range(n) for this file: the same file always renders the same way."""
    digest = hashlib.sha256(f"{salt}:{name}".encode("utf-8")).digest()
    return digest[0] % n


def _long_date(d: date | None) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}" if d else ""


def _with_calls(clause: Clause, mark) -> str:
    """The clause's words with each footnote call put back where it stood, as `mark(marker)` gives it."""
    text = clause.text
    out, last = [], 0
    for marker, pos in sorted(clause.calls, key=lambda c: c[1]):
        out.append(text[last:pos])
        out.append(mark(marker))
        last = pos
    out.append(text[last:])
    return "".join(out)


def _label(clause: Clause) -> str:
    """The number as printed: "1.", "(a)", "(i)"."""
    if clause.kind == "operative":
        return f"{clause.number}."
    return clause.number.rsplit(" ", 1)[-1] if clause.number else ""


@dataclass
class _Block:
    """One printed paragraph: its words (calls in place) and the footnotes it calls."""

    text: str
    calls: tuple[str, ...] = ()
    gap_before: bool = True


def _blocks(res: Resolution, mark) -> list[_Block]:
    """The body as printed, in reading order: title, chapeau, preamble (with list items), operative part."""
    blocks: list[_Block] = []
    title_calls = tuple(f.marker for f in res.footnotes if f.called_in == "preface")
    blocks.append(_Block(f"{res.number}. {res.title}" + "".join(mark(m) for m in title_calls), title_calls))
    parts = dict(res.parts)
    current_part: str | None = None
    chapeau_done = False
    for clause in res.clauses():
        if clause.part and clause.part != current_part:
            current_part = clause.part
            blocks.append(_Block(clause.part))
            blocks.append(_Block(parts.get(clause.part, ""), gap_before=False))
            chapeau_done = False
        if not chapeau_done:
            blocks.append(_Block("The General Assembly,"))
            chapeau_done = True
        if clause.heading:
            blocks.append(_Block(clause.heading))
        words = _with_calls(clause, mark)
        if clause.kind != "preambular":
            words = f"{_label(clause)} {words}"
        blocks.append(_Block(words, clause.footnotes))
        for marker, item in clause.items:
            blocks.append(_Block(f"{marker} {item}"))
    return blocks


def _conclusion(res: Resolution) -> str:
    meeting = res.cover.plenary_meeting or ""
    when = _long_date(res.cover.meeting_date or res.adoption)
    return "  ".join(x for x in (meeting, when) if x)


def _cover_lines(res: Resolution) -> list[str]:
    c = res.cover
    lines = [f"United Nations  {c.cover_symbol or res.symbol}",
             f"General Assembly  {c.distribution or 'Distr.: General'}",
             _long_date(res.publication),
             c.session or ""]
    if c.agenda_item:
        lines.append(f"Agenda item{'s' if ' and ' in c.agenda_item or ',' in c.agenda_item else ''} {c.agenda_item}")
        if c.agenda_item_title:
            lines.append(c.agenda_item_title)
    lines.append(c.adopted_line or f"Resolution adopted by the General Assembly on {_long_date(res.adoption)}")
    if c.proponent:
        lines.append(c.proponent)
    return [line for line in lines if line]


def _footnote_text(res: Resolution) -> dict[str, str]:
    return {f.marker: f.text for f in res.footnotes}


# ---------------------------------------------------------------------------------------------
# The layouts


def _render_pdf(res: Resolution, name: str, dense: bool = False, running_heads: bool = True) -> str:
    width = 85 + _choice(name, "width", 11)
    notes = _footnote_text(res)
    pages: list[list[str]] = []
    page: list[str] = []
    pending: list[str] = []  # footnotes called on this page

    def close_page(last: bool = False) -> None:
        nonlocal page, pending
        if pending:
            if not dense:
                page.append("")
            for marker in pending:
                note = textwrap.wrap(f"{marker} {notes.get(marker, '')}", width, break_long_words=False,
                                     break_on_hyphens=False)
                page.extend(note)
        if running_heads:
            page.append((res.cover.job_number or "") if not pages else f"{len(pages) + 1}")
        pages.append(page)
        page, pending = [], []
        if not last and running_heads:
            page.extend([res.symbol, res.title])
            if not dense:
                page.append("")

    page.extend(_cover_lines(res))
    for block in _blocks(res, lambda m: m.translate(_SUPERSCRIPT)):
        if block.gap_before and not dense:
            page.append("")
        for line in textwrap.wrap(block.text, width, break_long_words=False, break_on_hyphens=False) or [""]:
            if len(page) + len(pending) >= _PAGE_LINES:
                close_page()
            page.append(line)
        pending.extend(m for m in block.calls if m in notes and m not in pending)
    if not dense:
        page.append("")
    page.append(_conclusion(res))
    close_page(last=True)
    total = len(pages)
    text_pages = []
    for i, lines in enumerate(pages):
        if running_heads and i:
            lines[-1] = f"{i + 1}/{total}"  # page numbers know the page count only at the end
        text_pages.append("\n".join(lines))
    return "\n".join(text_pages).rstrip("\n") + "\n"


def _render_word(res: Resolution, name: str) -> str:
    notes = _footnote_text(res)
    paras = ["\n".join(_cover_lines(res))]
    paras += [b.text for b in _blocks(res, lambda m: f"^{{{m}}}")]
    paras.append(_conclusion(res))
    if notes:
        paras.append("\n".join(f"^{{{m}}} {t}" for m, t in notes.items()))
    return "\n\n".join(paras) + "\n"


def _render_web(res: Resolution, name: str) -> str:
    keep_calls = _choice(name, "calls", 2) == 0
    notes = _footnote_text(res)
    mark = (lambda m: m) if keep_calls else (lambda m: "")
    lines = [" ".join(_cover_lines(res))]
    run: list[str] = []
    for block in _blocks(res, mark):
        starts_operative = block.text[:1].isdigit() and not block.text.startswith(res.number)
        in_run = starts_operative or (run and block.text.startswith("("))
        if in_run:
            run.append(block.text)
            if len(run) == 3:
                lines.append(" ".join(run))
                run = []
            continue
        if run:
            lines.append(" ".join(run))
            run = []
        lines.append(block.text)
    if run:
        lines.append(" ".join(run))
    lines.append(_conclusion(res))
    if keep_calls and notes:
        lines.append("")
        lines.extend(f"{m} {t}" for m, t in notes.items())
    return "\n".join(lines) + "\n"


def render(res: Resolution, layout: str, name: str | None = None) -> str:
    """`res` as text in `layout` ("pdf", "pdf-dense", "word" or "web"); `name` keys the stable choices."""
    name = name or res.source
    if layout == "pdf":
        return _render_pdf(res, name)
    if layout == "pdf-dense":
        return _render_pdf(res, name, dense=True)
    if layout == "word":
        return _render_word(res, name)
    if layout == "web":
        return _render_web(res, name)
    raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(ALL_LAYOUTS)}")
