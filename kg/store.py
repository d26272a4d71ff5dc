"""The embedded on-disk store: where it lives, how it is opened, and how a graph is replaced.

Why it looks like this (see PITFALLS.md): pyoxigraph has no begin/commit, but each `update()` is one
transaction. So replacing a document is ONE update (`DROP SILENT GRAPH … ; INSERT DATA { … }`),
never `remove_graph()` + `load()`, which readers can observe half done. The bookkeeping an
incremental build needs (which file, which bytes, which build) is written in the same update, in a
graph of its own (`id:graph/build`) that queries and exports never see: it holds local paths.

Why a union graph is kept as well: pyoxigraph 0.5 evaluates a default graph made of several graphs
(`use_default_graph_as_union`, or a list) as a bag, one solution per graph holding a triple
(oxigraph issue #1919, fixed only in 0.6). Every document graph repeats the facts it shares with
the others (an act's number, a mandate's holder), so each join multiplied the rows by the number
of documents: the lineage query over 200 documents ran for minutes. The union is the RDF merge of
the data graphs, a set, maintained in the same update that replaces a document, and queries use it
as their default graph, so they stay exact and fast.

Why it is held in the store's own default graph (`UNION`), not in a named graph: Oxigraph indexes
the default graph in 3 tables (spo, pos, osp) and each named graph in 6 (the same, and each with
the graph first or last), so the second copy of every triple costs half the writes. Measured on
300 documents (`bench/bench_union_layout.py`): bulk-loading the data and the union took 1.8-1.9x
the CPU time of the data alone with the union in a named graph, 1.4-1.6x with it in the default
graph; 60 one-update replaces of 900 triples each took 3.0 s of CPU with the union copy in a named
graph, 1.9 s with it in the default graph. Nothing else writes the default
graph, and exports and `GRAPH ?g` never see it. Its public name stays `id:graph/union`
(`UNION_GRAPH`): `kg.push` sends it under that name, and an upstream server's queries take that
graph as their default graph. A store built before (the union in the named graph `id:graph/union`)
is upgraded when a build opens it, in one update (`upgrade`); read-only, it is refused with a
message that says so.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode as RdfBNode
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from . import ntriples
from .vocab import ID_BASE

DEFAULT_STORE_DIR = "untoc-kg-store"
STORE_ENV = "UNTOC_KG_STORE"

BUILD_GRAPH = ox.NamedNode(ID_BASE + "graph/build")
UNION_GRAPH = ox.NamedNode(ID_BASE + "graph/union")  # the union's public name (a push, an upstream)
UNION = ox.DefaultGraph()  # where the union is held in the embedded store (see the docstring)
HIDDEN_GRAPHS = (BUILD_GRAPH, UNION_GRAPH)  # derived or private: not data
_B = "https://w3id.org/untoc-kg/build#"
B_SOURCE = ox.NamedNode(_B + "source")  # the key an incremental build finds a file by
B_SOURCE_NAME = ox.NamedNode(_B + "sourceName")
B_CONTENT_HASH = ox.NamedNode(_B + "contentHash")
B_VERSION = ox.NamedNode(_B + "buildVersion")
B_TRIPLES = ox.NamedNode(_B + "triples")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(Exception):
    """The store could not be opened or written; the message says what to do next."""


def store_path(store_dir: str | os.PathLike | None = None) -> Path:
    """`--store`, else `$UNTOC_KG_STORE`, else `./untoc-kg-store` in the working directory."""
    if store_dir is not None and str(store_dir) != "":
        return Path(store_dir)
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    return Path.cwd() / DEFAULT_STORE_DIR


def _is_store(path: Path) -> bool:
    return (path / "CURRENT").is_file()


def open_store(store_dir: str | os.PathLike | None = None, read_only: bool = True) -> ox.Store:
    """Queries open read-only; only `build` opens read-write (and so holds the lock)."""
    path = store_path(store_dir)
    if read_only:
        if not _is_store(path):
            raise StoreError(f"no store at {path}: run `untoc-kg build` first (or pass --store DIR)")
        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"could not open the store at {path}: {exc}") from exc
        if is_old_layout(store):
            raise StoreError(f"the store at {path} was built by an older untoc-kg (its union graph is a "
                             f"named graph): run `untoc-kg build` once to upgrade it")
        return store
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory")
    if path.is_dir() and any(path.iterdir()) and not _is_store(path):
        raise StoreError(f"{path} exists and is not an untoc-kg store; choose another --store DIR")
    try:
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(f"the store at {path} is in use by another process (another "
                             f"`untoc-kg build`?); wait for it to finish") from exc
        raise StoreError(f"could not open the store at {path} for writing: {exc}") from exc
    upgrade(store)
    return store


def is_old_layout(store: ox.Store) -> bool:
    """Whether the store holds its union in the named graph `id:graph/union` (before issue 15)."""
    return store.contains_named_graph(UNION_GRAPH)


def upgrade(store: ox.Store) -> bool:
    """Move an old store's union graph into the default graph, in one update (old layout or new,
    never half); whether there was anything to do. The default graph held nothing before."""
    if not is_old_layout(store):
        return False
    store.update(f"MOVE SILENT {UNION_GRAPH} TO DEFAULT")
    return True


def resolve(store: ox.Store | str | os.PathLike | None, read_only: bool = True) -> ox.Store:
    """Let every public function take either an open store or a directory (or a remote store,
    `kg.upstream.RemoteStore`, which answers queries the same way)."""
    if isinstance(store, ox.Store) or getattr(store, "is_remote", False):
        return store
    return open_store(store, read_only=read_only)


# ---------------------------------------------------------------------------------------------
# Terms: rdflib (what kg.mapping produces) -> pyoxigraph (what the store speaks)


class TermConverter:
    """Converts rdflib terms, caching IRIs (a document repeats the same few hundred of them).

    Blank nodes are refused: a blank node would get a new label on every insert, and the same
    corpus would no longer give the same bytes.
    """

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}
        self._texts: dict = {}  # rdflib term -> its N-Triples text (rdflib terms are equal only as terms)

    def text(self, term) -> str:
        """The N-Triples form of a term, remembered: a document names the same IRIs and literals
        again and again, and converting each time was a tenth of the extraction's time."""
        found = self._texts.get(term)
        if found is None:
            found = self._texts[term] = ntriples.term(term)
        return found

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def __call__(self, term) -> ox.NamedNode | ox.Literal:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, RdfLiteral):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) != _XSD_STRING:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, RdfBNode):
            raise ValueError(f"blank node {term.n3()} in a document graph: mapping must mint IRIs")
        if isinstance(term, (ox.NamedNode, ox.Literal)):
            return term
        raise ValueError(f"not an RDF term: {term!r}")


