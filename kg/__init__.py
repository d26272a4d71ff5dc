"""untoc-kg: a knowledge graph of UN documents on the Convention against Transnational Organized Crime.

    import kg
    report = kg.build(["corpus"])                      # -> BuildReport
    steps = kg.lineage("Working Group on Trafficking in Persons").steps
    table = kg.query("lineage", {"body": "id:body/wg-tip"})
    kg.export(fmt="ttl", output="untoc-kg.ttl")

Each function takes `store=` (an open store or a directory; default `$UNTOC_KG_STORE`, else
`./untoc-kg-store`).

Why the submodules are imported before the functions are defined: `build`, `export`, `sparql`,
`lineage` and `stats` are also module names, and Python binds a submodule to its package's
attribute the first time it is imported. Importing them here first, then defining the functions,
leaves `kg.build` the function for good (later imports find the module in `sys.modules` and bind
nothing). The heavy imports (loaders, mapping, rdflib's parsers) stay inside those modules' functions.
"""

from . import build as _build
from . import export as _export
from . import lineage as _lineage
from . import sparql as _sparql
from . import stats as _stats
from . import store as _store

__all__ = ["build", "open_store", "query", "sparql", "lineage", "export", "stats"]


def build(paths=None, store=None, rebuild=False, progress=None):
    """Build or update the store from files and folders (default: the corpus)."""
    return _build.build(paths, store, rebuild=rebuild, progress=progress)


def open_store(store=None, read_only=True):
    """The pyoxigraph Store itself, for anything the functions here do not do."""
    return _store.open_store(store, read_only=read_only)


def query(name, params=None, store=None):
    """Run a canned query from `queries/` by name, with {parameter: value}."""
    return _sparql.run_canned(store, name, params or {})


def sparql(text, params=None, store=None):
    """Run any SPARQL query; the default graph is the union of the data graphs."""
    return _sparql.sparql(store, text, params or {})


def lineage(name, store=None, everything=False, lang=None):
    """The mandate lineage of a body, by name, slug, abbreviation or IRI; `everything` adds requests,
    fulfilments and proposals; `lang` shows documents' titles in that language where known."""
    return _lineage.lineage(name, store, everything=everything, lang=lang)


def export(store=None, fmt="nq", output=None):
    """The graph as nq/nt/trig/ttl/jsonld bytes (or written to `output`), deterministic."""
    return _export.export(store, fmt, output)


# `kg.export` is the function above, so the module's other public function hangs on it: the README's
# `kg.export.canonical_hash(store)` then works as written.
export.canonical_hash = _export.canonical_hash


def stats(store=None):
    """Instances per class, triples per graph, unresolved mentions."""
    return _stats.stats(store)
