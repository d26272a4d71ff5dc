"""What is in the store: instances per class, triples per graph, mentions left unresolved.

Two triple counts, because they differ and both are right: `triples` adds up the named graphs (one
per document, plus reference data and ontology), so a fact that three documents state counts three
times, as the build's summary counts what it wrote; `merged` counts the default graph queries see,
the RDF merge of those graphs, where that fact is one triple: what the endpoint and VoID report.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sparql import Table, run_canned
from .store import resolve
from .vocab import UKG


@dataclass
class Stats:
    classes: Table  # class, instances
    graphs: Table  # graph, triples
    unresolved: int  # ukg:UnresolvedMention: names the loaders saw and could not resolve
    merged: int = 0  # triples in the merged default graph (the endpoint's and VoID's count)

    @property
    def triples(self) -> int:
        return sum(int(row[1].value) for row in self.graphs.rows)

    def as_dict(self) -> dict:
        return {"classes": {row[0].value: int(row[1].value) for row in self.classes.rows},
                "graphs": {row[0].value: int(row[1].value) for row in self.graphs.rows},
                "unresolvedMentions": self.unresolved, "triples": self.triples, "mergedTriples": self.merged}


def stats(store=None) -> Stats:
    store = resolve(store)
    classes = run_canned(store, "classes")
    graphs = run_canned(store, "graphs")
    unresolved = next((int(row[1].value) for row in classes.rows
                       if row[0].value == str(UKG.UnresolvedMention)), 0)
    return Stats(classes, graphs, unresolved, merged_triples(store))


def merged_triples(store) -> int:
    """Triples in the default graph queries see: the union graph the build keeps (in the store's
    default graph), counted as the endpoint's catalogue counts it."""
    from .store import union_size

    store = resolve(store)
    total = union_size(store)
    if total:
        return total
    return len({q.triple for g in store.named_graphs() for q in store.quads_for_pattern(None, None, None, g)})


__all__ = ["Stats", "merged_triples", "stats"]
