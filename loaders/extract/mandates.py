"""Mandate events: which act established, continued, extended, modified or ended which mandate, what it
asked of whom and by when, and which reports were made pursuant to it.

The phrases are data (`loaders/data/mandate_phrases.tsv`, run by `mandate_phrases`); this module says
which act is speaking and who the holder is. In an act's own operative part the act speaks, whatever
it cites. In a report ("In its decision 4/4, the Conference … decided to establish …") the act named
in the sentence speaks; a sentence without an act takes the act of the sentence before only when its
subject is that act's own body ("The Conference further decided …") or it says "In that resolution".

The holder is a body of the gazetteer or of the document's context, or a body the act itself
establishes: one the gazetteer does not know is given a key from the act and its kind
("ga-74-247-ad-hoc-committee") and is found again by its short name in the same text ("the ad hoc
committee") or, elsewhere, as "the Ad Hoc Committee established by resolution 74/247". Anything else
is an unresolved mention, never another body. States are not mandate holders; a draft is read
elsewhere, as proposals.
"""

from __future__ import annotations

import re

from .. import gazetteer
from ..facts import ActKey, EstablishedBody, MandateEvent, PreparedPursuantTo, UnresolvedMention
from ..structure import Paragraph
from . import mandate_phrases as phrases
from .context import CONTEXTUAL, WORKING_GROUP_FOR_INSTRUMENT, Context
from .references import find_act_mentions, may_mention_acts

# "an open-ended interim working group on the smuggling of migrants" names the Working Group on the Smuggling of Migrants
_MODIFIERS = re.compile(r"^(?:(?:an?|the|open-ended|interim)\s+)+", re.I)  # not "expert", "intergovernmental": another kind of group
_ALL_MODIFIERS = re.compile(r"\b(?:an?|the|open-ended|interim|intergovernmental|expert|ad\s+hoc|standing|new)\s+", re.I)
_TRAILING_CONNECTIVES = re.compile(r"(?:\s+(?:of|on|in|for|the|and|to|against))+$")
# where the name of a body being established ends: its purpose, its terms, the next clause
_NAME_END = re.compile(r"\s+(?:to|in\s+accordance\s+with|which|that|with\s+a\s+mandate)\b|[,;:]")
# the kinds of body an act can set up, most specific first; the key of a new body is its act and its kind
_BODY_HEADS = ("working group", "expert group", "group of experts", "committee", "group", "panel", "commission",
               "forum", "task force", "mechanism", "board", "council", "network", "fund", "programme", "office",
               "bureau")
# the head of a body's name comes before its complements: "committee of experts", not "a post … of the Board"
_COMPLEMENT = re.compile(r"\s(?:of|on|in|for|to|with|against|under|within)\s")
_CARRY_SUBJECT = re.compile(r"^(?:In\s+(?:that|the\s+same)\s+(?:resolution|decision),\s*)?(?P<subject>The\s+\w+(?:\s+\w+){0,6}?)\s+"
                            r"(?:further|also|then|moreover)?\s*(?:decided|requested|welcomed|acknowledged|noted)\b")
_IN_THAT = re.compile(r"^In\s+(?:that|the\s+same)\s+(?:resolution|decision)\b")
_PURSUANT = re.compile(r"\b(?:prepared|submitted|issued)\s+pursuant\s+to\s+")
_FULFILS = re.compile(r"\b(?:pursuant\s+to|in\s+accordance\s+with|(?:as\s+)?requested\s+in|in\s+response\s+to)\s+"
                      r"(?:(?:the\s+)?(?:General\s+Assembly|Conference|Council|Commission)(?:'s|’s)?\s+|its\s+)?$")
_SELF_REPORT = re.compile(r"\b(?:present|this)\s+(?:report|note|paper|document)\b")
_PROPER_NAME = re.compile(r"(?:(?:the|its)\s+)?[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|on|for|and|the|in|against|to))*")
# a part or an officer of a body, named by the body's name: the mandate is the body's, the words are kept
_OFFICE_OF = re.compile(r"(?:the\s+)?(?:Executive\s+Director|[Ss]ecretariat|(?:[Ee]xtended\s+)?Bureau|Chair(?:person)?|"
                        r"(?:[A-Z][\w-]*\s+){1,4}(?:Branch|Division|Section|Unit))\s+of\s+")
