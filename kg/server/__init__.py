"""The public, read-only SPARQL endpoint and linked-data server (`untoc-kg serve`).

    from kg.server import Settings, create_app
    app = create_app(Settings(store="./untoc-kg-store"))   # an ASGI app, e.g. for uvicorn

Imports stay lazy: query worker processes import `kg.server.worker` and must not pay for
Starlette, rdflib or the rest of `kg` at start.
"""

from importlib import import_module

__all__ = ["Settings", "create_app"]


def __getattr__(name):
    if name in __all__:
        return getattr(import_module("kg.server.app"), name)
    raise AttributeError(name)
