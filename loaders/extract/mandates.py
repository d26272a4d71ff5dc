"""Mandate events: which act established, continued, extended, modified or ended which body's mandate,
what it requested of whom, and which reports were made pursuant to it.

Read from the way UN documents report acts: "In its decision 4/4, the Conference … decided to establish
an open-ended interim working group …", "the Conference decided that the mandates for the Working Group …
should be continued", "decided that the working group should hold at least one intersessional meeting",
"The present report has been prepared pursuant to resolution 5/2". A sentence without an act takes the
act of the sentence before only when its subject is that act's own body ("The Conference further
decided …") or it says "In that resolution". A draft's paragraphs are never read here: a draft proposes.
"""

from __future__ import annotations

import re

from .. import gazetteer
from ..facts import ActKey, MandateEvent, PreparedPursuantTo
from ..structure import Paragraph
from .context import WORKING_GROUP_FOR_INSTRUMENT, Context
from .references import find_act_mentions
from .sentences import sentences

_GROUP = r"(?:the|this|that)\s+(?:[A-Z][\w.\-]*(?:\s+(?:[A-Z][\w.\-]*|of|on|in|for|the|and|to|against))*|working\s+group)"
# "an open-ended interim working group on the smuggling of migrants" names the Working Group on the Smuggling of Migrants
_MODIFIERS = re.compile(r"^(?:(?:an?|the|open-ended|interim)\s+)+", re.I)  # not "expert", "intergovernmental": another kind of group
_TRAILING_CONNECTIVES = re.compile(r"(?:\s+(?:of|on|in|for|the|and|to|against))+$")

