"""Ratifications and accessions the text states (State, instrument, year), and counts of parties.

"… has increased to 150, with Greece, Haiti, India, Micronesia (Federated States of) and Morocco
having ratified the Protocol in 2011 and Burundi, Ethiopia and Viet Nam having ratified it in 2012."
The consent type is left open: Secretariat reports say "ratified" of States that acceded, so the
word is not evidence of the legal form; the Treaty Collection is.
"""

from __future__ import annotations

import re

from ..facts import PartyCount, Ratification
from ..structure import Paragraph
from .context import Context

_ACT = re.compile(r"\bhaving\s+(?:ratified|acceded\s+to|ratified\s+or\s+acceded\s+to)\s+(?P<what>it|them|the\s+\w+(?:\s+\w+){0,6}?)\s+in\s+(?P<year>\d{4})\b")
_COUNT = re.compile(r"\bnumber\s+of\s+(?:States\s+)?parties\s+to\s+the\s+(?P<what>.+?)\s+(?:has\s+)?(?:increased|risen|grown|stood|stands|reached)\s+(?:to|at)\s+(?P<n>\d{1,3})\b")


def ratifications(ctx: Context, paragraphs: list[Paragraph]):
    out: list[Ratification] = []
    counts: list[PartyCount] = []
    for para in paragraphs:
        text = para.text
        last_instrument = None
        for cm in _COUNT.finditer(text) if "parties" in text and "number" in text else ():  # the pattern's own words
            ref = ctx.resolve("the " + cm.group("what"))
            if ref and ref.kind == "instrument":
                last_instrument = ref.key
                since = re.search(r"\bSince\s+([A-Z]\w+\s+\d{4})", text[:cm.start()])
                counts.append(PartyCount(ref.key, int(cm.group("n")), ctx.evidence(para, cm.start(), cm.end()),
                                         since.group(1) if since else None))
        segment_start = 0
        for m in _ACT.finditer(text) if "having" in text else ():
            what = m.group("what")
            if what in ("it", "them"):
                instrument = last_instrument
            else:
                ref = ctx.resolve(what)
                instrument = ref.key if ref and ref.kind == "instrument" else None
            if instrument is None:
                segment_start = m.end()
                continue
            last_instrument = instrument
            # the States are those listed since the previous clause
            lead = text[segment_start:m.start()]
            boundary = max(lead.rfind(", with "), lead.rfind(" with "))
            offset = segment_start + (boundary + 6 if boundary != -1 else 0)
            if boundary == -1:
                and_pos = re.search(r"\s+and\s+(?=[A-Z])", lead)
                offset = segment_start + (and_pos.end() if and_pos and segment_start else 0)
            for ref, a, b in ctx.entities_in(text, offset, m.start(), ("state",)):
                out.append(Ratification(ref.key, instrument, int(m.group("year")), None,
                                        ctx.evidence(para, offset + a, m.end())))
            segment_start = m.end()
    return out, counts