def to_ntriples_lines(triples: Iterable[tuple], convert: TermConverter | None = None) -> list[str]:
    """Triples as sorted, de-duplicated N-Triples statements (without the final newline).

    pyoxigraph's `str()` of a term is its N-Triples form, which is also valid SPARQL, so the
    lines can go into `INSERT DATA` with nothing spliced by hand.
    """
    text = (convert or TermConverter()).text
    lines = {f"{text(s)} {text(p)} {text(o)} ." for s, p, o in triples}
    return sorted(lines)


# ---------------------------------------------------------------------------------------------
# Build records


@dataclass(frozen=True)
class GraphRecord:
    """What the last build wrote for one graph: enough to skip it next time."""

    graph: str
    source: str
    source_name: str
    content_hash: str
    version: str
    triples: int


def build_records(store: ox.Store) -> dict[str, GraphRecord]:
    """All records, by graph IRI."""
    fields: dict[str, dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, None, None, BUILD_GRAPH):
        fields.setdefault(quad.subject.value, {})[quad.predicate.value] = quad.object.value
    records = {}
    for graph, f in fields.items():
        records[graph] = GraphRecord(graph, f.get(B_SOURCE.value, ""), f.get(B_SOURCE_NAME.value, ""),
                                     f.get(B_CONTENT_HASH.value, ""), f.get(B_VERSION.value, ""),
                                     int(f.get(B_TRIPLES.value, "0")))
    return records


def _record_lines(record: GraphRecord) -> list[str]:
    g, text = ntriples.iri(record.graph), ntriples.literal
    return [f"{g} {B_SOURCE} {text(record.source)} .",
            f"{g} {B_SOURCE_NAME} {text(record.source_name)} .",
            f"{g} {B_CONTENT_HASH} {text(record.content_hash)} .",
            f"{g} {B_VERSION} {text(record.version)} .",
            f"{g} {B_TRIPLES} {ntriples.integer(record.triples)} ."]


def _unmerge(store: ox.Store, targets: list[str]) -> list[str]:
    """Operations that take out of the union (the default graph) the triples of `targets` no other
    graph has.

    They must run before the targets are dropped (they read them), and they leave alone every
    triple that another data graph still states.
    """
    keep_out = ", ".join(str(n) for n in [*(ox.NamedNode(g) for g in targets), *HIDDEN_GRAPHS])
    ops = []
    for g in targets:
        node = ox.NamedNode(g)
        if store.contains_named_graph(node):
            ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} "
                       f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other NOT IN ({keep_out})) }} }}")
    return ops


