"""`/search?q=`: the graph's names, titles, symbols and paragraphs, ranked (`kg.search`, SQLite FTS5).

The index is built the first time someone searches, from the store this server reads (a private
snapshot nobody writes, so the index cannot go stale), into a file in the server's own temporary
folder; one lock makes concurrent first searches wait for one build. A page of results is a
handful of index lookups: no worker, no SPARQL.

A browser gets a page (`/search?q=…&page=2`); a program asking for `application/json` (or
`?format=json`) gets the hits as JSON. The snippets' marks around matched words are control
characters in the index; here the text around them is escaped and they become `<mark>` elements.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from ..search import SNIPPET_CLOSE, SNIPPET_OPEN, SearchError, SearchIndex, build_index
from . import linked_data as ld
from .pages import Markup, h, link, page

PER_PAGE = 20
MAX_PAGE = 50
MAX_QUERY = 200


def _lock(app) -> asyncio.Lock:
    if getattr(app.state, "search_lock", None) is None:
        app.state.search_lock = asyncio.Lock()
    return app.state.search_lock


async def search_index(app) -> SearchIndex:
    """The index of the served store, built on first use.

    Over an upstream store the build runs in the background, started by the first search and never
    cut short by one: a search waits for it at most the front's time limit (then TimeoutError)."""
    index = getattr(app.state, "search_index", None)
    if index is not None:
        return index
    served = app.state.served
    if served.settings.upstream:
        building = getattr(app.state, "search_building", None)
        if building is None or (building.done() and building.exception() is not None):
            from ..upstream_front import without_limit

            building = app.state.search_building = asyncio.ensure_future(asyncio.to_thread(
                without_limit, build_index, served.store, served.catalog.graphs, Path(served.tempdir) / "search.sqlite",
                served.catalog.triples))
        index = await asyncio.wait_for(asyncio.shield(building), timeout=served.settings.timeout)
        app.state.search_index = index
        return index
    async with _lock(app):
        index = getattr(app.state, "search_index", None)
        if index is None:
            path = Path(served.tempdir) / "search.sqlite"
            index = await asyncio.to_thread(build_index, served.store, served.catalog.graphs, path)
            app.state.search_index = index
    return index


def _snippet(text: str) -> Markup:
    parts = []
    for i, piece in enumerate(text.split(SNIPPET_OPEN)):
        if i == 0:
            parts.append(h("span", None, piece.replace(SNIPPET_CLOSE, "")))
            continue
        marked, _, rest = piece.partition(SNIPPET_CLOSE)
        parts.append(h("mark", None, marked))
        parts.append(h("span", None, rest.replace(SNIPPET_CLOSE, "")))
    return Markup("".join(parts))


def search_form(value: str = "") -> Markup:
    return h("form", {"class": "search", "action": "/search", "method": "get", "role": "search"},
             h("input", {"type": "search", "name": "q", "value": value, "placeholder": "Search names, symbols, text",
                         "aria-label": "Search", "maxlength": str(MAX_QUERY)}),
             h("button", {"type": "submit"}, "Search"))


def _type_name(labeller: ld.Labeller, iri: str) -> str:
    if not iri:
        return ""
    import pyoxigraph as ox

    return labeller.label(ox.NamedNode(iri)) or labeller.short(iri)


def results_page(query: str, hits, total: int, page_number: int, labeller: ld.Labeller) -> bytes:
    items = []
    for hit in hits:
        kind = _type_name(labeller, hit.type) or hit.kind
        items.append(h("li", {"class": "hit", "data-kind": hit.kind},
                       h("div", None, link(hit.iri, hit.title or labeller.short(hit.iri)), " ",
                         h("span", {"class": "muted"}, kind + (f" · {hit.lang}" if hit.lang else ""))),
                       h("div", {"class": "snippet"}, _snippet(hit.snippet)),
                       h("div", {"class": "iri muted"}, hit.iri)))
    pages = max(1, min(MAX_PAGE, (total + PER_PAGE - 1) // PER_PAGE))
    nav = []
    if page_number > 1:
        nav.append(h("a", {"href": f"/search?q={_q(query)}&page={page_number - 1}", "rel": "prev"}, "← previous"))
    if page_number < pages:
        nav.append(h("a", {"href": f"/search?q={_q(query)}&page={page_number + 1}", "rel": "next"}, "next →"))
    first = (page_number - 1) * PER_PAGE + 1
    summary = (f"{total} result{'s' if total != 1 else ''}" +
               (f", {first}–{first + len(hits) - 1} shown" if hits else "") + f" for “{query}”, best first.")
    body = [h("h1", None, "Search"), search_form(query),
            h("p", {"class": "muted", "id": "search-summary"}, summary),
            h("ol", {"class": "hits", "start": str(first)}, items) if items else
            h("p", None, "Nothing found. Try fewer words, a symbol such as 74/176, or the start of a word."),
            h("p", {"class": "pager"}, [[n, " "] for n in nav]) if nav else None]
    return page(f"Search: {query}", *body)


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


async def search(request: Request) -> Response:
    from .app import html_response, plain  # the app's own helpers: one way to answer

    query = (request.query_params.get("q") or "").strip()
    wants_json = request.query_params.get("format") == "json" or ld.negotiate(
        request.headers.get("accept"), ["text/html", "application/json"]) == "application/json"
    try:
        page_number = max(1, min(MAX_PAGE, int(request.query_params.get("page", "1"))))
    except ValueError:
        return plain(400, "page must be a whole number")
    if not query:
        if wants_json:
            return plain(400, "give words to search for: /search?q=…")
        return html_response(page("Search", h("h1", None, "Search"), search_form(),
                                  h("p", {"class": "muted"}, "Names of bodies, States and acts, document symbols "
                                                             "(CTOC/COP/2012/1, 74/176), titles and the text of "
                                                             "every paragraph, best match first.")))
    if len(query) > MAX_QUERY:
        return plain(400, f"the search is longer than {MAX_QUERY} characters")
    if request.app.state.served.settings.upstream:
        from ..upstream_front import TIMEOUT_MESSAGE, within_limit

        limit = request.app.state.served.settings.timeout
        try:  # the index is waited for, and the results' labels fetched, within the front's time limit
            return await within_limit(limit, lambda: _search(request, query, page_number, wants_json))
        except TimeoutError:
            return plain(503, TIMEOUT_MESSAGE.format(limit=limit))
    return await _search(request, query, page_number, wants_json)


async def _search(request, query: str, page_number: int, wants_json: bool):
    from .app import html_response, plain

    index = await search_index(request.app)
    try:
        total = await asyncio.to_thread(index.count, query)
        hits = await asyncio.to_thread(index.search, query, PER_PAGE, (page_number - 1) * PER_PAGE)
    except SearchError as exc:
        if wants_json:
            return plain(400, str(exc))
        return html_response(page("Search", h("h1", None, "Search"), search_form(query), h("p", None, str(exc))), 400)
    if wants_json:
        body = {"query": query, "total": total, "page": page_number, "per_page": PER_PAGE,
                "hits": [{**hit.as_dict(), "snippet": hit.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")}
                         for hit in hits]}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/json",
                        headers={"Access-Control-Allow-Origin": "*", "Vary": "Accept"})
    served = request.app.state.served
    labeller = ld.Labeller(served.store, served.catalog.graph_set, served.ontology.store)
    body = await asyncio.to_thread(results_page, query, hits, total, page_number, labeller)
    return html_response(body, headers={"Vary": "Accept"})


__all__ = ["PER_PAGE", "results_page", "search", "search_form", "search_index"]
