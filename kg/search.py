"""Full-text search over the graph: names, titles, symbols and paragraph text, ranked.

Why SQLite FTS5 (from Python's standard library) and not SPARQL `CONTAINS`/`REGEX`, rdflib, or a
search server: a SPARQL filter scans every literal for every query and cannot rank; Oxigraph has
no text index; Whoosh last had a release in 2016, and Tantivy or Elasticsearch would add a binary dependency
or a service. FTS5 ships inside the `sqlite3` module that every Python has, keeps an inverted
index on disk beside the store (or in memory), ranks with BM25 (the same family of ranking as
Lucene), supports prefix queries for type-ahead, folds case and diacritics (`remove_diacritics 2`:
"Côte d'Ivoire" is found by "cote"), and builds the index for the bundled corpus in about a second.

One row per resource that has a name (its names, weighted above everything), per document (its
symbol and title), and per paragraph (its text, with the document it belongs to). BM25 weights:
name 10, symbol 20 (an act's number, a document's symbol), context 2, text 1, so a body named "Working Group on Trafficking in Persons"
ranks above the hundred paragraphs that mention it.

The index is rebuilt from the store (it is derived data, like the store's union graph); it reads
only the data graphs given, so the build's bookkeeping (local file paths) is never indexed.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .vocab import ONTOLOGY_IRI

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
UKG = ONTOLOGY_IRI + "#"

NAME_PREDICATES = {SKOS + "prefLabel": 0, FOAF + "name": 1, RDFS + "label": 2, SKOS + "altLabel": 3,
                   DCTERMS + "title": 4}
"""Where names are, in the order a display name is chosen."""
GENERIC = {UKG + "Act", UKG + "Body", UKG + "Agent", "http://www.w3.org/ns/org#Organization",
           "http://www.w3.org/ns/prov#Entity", "http://www.w3.org/2002/07/owl#NamedIndividual"}
SYMBOL = UKG + "symbol"
ACT_NUMBER = UKG + "actNumber"
SEE_ALSO = RDFS + "seeAlso"
TEXT = UKG + "text"
NUMBER = UKG + "number"
IN_DOCUMENT = UKG + "inDocument"
WEIGHTS = (10.0, 20.0, 2.0, 1.0)  # name, symbol, context, text
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"
"""Marks around matched words in snippets: control characters no document text holds, so the page
can turn them into <mark> elements after escaping everything else."""

SCHEMA = """
CREATE VIRTUAL TABLE entries USING fts5(
    iri UNINDEXED, kind UNINDEXED, title UNINDEXED, type UNINDEXED, lang UNINDEXED, document UNINDEXED,
    name, symbol, context, text,
    tokenize = "unicode61 remove_diacritics 2"
);
"""


@dataclass(frozen=True)
class Hit:
    """One result: what it is, what to call it, why it matched (a snippet with marks), its rank."""

    iri: str
    kind: str          # "entity", "document" or "paragraph"
    title: str
    type: str          # the class's IRI (first in name order), "" if none
    lang: str
    document: str      # for a paragraph, the document's IRI
    snippet: str
    score: float

    def as_dict(self) -> dict:
        return {"iri": self.iri, "kind": self.kind, "title": self.title, "type": self.type, "lang": self.lang,
                "document": self.document, "snippet": self.snippet, "score": round(self.score, 4)}


class SearchError(ValueError):
    """The query cannot be searched (empty, or nothing but punctuation)."""


READ = [*NAME_PREDICATES, SYMBOL, ACT_NUMBER, SEE_ALSO, RDF_TYPE.value, TEXT, IN_DOCUMENT, NUMBER]
"""Every predicate the index reads."""


def _quads(store, graphs: frozenset[str], sizes: dict[str, int] | None) -> Iterable[ox.Quad]:
    """The quads of the predicates in READ: from the embedded store one pattern per predicate;
    from an upstream (`UpstreamStore.quads_in_graphs`) the graphs indexed, a few graphs a request
    and every quad of them, however large the upstream."""
    in_graphs = getattr(store, "quads_in_graphs", None)
    if in_graphs is not None:
        yield from in_graphs(sorted(graphs), [ox.NamedNode(p) for p in READ], sizes)
        return
    for predicate in READ:
        yield from store.quads_for_pattern(None, ox.NamedNode(predicate), None)


def _rows(store: ox.Store, graphs: frozenset[str], sizes: dict[str, int] | None = None) -> Iterable[tuple]:
    """The index's rows, from one pass over the quads of the predicates it reads (no lookup per
    resource: over an upstream that would be a request per paragraph). Paragraph texts, the bulk of
    it, wait in a temporary SQLite file, not in memory, until they are written sorted."""
    names: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    symbols: dict[str, set[str]] = defaultdict(set)
    own_symbols: dict[str, set[str]] = defaultdict(set)  # ukg:symbol only: what an act's seeAlso adds
    see_also: dict[str, set[str]] = defaultdict(set)
    all_types: dict[str, set[str]] = defaultdict(set)
    paragraphs: set[str] = set()
    texts = sqlite3.connect("")  # a private temporary file, deleted when closed
    texts.execute("CREATE TABLE texts (iri TEXT, lang TEXT, value TEXT)")
    documents: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for quad in _quads(store, graphs, sizes):
        if not (isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs):
            continue
        predicate, subject, value = quad.predicate.value, quad.subject, quad.object.value
        named, literal = isinstance(subject, ox.NamedNode), isinstance(quad.object, ox.Literal)
        if predicate in NAME_PREDICATES and named and literal:
            names[subject.value].append((NAME_PREDICATES[predicate], quad.object.language or "", value))
        if predicate in (SYMBOL, ACT_NUMBER):
            if named:
                symbols[subject.value].add(value)
            if predicate == SYMBOL:
                own_symbols[subject.value].add(value)
        elif predicate == SEE_ALSO and named:
            see_also[subject.value].add(value)
        elif predicate == RDF_TYPE.value and named:
            all_types[subject.value].add(value)
        elif predicate == TEXT and named and literal:
            paragraphs.add(subject.value)
            texts.execute("INSERT INTO texts VALUES (?, ?, ?)", (subject.value, quad.object.language or "", value))
        elif predicate in (IN_DOCUMENT, NUMBER):  # one value each; were there several, the greatest
            found = documents if predicate == IN_DOCUMENT else numbers
            if subject.value not in found or value > found[subject.value]:
                found[subject.value] = value
    for iri, targets in see_also.items():  # an act's document's symbol
        if iri in symbols:
            symbols[iri] |= set().union(*(own_symbols.get(target, ()) for target in targets))
    documents = {iri: d for iri, d in documents.items() if iri in paragraphs}
    numbers = {iri: n for iri, n in numbers.items() if iri in paragraphs}

    # the most telling class: "Resolution" rather than "Act", "UN entity" rather than "Body"
    types = {iri: sorted(found, key=lambda t: (t in GENERIC, not t.startswith(UKG), t))[0]
             for iri, found in all_types.items()}

    def display(iri: str) -> str:
        found = sorted(names.get(iri, []), key=lambda n: (n[0], n[1] not in ("en", ""), n[1], n[2]))
        symbol = sorted(symbols.get(iri, ()))
        return found[0][2] if found else (symbol[0] if symbol else "")

    for iri in sorted(set(names) | set(symbols)):
        if iri in paragraphs:
            continue
        all_names = sorted({n[2] for n in names.get(iri, [])})
        slug = iri.rstrip("/").rsplit("/", 1)[-1]
        if not slug.startswith("sha256-"):  # "wg-tip", "untoc-cop": the short forms the pictures show
            all_names.append(slug)
        kind = "document" if UKG + "Document" in all_types.get(iri, ()) else "entity"
        yield (iri, kind, display(iri), types.get(iri, ""), "", "", " ; ".join(all_names),
               " ; ".join(sorted(symbols.get(iri, ()))), "", "")
    try:
        current = None
        # BINARY collation: code point order, as Python sorts strings
        for iri, lang, value in texts.execute("SELECT iri, lang, value FROM texts ORDER BY iri, lang, value"):
            if iri != current:
                current = iri
                document = documents.get(iri, iri.split("#", 1)[0])
                context = display(document)
                number = numbers.get(iri)
                title = (f"¶ {number}" if number else "¶") + (f" – {context}" if context else "")
                about = " ; ".join([context, *sorted(symbols.get(document, ()))])
            yield (iri, "paragraph", title, types.get(iri, ""), lang, document, "", "", about, value)
    finally:
        texts.close()


def build_index(store: ox.Store, graphs: Iterable[str], path: str | Path = ":memory:",
                sizes: dict[str, int] | None = None) -> SearchIndex:
    """Index the data graphs `graphs` of `store` into a new SQLite file at `path` (replaced whole:
    written beside it, then renamed), or in memory. `sizes`: each graph's triples, where known
    (over an upstream, the catalog's: they let one request read several small graphs)."""
    graphs = frozenset(graphs)
    if str(path) == ":memory:":
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, store, graphs, sizes)
        return SearchIndex(connection)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        _fill(connection, store, graphs, sizes)
    finally:
        connection.close()
    tmp.replace(path)
    return SearchIndex.open(path)