_RAPPORTEUR_OF_COUNCIL = re.compile(r"(?:the\s+)?(?P<title>Special\s+Rapporteur|Independent\s+Expert)\s+of\s+the\s+"
                                    r"Human\s+Rights\s+Council\s+(?=on\b)")
_RAPPORTEUR_END = re.compile(r",|;|\s+(?:to|submitted|addressing|and|in)\s")
_LEAD = re.compile(r"(?:the|its|this|that|an?)\s+", re.I)
_AND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:of\s+)?")  # "the reports of the Committee and of the …"
# the words of a body's full name between its head and "established by": "to Elaborate a Comprehensive …"
_TITLE_WORDS = re.compile(r"(?:\s+(?:[A-Z][\w-]*|a|an|the|of|on|to|for|and|in|against))*")
_ESTABLISHED_BY = re.compile(r"\s*,?\s*(?:established|created|set\s+up)\s+(?:by|pursuant\s+to|under|in)\s+")
# addressees who hold no mandate of the graph: States and groups of them
_NOT_HOLDERS = re.compile(r"\b(?:States|Governments?|countries|donors|community|Parties|stakeholders|sector|society|"
                          r"[Aa]dministering\s+Powers?|Territory|Territories)\b")
_ACTS_OF_A_BODY = re.compile(r"\b(?:resolutions?|decisions?|conventions?|protocols?|treat(?:y|ies)|declarations?|"
                             r"agreements?|amendments?|conclusions)\b", re.I)
_SPECIAL_PROCEDURE = ("Special Rapporteur", "Independent Expert", "Special Representative")


_PERSON_PRONOUN = re.compile(r"(?:him|her|he|she)\b")
_PERSON_TITLE = re.compile(r"^(?:Secretary-General|Special\s+Rapporteur|Independent\s+Expert|Special\s+Representative|"
                           r"Special\s+Envoy|(?:Deputy\s+)?High\s+Commissioner|Executive\s+Director|President|Chair|"
                           r"Director-General|Prosecutor|Registrar|Ombudsman)\b")


def _is_person(slug: str) -> bool:
    """Whether a body of the reference data is one person's office ("he", "she" can name it)."""
    record = gazetteer.bodies().get(slug)
    return bool(record and _PERSON_TITLE.match(record.label))


def _head(name: str) -> str | None:
    """The kind of body a name says, read before its complements ("group of experts" aside)."""
    words = name.lower()
    for h in ("group of experts", "committee of experts"):
        if h in words:
            return h.split()[0] if h.startswith("committee") else h
    words = _COMPLEMENT.split(words)[0]
    return next((h for h in _BODY_HEADS if re.search(rf"\b{h}\b", words)), None)


def _body_key(act: ActKey, name: str) -> str | None:
    """The key of a body `act` establishes, from the kind of body its name says: None if it says none."""
    words = name.lower()
    head = _head(name)
    if head is None:
        return None
    qualifier = "ad-hoc-" if re.search(r"\bad\s+hoc\b", words) else ""
    return f"{act.body}-{act.number.replace('/', '-')}-{qualifier}{head.replace(' ', '-')}"


def _short_name(name: str) -> str:
    """"open-ended ad hoc intergovernmental committee of experts" -> "ad hoc committee"."""
    words = name.lower()
    head = _head(name) or ""
    return ("ad hoc " if re.search(r"\bad\s+hoc\b", words) else "") + head


def _known_holder(ctx: Context, what: str, sentence: str) -> str | None:
    """The known body a description of a new body names; None unless exactly one body fits."""
    what = _TRAILING_CONNECTIVES.sub("", what)
    # the known body must be what the words name, not a body they belong to ("a working group of the
    # Sixth Committee" is no Sixth Committee)
    lead = _MODIFIERS.match(what)
    bodies = [ref for ref, a, _ in ctx.entities(what, ("body",)) if a <= (lead.end() if lead else 0)]
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


