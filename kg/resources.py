"""Where the ontology and the canned queries live, whether `kg` runs from a checkout or from a wheel.

In a source checkout they are the top-level `ontology/` and `queries/` folders. A wheel cannot ship
top-level data folders, so pyproject.toml installs them as the packages `kg.ontology` and
`kg.queries_rq`. Callers get a `Traversable` either way and read it with `.joinpath(...).read_text()`,
never with a path computed from the current directory.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import kg

__all__ = ["ontology_dir", "queries_dir"]


def _checkout_folder(name: str) -> Path | None:
    """The folder `name` beside the `kg` package, if `kg` runs from a source checkout.

    `pyproject.toml` must sit there too: an installed `kg` lives in site-packages, where a folder
    called `ontology` or `queries` may belong to some other distribution.
    """
    root = Path(kg.__file__).resolve().parent.parent
    folder = root / name
    if folder.is_dir() and (root / "pyproject.toml").is_file():
        return folder
    return None


def ontology_dir() -> Traversable:
    """The folder holding untoc.ttl, shapes.ttl and reference/."""
    return _checkout_folder("ontology") or files("kg.ontology")


def queries_dir() -> Traversable:
    """The folder holding the canned SPARQL queries (`*.rq`)."""
    return _checkout_folder("queries") or files("kg.queries_rq")