def _fill(connection: sqlite3.Connection, store: ox.Store, graphs: frozenset[str],
          sizes: dict[str, int] | None = None) -> None:
    with connection:
        connection.executescript(SCHEMA)
        connection.executemany("INSERT INTO entries(iri, kind, title, type, lang, document, name, symbol, context, text)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?)", _rows(store, graphs, sizes))
        connection.execute("INSERT INTO entries(entries) VALUES ('optimize')")


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every whitespace-separated chunk must occur (AND), a chunk
    of several words as a phrase ("74/176", "CTOC/COP/2012/1" match as written), each quoted so
    that nothing is read as an operator, the last one also as a prefix ("traffick" finds
    "trafficking")."""
    chunks = [_WORD.findall(chunk) for chunk in text.split()]
    chunks = [words for words in chunks if words]
    if not chunks:
        raise SearchError("nothing to search for: type a name, a symbol or some words")
    quoted = ['"' + " ".join(words).replace('"', '""') + '"' for words in chunks]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchIndex:
    """A built index; `search()` may be called from several threads (one lock, short queries)."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path) -> SearchIndex:
        connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, check_same_thread=False)
        return cls(connection)

    def count(self, text: str) -> int:
        with self._lock:
            return self.connection.execute("SELECT count(*) FROM entries WHERE entries MATCH ?",
                                           (fts_query(text),)).fetchone()[0]

    def search(self, text: str, limit: int = 20, offset: int = 0, kinds: Iterable[str] | None = None) -> list[Hit]:
        """The best `limit` hits after `offset`, best first (BM25; ties by IRI, so the order is stable)."""
        query = fts_query(text)
        kind_filter = ""
        params: list = [query]
        if kinds:
            kinds = list(kinds)
            kind_filter = f" AND kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        weights = ", ".join(["0"] * 6 + [str(w) for w in WEIGHTS])
        sql = (f"SELECT iri, kind, title, type, lang, document, "
               f"snippet(entries, -1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 24), bm25(entries, {weights}) AS score "
               f"FROM entries WHERE entries MATCH ?{kind_filter} ORDER BY score, iri, lang LIMIT ? OFFSET ?")
        params += [int(limit), int(offset)]
        with self._lock:
            rows = self.connection.execute(sql, params).fetchall()
        return [Hit(*row[:6], snippet=row[6], score=-row[7]) for row in rows]

    def close(self) -> None:
        self.connection.close()


__all__ = ["Hit", "SNIPPET_CLOSE", "SNIPPET_OPEN", "SearchError", "SearchIndex", "build_index", "fts_query"]
