"""Select the session-74 General Assembly resolutions the bundled corpus ships, and copy them (all six
languages) into corpus/ as `ga-74-NNN.{en,fr,es,ru,ar,zh}.xml`.

The rule (stated in corpus/README.md): a resolution is in when
  (a) it was adopted under one of the agenda items on crime and its kin: "Crime prevention and
      criminal justice", "Countering the use of information and communications technologies for
      criminal purposes", "International drug control", "Measures to eliminate international terrorism";
  or (b) its English title names one of: crime(s), criminal, drug(s), trafficking, traffic, smuggling,
      corruption, terrorism, terrorist(s), illicit, victim(s), migrant(s), exploitation, impunity
      (whole words), unless it is a budget or administrative resolution (title opening "Financing of",
      "Construction of", "Administration of").
The markup's subject keywords (SDG, EuroVoc, UNBIS) cannot separate these: SDG 16's "justice" and
"right_to_justice" are on 200 of the 313 resolutions, so the rule reads titles and agenda items.

Usage: python bench/select_corpus.py ../shared/data/unxml-ga-74 corpus
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.akn import iter_zip, parse_resolution

AGENDA_ITEMS = (
    "Crime prevention and criminal justice",
    "Countering the use of information and communications technologies for criminal purposes",
    "International drug control",
    "Measures to eliminate international terrorism",
)
TITLE_WORDS = re.compile(r"\b(?:crimes?|criminal|drugs?|trafficking|traffic|smuggling|corruption|terrorism|"
                         r"terrorists?|illicit|victims?|migrants?|exploitation|impunity)\b", re.I)
ADMINISTRATIVE = re.compile(r"^(?:Financing|Construction|Administration) of\b")
ZIPS = {"en": "ga-74-english.zip", "fr": "ga-74-french.zip", "es": "ga-74-spanish.zip",
        "ru": "ga-74-russian.zip", "ar": "ga-74-arabic.zip", "zh": "ga-74-chinese.zip"}


def selected(data: Path) -> list[tuple[str, str]]:
    """(number, title) of the resolutions the rule selects, by number."""
    out = {}
    for name, raw in iter_zip(data / ZIPS["en"]):
        r = parse_resolution(raw, name)
        item = (r.cover.agenda_item_title or "").strip()
        by_item = any(item == a for a in AGENDA_ITEMS)
        by_title = bool(TITLE_WORDS.search(r.title)) and not ADMINISTRATIVE.match(r.title)
        if by_item or by_title:
            out[r.number] = r.title
    return sorted(out.items(), key=lambda kv: int(kv[0].split("/")[1]))


def main(data: str, corpus: str) -> None:
    data_dir, corpus_dir = Path(data), Path(corpus)
    chosen = selected(data_dir)
    stems = {n.split("/")[1] for n, _ in chosen}
    for lang, zname in ZIPS.items():
        with zipfile.ZipFile(data_dir / zname) as z:
            for entry in z.namelist():
                m = re.search(r"/74_(\d+)(?:_[A-Z])?\.xml$", entry)
                if m and m.group(1) in stems:
                    (corpus_dir / f"ga-74-{int(m.group(1)):03d}.{lang}.xml").write_bytes(z.read(entry))
    for number, title in chosen:
        print(f"{number}\t{title}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
