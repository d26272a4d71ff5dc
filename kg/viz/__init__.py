"""Network pictures of the graph: projections (networkx), offline HTML pages, metrics and exports.

Names are imported on first use, so that `untoc-kg --help` does not pay for networkx, numpy and
scipy; `from kg.viz import landscape, write_page` works as usual.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "KINDS": "projections", "PROJECTIONS": "projections", "VizError": "projections", "citations": "projections",
    "find_node": "projections", "landscape": "projections", "lineage": "projections",
    "participation": "projections", "project": "projections",
    "render_page": "page", "write_page": "page", "page_data": "page",
    "metrics": "metrics", "metrics_table": "metrics", "export_graph": "metrics",
    "force_layout": "layout", "timeline_layout": "layout", "positions": "layout",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
