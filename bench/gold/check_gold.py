#!/usr/bin/env python3
"""Validate bench/gold/ga74_mandates.tsv against the AKN4UN XML of GA session 74.

Checks: header and column count; allowed event_type / mandate_kind values; the
format of act, due and paragraph; that every eid names an operative paragraph of
the act's <mainBody>; that `paragraph` is the number printed for it (sub-paragraphs
printed without <num> as "N (x)" where N is the last numbered paragraph); that the
quote occurs verbatim (whitespace-normalised, footnotes excluded) in that
paragraph; that Request quotes carry a request/decide verb (or the sub-paragraph's
chapeau does); that rows are in document order and not duplicated.

Usage: python3 bench/gold/check_gold.py [--tsv PATH] [--zip PATH | --xml-dir DIR]
The XML is read straight from the zip (no extraction needed).
"""
import argparse
import os
import re
import sys
import zipfile

try:  # prefer defusedxml when installed; the stdlib parser is enough for these files
    from defusedxml import ElementTree as ET  # type: ignore
except ImportError:  # pragma: no cover
    import xml.etree.ElementTree as ET

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TSV = os.path.join(HERE, "ga74_mandates.tsv")
DEFAULT_ZIP = "/work/shared/data/unxml-ga-74/ga-74-english.zip"

COLUMNS = ["act", "paragraph", "eid", "event_type", "mandate_kind", "holder",
           "what", "due", "quote"]
EVENT_TYPES = {"Establishment", "Continuation", "Extension", "Modification",
               "Request", "Termination", "Fulfilment"}
MANDATE_KINDS = {"body", "special-procedure", "fund-or-programme", "agenda-item",
                 "meeting", "reporting", "task"}
ACT_RE = re.compile(r"^74/\d{1,3}$")
# due: GA session number(s) ("75", "75;76;77") or a year / year-month / date
DUE_RE = re.compile(r"^(|\d{2}(;\d{2})*|\d{4}(-\d{2}(-\d{2})?)?)$")
PARA_RE = re.compile(r"^\d{1,3}( \([a-z]{1,4}\))?$")
SUB_RE = re.compile(r"^\(([a-z]{1,4})\)\s")
REQUEST_VERB_RE = re.compile(r"request|decides?\b|shall\b", re.I)


def norm(s):
    return " ".join(s.split())


def text_without_notes(el):
    """Text of an element, authorialNote (footnote) subtrees excluded."""
    out = []

    def rec(x):
        if x.tag == AKN + "authorialNote":
            if x.tail:
                out.append(x.tail)
            return
        if x.text:
            out.append(x.text)
        for c in x:
            rec(c)
        if x.tail:
            out.append(x.tail)

    if el.text:
        out.append(el.text)
    for c in el:
        rec(c)
    return norm("".join(out))


