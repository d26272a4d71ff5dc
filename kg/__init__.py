"""untoc-kg: a knowledge graph of UN documents on the Convention against Transnational Organized Crime.

    import kg
    report = kg.build(["corpus"])                      # -> BuildReport
    steps = kg.lineage("Working Group on Trafficking in Persons").steps
    table = kg.query("lineage", {"body": "id:body/wg-tip"})
    kg.export(fmt="ttl", output="untoc-kg.ttl")

Each function takes `store=` (an open store or a directory; default `$UNTOC_KG_STORE`, else
`./untoc-kg-store`). Names are loaded on first use, so `import kg` stays cheap for the CLI.
"""

from importlib import import_module

__all__ = ["build", "open_store", "query", "sparql", "lineage", "export", "stats"]


def build(paths=None, store=None, rebuild=False, progress=None):
    """Build or update the store from files and folders (default: the corpus)."""
    return import_module("kg.build").build(paths, store, rebuild=rebuild, progress=progress)


def open_store(store=None, read_only=True):
    """The pyoxigraph Store itself, for anything the functions here do not do."""
    return import_module("kg.store").open_store(store, read_only=read_only)


def query(name, params=None, store=None):
    """Run a canned query from `queries/` by name, with {parameter: value}."""
    return import_module("kg.sparql").run_canned(store, name, params or {})


def sparql(text, params=None, store=None):
    """Run any SPARQL query; the default graph is the union of the data graphs."""
    return import_module("kg.sparql").sparql(store, text, params or {})


def lineage(name, store=None):
    """The mandate lineage of a body, by name, slug or IRI."""
    return import_module("kg.lineage").lineage(name, store)


def export(store=None, fmt="nq", output=None):
    """The graph as nq/nt/trig/ttl/jsonld bytes (or written to `output`), deterministic."""
    return import_module("kg.export").export(store, fmt, output)


def stats(store=None):
    """Instances per class, triples per graph, unresolved mentions."""
    return import_module("kg.stats").stats(store)