def _body_name(text: str) -> str:
    """The name of a body being established, as written: up to its purpose's first qualifying clause."""
    name = text.split(";")[0]
    name = re.split(r",\s+(?=\w+ing\b|in\s+particular\b|including\b)", name)[0]
    return re.sub(r"^(?:an?|the)\s+", "", phrases.clip(name, 400))


class _Reader:
    """Reads the holder of a phrase, for one act speaking in one document."""

    def __init__(self, ctx: Context, established: list[EstablishedBody], unresolved: list[UnresolvedMention]):
        self.ctx = ctx
        self.established = established
        self.unresolved = unresolved
        self.act: ActKey | None = None
        self.para: Paragraph | None = None
        self.offset = 0  # the sentence's start in the paragraph
        self.known_short: dict[str, str] = {}  # short name -> slug of a known body this act establishes

    def __call__(self, phrase: phrases.Phrase, sentence: str, start: int, ends: list[int]):
        window = sentence[start:start + 400]
        lead = _LEAD.match(window)
        lead_end = lead.end() if lead else 0
        for found in (self._named, self._established, self._new_body):
            holder = found(phrase, sentence, start, window, lead_end, ends)
            if holder is not None:
                if phrase.event == "Establishment" and holder.key in gazetteer.bodies() and self.act:
                    # a body the reference data knows, established here: its short name ("the ad hoc
                    # committee") names it in the rest of this act, as it would a body minted here
                    stop = _NAME_END.search(window)
                    self.known_short[_short_name(window[:stop.start()] if stop else window)] = holder.key
                return holder if holder.key is not None or holder.label else None
        # words that name no body we know: reported, never resolved by guess
        if ends:
            stop = ends[0]
            label = sentence[start:stop].split(",")[0].strip()
        else:  # the holder ends the phrase: its name is its capitalized words ("the Agency until 2023")
            name = _PROPER_NAME.match(window)
            label = _TRAILING_CONNECTIVES.sub("", name.group(0)) if name else ""
            stop = start + len(label)
        if not label or _NOT_HOLDERS.search(label) or re.match(r"(?:that|this)\s", label) or not (lead or label[:1].isupper()) or len(label) > 160:
            return None
        if not label[lead_end:lead_end + 1].isupper() and phrase.event != "Request":
            return None  # "Decides to continue its consideration …": no body at all
        self._unresolved(label, start)
        return phrases.Holder(start, stop, None, label)

    def _unresolved(self, label: str, start: int) -> None:
        self.unresolved.append(UnresolvedMention(label, "body", self.ctx.evidence(
            self.para, self.offset + start, self.offset + start + len(label))))

    @staticmethod
    def _reaches(sentence: str, end: int, ends: list[int]) -> bool:
        """Whether the rest of the phrase can follow a holder ending at `end` (an aside may come between)."""
        return not ends or phrases.reaches(sentence, end, ends) is not None

    def _named(self, phrase, sentence, start, window, lead_end, ends):
        """A body of the gazetteer or of the document's context, right at the holder's place; "the
        Secretary-General and the United Nations High Commissioner for Human Rights": both."""
        window = window.replace("Secretary General", "Secretary-General")  # the hyphen is sometimes lost
        hits = self.ctx.entities(window, ("body", "state"))
        first = [h for h in hits if h[1] in (0, lead_end)]
        pronoun = _PERSON_PRONOUN.match(window)
        if not first and pronoun and phrase.event == "Request":
            # "Takes note of the report of the Secretary-General, and requests that he submit …": the one
            # person the paragraph named last
            before = self.ctx.entities_in(self.para.text, 0, self.offset + start, ("body",))
            people = [ref for ref, _, _ in before if _is_person(ref.key)]
            if people and self._reaches(sentence, start + pronoun.end(), ends):
                return phrases.Holder(start, start + pronoun.end(), people[-1].key, pronoun.group(0))
        if not first:
            short = CONTEXTUAL.match(window)
            ref = self.ctx.antecedent(short.group(0), self.para.text[:self.offset + start]) if short else None
            if ref is not None:
                hits = sorted(hits + [(ref, 0, short.end())], key=lambda h: h[1])
                first = [(ref, 0, short.end())]
        if not first:
            return self._office_of(phrase, sentence, start, window, hits, ends)
        ref, _, b = first[0]
        if ref.kind == "state":
            return phrases.Holder(start, start + b, None, "")  # a State: no mandate of the graph
        keys, labels, first_end = [ref.key], [], b
        while not self._reaches(sentence, start + b, ends):
            more = _AND.match(window, b)
            lead = _LEAD.match(window, more.end()) if more else None
            at = lead.end() if lead else (more.end() if more else -1)
            nxt = [h for h in hits if h[1] == at and h[0].kind == "body"]
            if more and not nxt and ends and max(ends) > start + b:
                # "the Secretary-General, the specialized agencies and other organizations … to": the
                # Secretary-General, and the others reported as words no body of ours answers to
                stop = min(e for e in ends if e > start + b)
                rest = window[more.end():stop - start].split(",")[0].strip()
                if rest and not _NOT_HOLDERS.search(rest):
                    self._unresolved(rest, start + more.end())
                return phrases.Holder(start, stop, ref.key, window[:first_end], tuple(keys[1:]), tuple(labels))
            if not more or not nxt:
                return None
            keys.append(nxt[0][0].key)
            labels.append(window[nxt[0][1]:nxt[0][2]])
            b = nxt[0][2]
        while not ends:
            # the phrase ends with its holder: "the reports of the Committee and of the Subcommittee …"
            more = _AND.match(window, b)
            lead = _LEAD.match(window, more.end()) if more else None
            at = lead.end() if lead else (more.end() if more else -1)
            nxt = [h for h in hits if h[1] == at and h[0].kind == "body"]
            if not nxt:
                break
            keys.append(nxt[0][0].key)
            labels.append(window[nxt[0][1]:nxt[0][2]])
            b = nxt[0][2]
        return phrases.Holder(start, start + b, ref.key, window[:first_end], tuple(keys[1:]), tuple(labels))

    def _office_of(self, phrase, sentence, start, window, hits, ends):
        """"the Executive Director of the United Nations Office on Drugs and Crime", "the secretariat of the
        Conference of the States Parties": the body whose head or secretariat it is, the words kept as written;
        "the Special Rapporteur of the Human Rights Council on the human rights of migrants": the mandate
        the reference data names without the Council's words."""
        m = _OFFICE_OF.match(window)
        if m:
            lead = _LEAD.match(window, m.end())
            body = [h for h in hits if h[1] in (m.end(), lead.end() if lead else -1) and h[0].kind == "body"]
            if body and self._reaches(sentence, start + body[0][2], ends):
                return phrases.Holder(start, start + body[0][2], body[0][0].key, window[:body[0][2]])
        m = _RAPPORTEUR_OF_COUNCIL.match(window)
        if m:
            stop = _RAPPORTEUR_END.search(window, m.end())
            end = stop.start() if stop else len(window)
            ref = gazetteer.lookup(m.group("title") + " " + window[m.end():end])
            if ref is not None and ref.kind == "body" and self._reaches(sentence, start + end, ends):
                return phrases.Holder(start, start + end, ref.key, window[:end])
        return None

    def _established(self, phrase, sentence, start, window, lead_end, ends):
        """A body an act established: by its short name in the same text, or "established by resolution …"."""
        folded = window.lower()
        shorts = [(b.short, b.key) for b in self.established if b.establishing and b.short.strip()]
        shorts += [(short, key) for short, key in self.known_short.items() if short.strip()]
        for short, key in shorts:  # within the act that set it up
            for name in (short, short.split()[-1]):
                n = lead_end + len(name)
                if lead_end and folded.startswith(name, lead_end) and not folded[n:n + 1].isalnum() \
                        and self._reaches(sentence, start + n, ends):
                    return phrases.Holder(start, start + n, key, window[:n])
        m = re.match(r"(?:the\s+)?(?P<name>(?:[A-Z][\w-]*\s+){0,4}(?:Committee|Group|Panel|Commission|Forum|Mechanism))",
                     window)
        if not m:
            return None
        after = _ESTABLISHED_BY.match(window, _TITLE_WORDS.match(window, m.end()).end())
        if not after:
            return None
        mentions, _ = find_act_mentions(self.ctx, window[after.end():after.end() + 160])
        if not mentions or mentions[0].start > 40:
            return None
        act = mentions[0].key
        key = _body_key(act, m.group("name"))
        end = after.end() + mentions[0].end
        if key is None or not self._reaches(sentence, start + end, ends):
            return None
        body = EstablishedBody(key, act, m.group("name"), _short_name(m.group("name")),
                               self.ctx.evidence(self.para, self.offset + start, self.offset + start + end), False)
        self.established.append(body)
        return phrases.Holder(start, start + end, key, window[:m.end()])

    def _new_body(self, phrase, sentence, start, window, lead_end, ends):
        """What an establishing phrase sets up: a known body, a new one, or one that cannot be told."""
        if phrase.event != "Establishment" or phrase.holder != "after":
            return None
        stop = _NAME_END.search(window)
        what = window[:stop.start()] if stop else window
        known = _known_holder(self.ctx, what, sentence)
        if known:
            return phrases.Holder(start, start + len(what), known, what)
        if self.act is None:
            return None
        name = _body_name(window)
        key = _body_key(self.act, what)
        bare = _ALL_MODIFIERS.sub("", what).strip()
        looks_known = gazetteer.lookup(bare) or gazetteer.lookup(_TRAILING_CONNECTIVES.sub("", bare))
        taken = any(b.key == key and b.evidence.paragraph != self.para.key and b.establishing for b in self.established)
        if key is None or looks_known or taken:
            # "an expert working group on trafficking in persons": the Working Group, or another one?
            if key is not None:
                self._unresolved(what.strip(), start)
                return phrases.Holder(start, start + len(what), None, "")
            return None
        ev = self.ctx.evidence(self.para, self.offset + start, self.offset + start + len(name))
        if not any(b.key == key for b in self.established):
            self.established.append(EstablishedBody(key, self.act, name, _short_name(what), ev, True))
        return phrases.Holder(start, start + len(what), key, name)


