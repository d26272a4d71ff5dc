"""What a document is about, so that its short names can be resolved the way its drafters meant them.

UN drafting defines a short name once and then uses it: "the Conference", "the Working Group", "the
Protocol", "the Secretariat". Those are resolved here from the document's own header and title, and
only when exactly one candidate fits; otherwise they stay unresolved rather than guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .. import gazetteer
from ..facts import ActKey, DocumentInfo, EntityRef, Evidence, MeetingKey, UnresolvedMention
from ..structure import Document, Paragraph
from .sentences import sentences

# A working group's mandate is defined by the instrument it serves.
WORKING_GROUP_FOR_INSTRUMENT = {
    "tip-protocol": "wg-tip",
    "som-protocol": "wg-som",
    "firearms-protocol": "wg-firearms",
}
# Whose document a symbol series is, when the header does not name the body: the longest prefix wins.
SERIES_BODY = {
    "A/": "ga", "A/RES/": "ga", "A/HRC/": "hrc", "E/": "ecosoc", "E/RES/": "ecosoc", "E/CN.15/": "ccpcj",
    "E/CN.7/": "cnd", "E/CN.6/": "csw", "S/": "unsc", "CTOC/COP/": "untoc-cop", "CAC/COSP/": "uncac-cosp",
}
CONFERENCE_FAMILY = {"untoc-cop", "wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta", "untoc-cop-bureau"}


@dataclass
class Context:
    doc: Document
    info: DocumentInfo
    issuing_body: str | None = None
    working_group: str | None = None
    protocol: str | None = None
    meeting: MeetingKey | None = None
    author: str | None = None  # "Report of the Secretariat" -> cop-secretariat
    named_bodies: tuple[str, ...] = ()  # bodies the document names in full, in order of first mention
    unresolved: list[UnresolvedMention] = field(default_factory=list)
    _memo: dict = field(default_factory=dict, repr=False)  # extractors scan the same sentences again
    # a paragraph's sentences and a text's act mentions, computed once for all the extractors that read them
    _sentences: dict = field(default_factory=dict, repr=False)
    _acts: dict = field(default_factory=dict, repr=False)
    _contextual: dict = field(default_factory=dict, repr=False)  # a text's short names (contextual_mentions)
    _has_words: dict = field(default_factory=dict, repr=False)  # whether a text holds CONTEXTUAL_WORDS

    def sentences(self, text: str) -> tuple[tuple[int, int], ...]:
        """`sentences(text)`, split once per text however many extractors read it."""
        spans = self._sentences.get(text)
        if spans is None:
            spans = self._sentences[text] = tuple(sentences(text))
        return spans

    # -- evidence -----------------------------------------------------------------------------
    def evidence(self, para: Paragraph, a: int = 0, b: int | None = None) -> Evidence:
        b = len(para.text) if b is None else b
        start, end = para.source_span(a, b)
        return Evidence(para.key, start, end, para.text[a:b])

    # -- short names --------------------------------------------------------------------------
    @property
    def act_body(self) -> str | None:
        """The body whose acts a bare "decision 4/4" names in this document."""
        if self.issuing_body in CONFERENCE_FAMILY:
            return "untoc-cop"
        return self.issuing_body

    def contextual(self, phrase: str) -> EntityRef | None:
        """Resolve "the Conference", "the Working Group", "this working group", "the Protocol"..."""
        p = _bare(phrase)
        if p in ("conference", "conference of the parties") and self.act_body == "untoc-cop":
            return EntityRef("body", "untoc-cop")
        if p in ("working group", "group") and self.working_group:
            return EntityRef("body", self.working_group)
        if p == "protocol" and self.protocol:
            return EntityRef("instrument", self.protocol)
        if p in ("convention", "organized crime convention") and self.act_body == "untoc-cop":
            return EntityRef("instrument", "untoc")
        if p == "secretariat" and self.act_body == "untoc-cop":
            return EntityRef("body", "cop-secretariat")
        if p == "secretariat" and self.act_body == "ga":
            return EntityRef("body", "un-secretariat")  # in the General Assembly's acts, the United Nations Secretariat
        if p == "office" and self.act_body == "untoc-cop":
            return EntityRef("body", "unodc")
        if p in SHORT_HEADS:
            # UN drafting names a body in full once, then "the Commission": the one body of that kind the
            # document named, or the act's own body when the word is its own ("the Council" in ECOSOC's text)
            if self.act_body and _KIND_OF_OWN.get(self.act_body) == p:
                return EntityRef("body", self.act_body)
            fits = [slug for slug in self.named_bodies if _has_head(slug, p)]
            if len(fits) == 1:
                return EntityRef("body", fits[0])
        return None

    def antecedent(self, phrase: str, before: str) -> EntityRef | None:
        """ "the Office" where the document names several offices: the one body with that head the same
        paragraph has named before it ("the efforts made by the United Nations Office on Drugs and Crime …,
        and requests the Office to …"); None when the paragraph names none or more than one."""
        ref = self.contextual(phrase)
        if ref is not None:
            return ref
        p = re.sub(r"^(?:the|this|that)\s+", "", phrase.strip(), flags=re.I).lower()
        if p not in SHORT_HEADS:
            return None
        fits = {m.entity.key for m in gazetteer.find(before, ("body",)) if _has_head(m.entity.key, p)}
        return EntityRef("body", fits.pop()) if len(fits) == 1 else None

    def resolve(self, phrase: str) -> EntityRef | None:
        return gazetteer.lookup(phrase) or self.contextual(phrase)

    def entities(self, text: str, kinds=("body", "instrument", "state")) -> list[tuple[EntityRef, int, int]]:
        """Named and contextual entities in `text`, in order, without overlaps."""
        key = (text, kinds)
        if key not in self._memo:
            self._memo[key] = self._entities(text, kinds)
        return list(self._memo[key])

    def entities_in(self, text: str, a: int, b: int | None = None,
                    kinds=("body", "instrument", "state")) -> list[tuple[EntityRef, int, int]]:
        """`entities(text[a:b], kinds)`, the names read from the one gazetteer scan of `text` (a
        paragraph or a sentence the extractors read whole as well)."""
        b = len(text) if b is None else min(b, len(text))
        key = (text, a, b, kinds)
        if key not in self._memo:
            # a part of a text without a short name's words has none either
            none = () if not self._contextual_words(text) else None
            self._memo[key] = self._entities(text[a:b], kinds, gazetteer.find_in(text, a, b, kinds), none)
        return list(self._memo[key])

    def _contextual_words(self, text: str) -> bool:
        """Whether `text` holds one of CONTEXTUAL_WORDS, tested once per text."""
        found = self._has_words.get(text)
        if found is None:
            found = False
            for w in CONTEXTUAL_WORDS:  # a loop, not any() over a generator: this runs on every text
                if w in text:
                    found = True
                    break
            self._has_words[text] = found
        return found

    def _entities(self, text: str, kinds, named=None, contextual=None) -> list[tuple[EntityRef, int, int]]:
        found = [(m.entity, m.start, m.end) for m in (gazetteer.find(text, kinds) if named is None else named)]
        if contextual is None:
            contextual = self._contextual.get(text)
        if contextual is None:  # the extractors ask for a text's entities of several kinds: its mentions once
            contextual = self._contextual[text] = contextual_mentions(text) if self._contextual_words(text) else ()
        if not contextual:
            return found  # the gazetteer's names come in order already
        # the names are in order and do not overlap, so their ends ascend: the first name ending after a
        # mention's start is the only one that can overlap it
        starts = [a for _, a, _ in found]
        ends = [b for _, _, b in found]
        for start, end, words in contextual:
            k = bisect_right(ends, start)
            if k < len(starts) and starts[k] < end:
                continue
            ref = self.contextual(words)
            if ref is not None and ref.kind in kinds:
                found.append((ref, start, end))
        found.sort(key=lambda x: x[1])
        return found

    def act_key(self, kind: str, number: str, body: str | None) -> ActKey | None:
        body = body or self.act_body
        if body is None:
            return None
        return ActKey(body, "decision" if kind.lower().startswith("decision") else "resolution", number)


_LEADING_ARTICLE = re.compile(r"^(?:the|this|that|The|This|That)\s+")  # compiled once: `contextual` runs per mention
CONTEXTUAL = _CONTEXTUAL = re.compile(
    # "\b(?:[Tt]he|[Tt]his|[Tt]hat)" written to open with its first letter, which the engine then seeks
    # directly (a pattern opening with \b is tried at every position)
    r"[Tt](?<!\w.)h(?:e|is|at)\s+(?:Conference of the States Parties(?! to the)|Conference of the Parties(?! to the)|"
    r"Conference(?! of the Parties to)|Working Group|working group|"
    r"Protocol(?!s| to| against)|Convention(?! against| on)|Organized Crime Convention|Secretariat|Office|"
    r"Commission|Committee|Council|Board|Special Rapporteur|Subcommittee)\b(?!\s+(?:on|of|for|against)\s+(?:the\s+)?[A-Z])")  # "the Office of the …" is another name
# A match of _CONTEXTUAL holds one of these words as written (each alternative of its head contains one):
# a text without any holds no short name, and the pattern is not run over it (tests/test_extract_gates.py)
CONTEXTUAL_WORDS = ("Conference", "orking Group", "orking group", "Protocol", "Convention", "Secretariat", "Office",
                    "Commission", "ommittee", "Council", "Board", "Special Rapporteur")


def contextual_mentions(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, words) of each match of _CONTEXTUAL in `text`."""
    if not any(w in text for w in CONTEXTUAL_WORDS):
        return ()
    return tuple((m.start(), m.end(), m.group(0)) for m in _CONTEXTUAL.finditer(text))


@lru_cache(maxsize=1024)
def _bare(phrase: str) -> str:
    """A short name without its article, lower-cased: what `Context.contextual` compares."""
    return _LEADING_ARTICLE.sub("", phrase.strip()).lower()


# the words a body's short name is made of, and the body whose own word it is in its own acts
SHORT_HEADS = ("commission", "committee", "council", "board", "special rapporteur", "subcommittee", "office", "working group",
               "conference of the states parties", "conference of the parties")
_KIND_OF_OWN = {"ecosoc": "council", "hrc": "council", "unsc": "council", "ccpcj": "commission", "cnd": "commission",
                "csw": "commission"}


_COUNCILS_MANDATE = re.compile(r"\b(Special\s+Rapporteur|Independent\s+Expert)\s+of\s+the\s+Human\s+Rights\s+Council\s+(?=on\s)")


@lru_cache(maxsize=4096)  # the reference data is read once: a slug's names do not change
def _has_head(slug: str, head: str) -> bool:
    record = gazetteer.bodies().get(slug)
    if record is None:
        return False
    # the head is the name's own noun, not one of a body it belongs to ("Extended Bureau of the Conference …")
    for name in (record.label, *record.aliases):
        m = None if name.isupper() else re.search(rf"\b{head}\b", name, re.I)
        if m and not re.search(r"\b(?:of|on|for|against|to|in)\b", name[:m.start()]):
            return True
    return False


def named_bodies(paragraphs) -> tuple[str, ...]:
    """The bodies the paragraphs name in full, in order of first mention: what a short name can mean."""
    named: dict[str, None] = {}
    for para in paragraphs:
        # "the Special Rapporteur of the Human Rights Council on torture …" is the mandate the reference
        # data names "Special Rapporteur on torture …"
        text = _COUNCILS_MANDATE.sub(r"\1 ", para.text) if "Rights" in para.text else para.text
        for m in gazetteer.find(text, ("body",)):
            named.setdefault(m.entity.key, None)
    return tuple(named)


def build_context(doc: Document, info: DocumentInfo) -> Context:
    ctx = Context(doc, info)
    ctx.named_bodies = named_bodies(doc.paragraphs)
    blocks = [b.value for b in doc.header.blocks]
    if blocks:
        first = gazetteer.lookup(blocks[0])
        if first and first.kind == "body":
            ctx.issuing_body = first.key
    from .document import own_act  # the text of an act: its own body's words ("Council resolution 38/7")

    adopted = own_act(doc)
    if adopted is not None:
        ctx.issuing_body = adopted[1]
    if ctx.issuing_body is None and info.symbol:
        prefixes = [p for p in SERIES_BODY if info.symbol.upper().startswith(p)]
        if prefixes:
            slug = SERIES_BODY[max(prefixes, key=len)]
            if slug in gazetteer.bodies():
                ctx.issuing_body = slug
    # the working group the document is for or about: a header line naming it, else its title
    for value in blocks[1:]:
        ref = gazetteer.lookup(value)
        if ref and ref.kind == "body" and gazetteer.bodies()[ref.key].cls == "WorkingGroup":
            ctx.working_group = ref.key
            break
    if ctx.working_group is None and info.title:
        groups = {m.entity.key for m in gazetteer.find(info.title, ("body",))
                  if gazetteer.bodies()[m.entity.key].cls == "WorkingGroup"}
        if len(groups) == 1:
            ctx.working_group = groups.pop()
    # the Protocol: the one instrument the header (agenda item, title) is about; else the only one named
    header_text = " ".join(blocks)
    protocols = {m.entity.key for m in gazetteer.find(header_text, ("instrument",)) if m.entity.key != "untoc"}
    if len(protocols) != 1:
        # the paragraphs' own scans, shared with the extractors, read as one text
        everywhere = gazetteer.find_joined([p.text for p in doc.paragraphs], ("instrument",))
        protocols = {m.entity.key for m in everywhere if m.entity.key != "untoc"}
        if len(protocols) > 1:
            # a document about one Protocol names the others too; count which dominates
            counts = {k: sum(1 for m in everywhere if m.entity.key == k) for k in protocols}
            best = sorted(counts.items(), key=lambda kv: -kv[1])
            protocols = {best[0][0]} if best[0][1] >= 3 * max(1, best[1][1]) else set()
    if len(protocols) == 1:
        ctx.protocol = protocols.pop()
    if ctx.working_group is None and ctx.protocol in WORKING_GROUP_FOR_INSTRUMENT and \
            ctx.issuing_body in CONFERENCE_FAMILY:
        named = {m.entity.key for p in doc.paragraphs for m in gazetteer.find(p.text, ("body",))
                 if gazetteer.bodies()[m.entity.key].cls == "WorkingGroup"}
        if len(named) == 1:
            ctx.working_group = named.pop()
    for value in blocks:
        m = re.match(r"^(?:Report|Note|Background paper)\s+(?:of|by|prepared by)\s+the\s+(?P<who>.+)$", value)
        if m:
            ref = ctx.resolve("the " + m.group("who"))
            if ref and ref.kind == "body":
                ctx.author = ref.key
    return ctx
