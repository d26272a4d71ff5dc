"""RDFC-1.0 canonical blank node labels, under a bound of work.

Why a bound: RDFC-1.0 tells blank nodes apart by the quads they sit in; the ones their own quads
cannot tell apart (a clique of blank nodes, a ring) it tells apart by trying the orders of their
neighbours, which takes time exponential in their number. A 10-node clique in one graph ran the
engine's canonicalization for minutes, holding the interpreter all along, so `export`,
`canonical_hash` and `serve` froze with it (issue 18, item 8). The engine takes no bound itself.

So: when every blank node is told apart by its own quads (what RDFC-1.0 calls a unique first-degree
hash; our graphs' OWL lists are such), the engine's canonicalization runs here, in linear time.
Otherwise it runs in a child process that is killed after `seconds`, and the caller gets a
`CanonicalizationError` that says which blank nodes are the trouble.

`python -m kg.canon` reads N-Quads on its input and writes the canonical N-Quads (the child).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

SECONDS_ENV = "UNTOC_KG_CANON_SECONDS"
DEFAULT_SECONDS = 60.0


class CanonicalizationError(ValueError):
    """Canonical labels could not be found within the bound; the message says why and what to do."""


def bound_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get(SECONDS_ENV, DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


def _blank_terms(quad: ox.Quad) -> list[ox.BlankNode]:
    return [t for t in (quad.subject, quad.object, quad.graph_name) if isinstance(t, ox.BlankNode)]


def indistinct_groups(quads: Iterable[ox.Quad]) -> list[int]:
    """Sizes of the groups of blank nodes that their own quads do not tell apart (largest first).

    A blank node's signature is the sorted list of its quads with itself written `_:a` and every
    other blank node `_:z`: RDFC-1.0's first-degree hash before hashing. Empty when all are unique."""
    own: dict[str, list[str]] = defaultdict(list)
    for quad in quads:
        blanks = _blank_terms(quad)
        if not blanks:
            continue
        for node in {b.value for b in blanks}:
            def term(t, node=node):
                if isinstance(t, ox.BlankNode):
                    return "_:a" if t.value == node else "_:z"
                return "" if isinstance(t, ox.DefaultGraph) else str(t)
            own[node].append(" ".join((term(quad.subject), str(quad.predicate), term(quad.object),
                                       term(quad.graph_name))))
    counts = Counter(tuple(sorted(lines)) for lines in own.values())
    return sorted((n for n in counts.values() if n > 1), reverse=True)


def _engine(quads: list[ox.Quad]) -> list[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted({f"{q} ." for q in dataset})


def canonical_lines(quads: Iterable[ox.Quad], seconds: float | None = None, what: str = "the graph") -> list[str]:
    """Sorted, distinct N-Quads lines (no newline) of `quads` with canonical blank node labels.

    Raises CanonicalizationError when the labels take longer than `seconds` (default: the
    environment's UNTOC_KG_CANON_SECONDS, else 60) to find."""
    quads = list(quads)
    groups = indistinct_groups(quads)
    if not groups:
        return _engine(quads)
    seconds = bound_seconds() if seconds is None else seconds
    data = "".join(f"{q} .\n" for q in quads).encode("utf-8")
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    try:
        done = subprocess.run([sys.executable, "-m", "kg.canon"], input=data, capture_output=True,
                              timeout=seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise CanonicalizationError(
            f"canonical blank node labels for {what} were not found within {seconds:g} s: "
            f"{sum(groups)} blank nodes in {len(groups)} group(s) (the largest of {groups[0]}) are told apart "
            "only by their links to each other (a clique or ring of blank nodes), which RDFC-1.0 takes "
            "exponential time to order; give these nodes IRIs, or raise the bound with "
            f"{SECONDS_ENV}=SECONDS") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise CanonicalizationError(f"canonicalization of {what} failed: {detail[0]}")
    return [line for line in done.stdout.decode("utf-8").split("\n") if line]


def main() -> None:
    """The child: N-Quads in, canonical sorted N-Quads out."""
    quads = list(ox.parse(sys.stdin.buffer.read(), format=ox.RdfFormat.N_QUADS))
    sys.stdout.write("".join(f"{line}\n" for line in _engine(quads)))


__all__ = ["CanonicalizationError", "canonical_lines", "indistinct_groups"]


if __name__ == "__main__":
    main()