def _drop(targets: list[str]) -> list[str]:
    ops = []
    for g in targets:
        node = ox.NamedNode(g)
        ops.append(f"DROP SILENT GRAPH {node}")
        ops.append(f"DELETE WHERE {{ GRAPH {BUILD_GRAPH} {{ {node} ?p ?o }} }}")
    return ops


def replace_graph(store: ox.Store, graph: str, lines: list[str], record: GraphRecord,
                  drop: Iterable[str] = ()) -> None:
    """Replace `graph` (and drop the graphs in `drop`, e.g. the old IRI of the same file) at once.

    One `update()` call, so a reader or a crash sees the old version or the new one, never half;
    the union graph and the build record change in the same transaction.
    """
    targets = sorted({graph, *drop})
    body = "\n".join(lines)
    record_body = "\n".join(_record_lines(record))
    ops = _unmerge(store, targets) + _drop(targets)
    ops.append(f"INSERT DATA {{\nGRAPH {ox.NamedNode(graph)} {{\n{body}\n}}\n"
               f"{body}\n"  # the union: the default graph
               f"GRAPH {BUILD_GRAPH} {{\n{record_body}\n}}\n}}")
    store.update(" ;\n".join(ops))


def remove_graphs(store: ox.Store, graphs: Iterable[str]) -> None:
    """Drop graphs, their records and their share of the union graph, in one transaction."""
    targets = sorted(set(graphs))
    if targets:
        store.update(" ;\n".join(_unmerge(store, targets) + _drop(targets)))


# ---------------------------------------------------------------------------------------------
# Reading


def data_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """Every named graph but the build bookkeeping and the union, sorted (callers are deterministic)."""
    graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g not in HIDDEN_GRAPHS]
    return sorted(graphs, key=lambda g: g.value)


def stored(graph: str | ox.NamedNode) -> ox.NamedNode | ox.DefaultGraph:
    """Where the graph of this public name is held in the embedded store: the union graph
    (`UNION_GRAPH`) in the default graph, any other under its own name."""
    name = graph.value if isinstance(graph, ox.NamedNode) else graph
    return UNION if name == UNION_GRAPH.value else ox.NamedNode(name)


def union_size(store: ox.Store) -> int:
    """Triples in the union graph (the default graph queries see)."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, UNION))


def data_quads(store: ox.Store) -> Iterator[ox.Quad]:
    for graph in data_graphs(store):
        yield from store.quads_for_pattern(None, None, None, graph)


def query(store: ox.Store, text: str, substitutions: dict | None = None,
          prefixes: dict[str, str] | None = None):
    """Run a SPARQL query over the data: the default graph is the merge of the data graphs (the
    union graph), `GRAPH ?g` ranges over the data graphs.

    The build graph is out of sight: it holds local file paths that are nobody's business but the
    build's.
    """
    if getattr(store, "is_remote", False):  # kg.upstream: the server's endpoint, the same default graph
        return store.query(text, substitutions=substitutions, prefixes=prefixes)
    default = UNION  # the union graph (see the module's docstring)
    if not _may_name_graphs(text):
        # pyoxigraph 0.5 makes every lookup of a query dearer when it is given a list of named
        # graphs, used or not (3x on a join of 22,000 entities over 2,000 graphs): a query that
        # cannot reach a named graph is run without the list, which changes none of its answers
        return store.query(text, substitutions=substitutions, prefixes=prefixes, default_graph=default)
    return store.query(text, substitutions=substitutions, prefixes=prefixes,
                       default_graph=default, named_graphs=data_graphs(store))


def _may_name_graphs(text: str) -> bool:
    """Whether a query could read a named graph (see `_names_graphs`); remembered for short texts
    (the canned queries come back often; a scan of one costs up to 0.03 ms)."""
    return _names_graphs_remembered(text) if len(text) <= 16_384 else _names_graphs(text)


@functools.lru_cache(maxsize=256)
def _names_graphs_remembered(text: str) -> bool:
    return _names_graphs(text)


def _names_graphs(text: str) -> bool:
    """Whether a query could read a named graph: only through `GRAPH` or its own `FROM NAMED`.

    Lines that are wholly comments (the canned queries' headers) are left out; any other "graph"
    or "named" as a word (in an IRI such as `id:graph/…`, a string, a trailing comment) counts: a false alarm costs
    speed, never an answer."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).lower()
    return _GRAPH_WORD.search(code) is not None


_GRAPH_WORD = re.compile(r"\b(graph|named)\b")  # a word, not `?paragraph`