# (event type, pattern); `what` names the body whose mandate it is
_EVENT_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("Establishment", re.compile(
        r"\b(?:decided|[Dd]ecides)\s+to\s+establish\s+(?P<what>(?:an?\s+)?(?:open-ended\s+)?(?:interim\s+)?(?:intergovernmental\s+)?"
        r"(?:expert\s+)?working\s+group(?:\s+on\s+[a-z][\w\s-]*)?)(?=[,.;]|$)")),
    ("Continuation", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+that\s+the\s+mandates?\s+(?:for|of)\s+(?P<what>{_GROUP})\s+(?:should|shall)\s+be\s+(?:continued|renewed)")),
    ("Continuation", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+that\s+(?P<what>{_GROUP})\s+(?:should|shall)\s+continue\s+(?:to\s+perform|its\s+work|to\s+carry\s+out)")),
    ("Continuation", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+that\s+(?P<what>{_GROUP})\s+(?:should|shall)\s+(?:hold|convene)\s+(?:at\s+least\s+one|an?|one|two|further)\s+"
        r"(?:more\s+)?(?:intersessional\s+)?meetings?")),
    ("Continuation", re.compile(rf"\b(?:decided|[Dd]ecides)\s+to\s+continue\s+(?:the\s+work\s+of\s+)?(?P<what>{_GROUP})")),
    ("Extension", re.compile(rf"\b(?:decided|[Dd]ecides)\s+to\s+extend\s+the\s+mandate\s+of\s+(?P<what>{_GROUP})")),
    ("Extension", re.compile(rf"\b(?:decided|[Dd]ecides)\s+that\s+the\s+mandate\s+of\s+(?P<what>{_GROUP})\s+(?:should|shall)\s+be\s+extended")),
    ("Modification", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+to\s+(?:expand|broaden|modify|amend|revise)\s+the\s+mandate\s+of\s+(?P<what>{_GROUP})")),
    ("Termination", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+to\s+(?:terminate|discontinue|dissolve|abolish)\s+(?:the\s+mandate\s+of\s+)?(?P<what>{_GROUP})")),
    ("Request", re.compile(
        rf"\b(?:decided|[Dd]ecides)\s+that\s+(?P<what>{_GROUP})\s+should\s+(?:(?:hold|convene)\b[^;.]*?\band\s+)?"
        r"(?:present|submit|report|prepare|make)\b")),
    ("Request", re.compile(
        r"\b(?:requested|[Rr]equests)\s+(?P<what>the\s+Secretariat|the\s+Executive\s+Director|the\s+Secretary-General|"
        r"the\s+United\s+Nations\s+Office\s+on\s+Drugs\s+and\s+Crime|UNODC|the\s+Working\s+Group|the\s+working\s+group|"
        r"the\s+Commission\s+on\s+Crime\s+Prevention\s+and\s+Criminal\s+Justice|the\s+Conference(?:\s+of\s+the\s+Parties)?)"
        r"(?:\s*,[^,]{1,120},)?\s+to\b")),
]
_CARRY_SUBJECT = re.compile(r"^(?:In\s+(?:that|the\s+same)\s+(?:resolution|decision),\s*)?(?P<subject>The\s+\w+(?:\s+\w+){0,6}?)\s+"
                            r"(?:further|also|then|moreover)?\s*(?:decided|requested|welcomed|acknowledged|noted)\b")
_IN_THAT = re.compile(r"^In\s+(?:that|the\s+same)\s+(?:resolution|decision)\b")
_PURSUANT = re.compile(r"\b(?:prepared|submitted|issued)\s+pursuant\s+to\s+")


def _holder(ctx: Context, what: str, sentence: str) -> str | None:
    """The body whose mandate a clause is about; None unless exactly one body fits."""
    what = _TRAILING_CONNECTIVES.sub("", what)
    bodies = [ref for ref, _, _ in ctx.entities(what, ("body",))]
    if bodies:
        return bodies[0].key
    ref = gazetteer.lookup(what) or gazetteer.lookup(_MODIFIERS.sub("", what))
    if ref and ref.kind == "body":
        return ref.key
    if re.search(r"working\s+group", what, re.I):
        # "an open-ended interim working group … with regard to the Trafficking in Persons Protocol"
        instruments = {r.key for r, _, _ in ctx.entities(sentence, ("instrument",))} - {"untoc"}
        groups = {WORKING_GROUP_FOR_INSTRUMENT[i] for i in instruments if i in WORKING_GROUP_FOR_INSTRUMENT}
        if len(groups) == 1 and re.search(r"(?:with\s+regard\s+to|on|for)\s+the\s+", sentence[sentence.find(what):]):
            return groups.pop()
    return None


def mandate_events(ctx: Context, paragraphs: list[Paragraph],
                   own_act: ActKey | None = None) -> tuple[list[MandateEvent], list[PreparedPursuantTo]]:
    events: list[MandateEvent] = []
    pursuant: list[PreparedPursuantTo] = []
    if ctx.info.kind and ctx.info.kind.startswith("draft"):
        return events, pursuant
    for para in paragraphs:
        last_act: tuple[ActKey, int] | None = None
        for s_start, s_end in sentences(para.text):
            sentence = para.text[s_start:s_end]
            mentions, _ = find_act_mentions(ctx, sentence)
            # a report made pursuant to an act
            for pm in _PURSUANT.finditer(sentence):
                after = [m for m in mentions if m.start >= pm.end() and m.start - pm.end() <= 2]
                if after:
                    act = after[0].key
                    ev = ctx.evidence(para, s_start, s_end)
                    pursuant.append(PreparedPursuantTo(act, ev))
                    if ctx.author and re.search(r"\b(?:present|this)\s+(?:report|note|paper|document)\b", sentence[:pm.start()]):
                        events.append(MandateEvent(ctx.author, "Fulfilment", act, ev, "report made pursuant to the act"))
            act_here = mentions[0].key if mentions else None
            anchor = s_start
            if para.kind in ("operative", "subparagraph") and (own_act is not None or para.act is not None):
                # an act's own operative part: whatever it cites, it is this act that decides
                act_here = own_act if para.act is None or ctx.act_body is None else \
                    ActKey(ctx.act_body, para.act[0], para.act[1])
            if act_here is None and last_act is not None:
                carry = _CARRY_SUBJECT.match(sentence)
                subject = ctx.resolve(carry.group("subject")) if carry else None
                if (carry and subject and subject.kind == "body" and subject.key == last_act[0].body) or _IN_THAT.match(sentence):
                    act_here, anchor = last_act
            if mentions:
                last_act = (mentions[-1].key, s_start)
            if act_here is None:
                continue
            for event_type, pattern in _EVENT_PATTERNS:
                for m in pattern.finditer(sentence):
                    if re.search(r"\bwhether\s*$", sentence[max(0, m.start() - 12):m.start()]):
                        continue
                    holder = _holder(ctx, m.group("what"), sentence)
                    if holder is None:
                        continue
                    description = sentence[m.start():].split(";")[0].rstrip(". ")
                    events.append(MandateEvent(holder, event_type, act_here,
                                               ctx.evidence(para, min(anchor, s_start), s_end), description))
    return events, pursuant
