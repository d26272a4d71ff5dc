"""What is in the store: instances per class, triples per graph, mentions left unresolved."""

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

    @property
    def triples(self) -> int:
        return sum(int(row[1].value) for row in self.graphs.rows)

    def as_dict(self) -> dict:
        return {"classes": {row[0].value: int(row[1].value) for row in self.classes.rows},
                "graphs": {row[0].value: int(row[1].value) for row in self.graphs.rows},
                "unresolvedMentions": self.unresolved, "triples": self.triples}


def stats(store=None) -> Stats:
    store = resolve(store)
    classes = run_canned(store, "classes")
    graphs = run_canned(store, "graphs")
    unresolved = next((int(row[1].value) for row in classes.rows
                       if row[0].value == str(UKG.UnresolvedMention)), 0)
    return Stats(classes, graphs, unresolved)


__all__ = ["Stats", "stats"]