def _kind(phrase: phrases.Phrase, holder: str, clause: str) -> str:
    kind = phrase.kind
    if kind == "task" and phrases.asks_for_a_report(clause):
        return "reporting"
    if kind == "body":
        rec = gazetteer.bodies().get(holder)
        label = rec.label if rec else ""
        if holder.startswith("sr-") or label.startswith(_SPECIAL_PROCEDURE):
            return "special-procedure"
        if re.search(r"\b(?:Fund|Programme)\b", label):
            return "fund-or-programme"
    return kind


def _fulfilled_act(ctx: Context, sentence: str, after: int, own: ActKey | None) -> ActKey | None:
    """The act a report was made pursuant to: "… which was prepared pursuant to resolution 73/187"."""
    mentions, _ = find_act_mentions(ctx, sentence)
    for m in mentions:
        if m.start >= after and m.key != own and _FULFILS.search(sentence[max(after, m.start - 40):m.start]):
            return m.key
    return None


def mandate_events(ctx: Context, paragraphs: list[Paragraph], own_act: ActKey | None = None):
    """(events, reports prepared pursuant to an act, bodies established, holders not resolved)."""
    events: list[MandateEvent] = []
    pursuant: list[PreparedPursuantTo] = []
    established: list[EstablishedBody] = []
    unresolved: list[UnresolvedMention] = []
    if ctx.info.kind and ctx.info.kind.startswith("draft"):
        return events, pursuant, established, unresolved
    reader = _Reader(ctx, established, unresolved)
    for para in paragraphs:
        last_act: tuple[ActKey, int] | None = None
        in_act = para.kind in ("operative", "subparagraph") and (own_act is not None or para.act is not None)
        verbs = phrases.may_match(para.text)  # no phrase's verb in the paragraph: no sentence states an event
        acts = may_mention_acts(para.text)  # nor, without an act's words, does a sentence name an act
        for s_start, s_end in ctx.sentences(para.text):
            sentence = para.text[s_start:s_end]
            mentions = find_act_mentions(ctx, sentence)[0] if acts else []
            if not in_act and own_act is None:
                # the document is a report made pursuant to an act (an act's own text is not)
                for pm in _PURSUANT.finditer(sentence) if "pursuant" in sentence else ():  # the pattern's own word
                    after = [m for m in mentions if m.start >= pm.end() and m.start - pm.end() <= 2]
                    if after:
                        pursuant.append(PreparedPursuantTo(after[0].key, ctx.evidence(para, s_start, s_end)))
            act_here = mentions[0].key if mentions else None
            anchor = s_start
            if in_act:
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
            reader.act, reader.para, reader.offset = act_here, para, s_start
            for m in phrases.match(sentence, reader) if verbs else ():
                event = _event(ctx, para, m, sentence, s_start, s_end, anchor, act_here, own_act if in_act else None,
                               in_act)
                if event is not None:
                    events.extend(event)
    return events, pursuant, established, unresolved