class Source:
    def __init__(self, zip_path=None, xml_dir=None):
        self.zip = zipfile.ZipFile(zip_path) if zip_path else None
        self.xml_dir = xml_dir
        self.cache = {}

    def _read(self, name):
        if self.zip is not None:
            try:
                return self.zip.read("English/" + name)
            except KeyError:
                return None
        p = os.path.join(self.xml_dir, name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                return f.read()
        return None

    def act(self, act):
        """-> dict eid -> (index, printed number, text, chapeau text) or None."""
        if act in self.cache:
            return self.cache[act]
        n = act.split("/")[1]
        data = None
        for name in ("74_%s.xml" % n, "74_%s_E.xml" % n):
            data = self._read(name)
            if data is not None:
                break
        if data is None:
            self.cache[act] = None
            return None
        root = ET.fromstring(data)
        mb = root.find(".//%smainBody" % AKN)
        paras = {}
        last_num, last_text = None, ""
        for i, p in enumerate(mb.iter(AKN + "paragraph")):
            eid = p.get("eId")
            content = p.find(AKN + "content")
            text = text_without_notes(content) if content is not None else ""
            num_el = p.find(AKN + "num")
            num = norm("".join(num_el.itertext())).rstrip(".") if num_el is not None else ""
            chapeau = ""
            if num:
                printed = num
                last_num, last_text = num, text
            else:
                m = SUB_RE.match(text)
                printed = "%s (%s)" % (last_num, m.group(1)) if (m and last_num) else ""
                chapeau = last_text
            paras[eid] = (i, printed, text, chapeau)
        self.cache[act] = paras
        return paras


def act_key(act):
    return int(act.split("/")[1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", default=DEFAULT_TSV)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--zip", default=None)
    g.add_argument("--xml-dir", default=None, help="folder holding 74_NNN.xml")
    a = ap.parse_args(argv)
    src = Source(zip_path=None if a.xml_dir else (a.zip or DEFAULT_ZIP), xml_dir=a.xml_dir)

    errors = []
    with open(a.tsv, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if not lines or lines[0].split("\t") != COLUMNS:
        errors.append("header must be: " + "\t".join(COLUMNS))
    seen = set()
    prev = None  # (act key, para index) for document order
    counts = {}
    for ln, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != len(COLUMNS):
            errors.append("line %d: %d columns, expected %d" % (ln, len(cols), len(COLUMNS)))
            continue
        r = dict(zip(COLUMNS, cols))
        where = "line %d (%s %s)" % (ln, r["act"], r["paragraph"])
        for c in COLUMNS:
            if r[c] != r[c].strip():
                errors.append("%s: stray whitespace in %s" % (where, c))
        for c in ("act", "paragraph", "eid", "event_type", "mandate_kind", "holder", "what", "quote"):
            if not r[c]:
                errors.append("%s: empty %s" % (where, c))
        if not ACT_RE.match(r["act"]):
            errors.append("%s: bad act %r" % (where, r["act"]))
            continue
        if r["event_type"] not in EVENT_TYPES:
            errors.append("%s: event_type %r not allowed" % (where, r["event_type"]))
        if r["mandate_kind"] not in MANDATE_KINDS:
            errors.append("%s: mandate_kind %r not allowed" % (where, r["mandate_kind"]))
        if r["mandate_kind"] == "agenda-item" and r["event_type"] not in ("Continuation", "Establishment", "Termination"):
            errors.append("%s: agenda-item only with Continuation/Establishment/Termination" % where)
        if not DUE_RE.match(r["due"]):
            errors.append("%s: bad due %r" % (where, r["due"]))
        if not PARA_RE.match(r["paragraph"]):
            errors.append("%s: bad paragraph %r" % (where, r["paragraph"]))
        paras = src.act(r["act"])
        if paras is None:
            errors.append("%s: no XML file for act" % where)
            continue
        if r["eid"] not in paras:
            errors.append("%s: eid %r is not an operative paragraph" % (where, r["eid"]))
            continue
        idx, printed, text, chapeau = paras[r["eid"]]
        if printed != r["paragraph"]:
            errors.append("%s: paragraph printed as %r for %s" % (where, printed, r["eid"]))
        if norm(r["quote"]) != r["quote"]:
            errors.append("%s: quote has irregular whitespace" % where)
        if r["quote"] not in text:
            errors.append("%s: quote not found verbatim in %s: %r" % (where, r["eid"], r["quote"]))
        if r["event_type"] == "Request" and not REQUEST_VERB_RE.search(r["quote"]):
            if not (chapeau and REQUEST_VERB_RE.search(chapeau)):
                errors.append("%s: Request quote lacks a request/decide verb" % where)
        key = (act_key(r["act"]), idx)
        if prev is not None and key < prev:
            errors.append("%s: row out of document order" % where)
        prev = key
        dup = tuple(cols)
        if dup in seen:
            errors.append("%s: duplicate row" % where)
        seen.add(dup)
        counts[(r["event_type"], r["mandate_kind"])] = counts.get((r["event_type"], r["mandate_kind"]), 0) + 1

    n = len(lines) - 1
    acts = sorted({l.split("\t")[0] for l in lines[1:] if l}, key=lambda s: act_key(s) if ACT_RE.match(s) else 0)
    if errors:
        for e in errors:
            print("ERROR", e)
        print("%d error(s) in %d rows" % (len(errors), n))
        return 1
    print("OK: %d rows, %d acts" % (n, len(acts)))
    by_event, by_kind = {}, {}
    for (e, k), c in counts.items():
        by_event[e] = by_event.get(e, 0) + c
        by_kind[k] = by_kind.get(k, 0) + c
    print("event_type:", ", ".join("%s=%d" % kv for kv in sorted(by_event.items())))
    print("mandate_kind:", ", ".join("%s=%d" % kv for kv in sorted(by_kind.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