def _event(ctx: Context, para: Paragraph, m: phrases.PhraseMatch, sentence: str, s_start: int, s_end: int,
           anchor: int, act_here: ActKey | None, own: ActKey | None, in_act: bool) -> list[MandateEvent]:
    phrase = m.phrase
    if re.search(r"\bwhether\s*$", sentence[max(0, m.start - 12):m.start]):
        return []  # "considered whether the working group should be extended"
    clause = sentence[m.end:].split(";")[0]
    evidence = ctx.evidence(para, min(anchor, s_start), s_end)
    if phrase.event == "Fulfilment":
        if phrase.holder == "author":
            act = next((x.key for x in find_act_mentions(ctx, sentence)[0]
                        if x.start >= m.end and x.start - m.end <= 2), None)
            if act is None or not ctx.author or in_act or not _SELF_REPORT.search(sentence[:m.start]):
                return []
            return [MandateEvent(ctx.author, "Fulfilment", act, evidence, "report made pursuant to the act",
                                 "reporting")]
        if m.holder is None or m.holder.key is None:
            return []
        if "{skip}" in phrase.text and _ACTS_OF_A_BODY.search(sentence[m.start:m.holder.start]):
            return []  # "Takes note of the resolutions adopted by the Commission": its acts, not a delivery
        fulfilled = _fulfilled_act(ctx, sentence, m.end, own or act_here if in_act else None)
        if in_act and (own or act_here) is not None:
            # "Takes note of the report of the Secretary-General": the act acknowledges what was delivered,
            # answering the act named as its origin when the sentence names one
            # a report ("the report of …", "the Global Report …, prepared by …") or another delivery ("the
            # guide developed by …")
            kind = "reporting" if re.search(r"\breports?\b", sentence[m.start:m.holder.start], re.I) else phrase.kind
            return [MandateEvent(key, "Fulfilment", own or act_here, evidence, phrases.clip(sentence[m.start:]),
                                 kind, label, act_paragraph=para.number or para.key, fulfils=fulfilled)
                    for key, label in m.holder.named()]
        if fulfilled is None:
            return []
        return [MandateEvent(m.holder.key, "Fulfilment", fulfilled, evidence, phrases.clip(sentence[m.start:]),
                             "reporting", m.holder.label)]
    if in_act and phrase.tense == "past":
        # "Also recalls its decision, in its resolution 68/192, to …": the act recalled, not this one
        before = [x.key for x in find_act_mentions(ctx, sentence)[0] if x.end <= m.start and x.key != act_here]
        act_here, in_act = (before[-1], False) if before else (None, False)
    if act_here is None:
        return []
    if phrase.holder == "self":
        holders = [(act_here.body, None)]
    elif m.holder is None or m.holder.key is None:
        return []
    else:
        holders = m.holder.named()
    if phrase.event == "Request" and phrase.kind == "task":
        # "Requests the Secretary-General to transmit …, and to submit … a report": a task and a report
        parts = phrases.requested_parts(clause)
    else:
        parts = [(None, clause)]
    asked = sentence[m.start:m.end]
    out = []
    for n, (_, part) in enumerate(parts):
        # what is decided or asked: the clause, from its verb
        what = sentence[m.start:] if n == 0 else \
            re.sub(r"\s*to$", "", asked) + " " + re.sub(r"^[,\s]*(?:and\s+)?", "", part)
        session, when = phrases.due(part)
        if m.session is not None:
            session = m.session
        out += [MandateEvent(key, phrase.event, act_here, evidence, phrases.clip(what) or None,
                             _kind(phrase, key, part), label, session, when,
                             (para.number or para.key) if in_act else None)
                for key, label in holders]
    return out
