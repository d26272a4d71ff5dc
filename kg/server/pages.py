"""HTML for people: the query page at `/`, and the element builder every page is made with.

Why a builder and not templates or f-strings: every string that reaches a page comes from the graph
(labels, paragraph text, IRIs) or from a request, and any of them may hold `<script>`. `h()` escapes
every text child and every attribute value, so a page cannot be assembled unescaped by mistake;
only `Markup` returned by `h()` itself passes through as HTML. A link goes out only for `http:`,
`https:` or a path of our own, never for `javascript:`.

The query page works offline: its script and style are files in `static/`, served by the server
itself, and the canned queries (`queries/*.rq`, with their titles, descriptions and parameters)
travel in the page as JSON data, not as code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from urllib.parse import urlsplit

from ..vocab import ID_BASE, ONTOLOGY_IRI

STYLESHEET = "/static/style.css"
SCRIPT = "/static/query.js"
EDITOR = "/static/vendor/sparql-editor.js"
FAVICON = "/static/favicon.svg"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""The Content-Security-Policy of every page: nothing runs or loads from anywhere but here."""

_VOID = frozenset({"meta", "link", "br", "hr", "input", "img"})


class Markup(str):
    """HTML that `h()` made, and so is safe to put in a page as it is."""


Child = "str | Markup | None | Iterable[Child]"


def _render_children(children) -> str:
    parts = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, Markup):
            parts.append(str(child))
        elif isinstance(child, str):
            parts.append(escape(child, quote=False))
        elif isinstance(child, (int, float)):
            parts.append(escape(str(child), quote=False))
        else:
            parts.append(_render_children(child))
    return "".join(parts)


def h(tag: str, attrs: Mapping[str, object] | None = None, *children) -> Markup:
    """`<tag attr="…">children</tag>`, every value escaped (None and False attributes left out)."""
    rendered = []
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if value is True:
            rendered.append(f" {name}")
        else:
            rendered.append(f' {name}="{escape(str(value), quote=True)}"')
    opening = f"<{tag}{''.join(rendered)}>"
    if tag in _VOID:
        return Markup(opening)
    return Markup(f"{opening}{_render_children(children)}</{tag}>")


def raw_join(parts: Iterable[Markup]) -> Markup:
    return Markup("".join(str(p) for p in parts))


def safe_href(iri: str) -> str | None:
    """Where a link to an IRI should go: our own IRIs to our pages, the web's to the web, else none."""
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
        return "/ontology" + iri[len(ONTOLOGY_IRI):]
    if urlsplit(iri).scheme in ("http", "https"):
        return iri
    return None


def link(iri: str, text: str | None = None, **attrs) -> Markup:
    href = safe_href(iri)
    shown = text if text is not None else iri
    if href is None:
        return h("span", {"class": "iri", "title": iri}, shown)
    external = not href.startswith("/")
    return h("a", {"href": href, "title": iri, "rel": "noopener noreferrer" if external else None, **attrs},
             shown)


def page(title: str, *body, head_extra: Iterable[Markup] = ()) -> bytes:
    """A whole HTML document around `body`, with the site's navigation."""
    nav = h("nav", None,
            h("a", {"href": "/"}, "Query"), " · ",
            h("a", {"href": "/ontology"}, "Ontology"), " · ",
            h("a", {"href": "/.well-known/void"}, "Dataset (VoID)"), " · ",
            h("a", {"href": "/sparql"}, "Service description"), " · ",
            h("a", {"href": "/dumps/"}, "Dumps"))
    doc = h("html", {"lang": "en"},
            h("head", None,
              h("meta", {"charset": "utf-8"}),
              h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
              h("title", None, f"{title} – untoc-kg"),
              h("link", {"rel": "stylesheet", "href": STYLESHEET}),
              h("link", {"rel": "icon", "href": FAVICON, "type": "image/svg+xml"}),
              list(head_extra)),
            h("body", None, h("header", None, h("span", {"class": "site"}, "untoc-kg"), nav, _header_search()),
              h("main", None, *body)))
    return ("<!DOCTYPE html>\n" + doc + "\n").encode("utf-8")


def _header_search() -> Markup:
    return h("form", {"class": "header-search", "action": "/search", "method": "get", "role": "search"},
             h("input", {"type": "search", "name": "q", "placeholder": "Search names, symbols, text",
                         "aria-label": "Search the graph"}))


def json_data(element_id: str, data) -> Markup:
    """Data for the page's script, as JSON that no string inside can close early (`</script>`)."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{escape(element_id, quote=True)}">{text}</script>')


# ---------------------------------------------------------------------------------------------
# The query page


def canned_queries() -> list[dict]:
    """The canned queries for the page: name, title, description, text, parameters with examples."""
    from ..sparql import QueryError, list_queries, parse_param_options

    out = []
    for canned in list_queries():
        examples: dict[str, str] = {}
        for example in canned.examples:
            try:
                examples.update(parse_param_options(_example_options(example)))
            except (ValueError, QueryError):  # an odd example line leaves its fields empty
                continue
        params = [{"name": p.name, "type": p.type, "meaning": p.meaning, "optional": p.optional,
                   "example": examples.get(p.name, "")} for p in canned.params]
        out.append({"name": canned.name, "title": canned.title or canned.name,
                    "description": canned.description, "text": strip_header(canned.text), "params": params})
    return out


def strip_header(text: str) -> str:
    """The query without its leading `#` block (title, description, params, CLI `--param` examples):
    on the page they are shown beside the editor, and the CLI's syntax means nothing there."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (lines[start].lstrip().startswith("#") or not lines[start].strip()):
        start += 1
    return "\n".join(lines[start:]).rstrip() + "\n"


def ontology_terms() -> list[str]:
    """The local names of the ontology's terms (`ukg:…`), for the editor's completion."""
    import pyoxigraph as ox

    from ..resources import ontology_dir

    store = ox.Store()
    store.load(ontology_dir().joinpath("untoc.ttl").read_bytes(), format=ox.RdfFormat.TURTLE,
               base_iri=ONTOLOGY_IRI)
    prefix = ONTOLOGY_IRI + "#"
    return sorted({q.subject.value[len(prefix):] for q in store
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)})


def _example_options(example: str) -> list[str]:
    """`--param 'name=Working Group' --param x=1` -> ['name=Working Group', 'x=1']."""
    import shlex

    words = shlex.split(example)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--param"]


def query_page(limits: Mapping[str, object]) -> bytes:
    from ..sparql import PREFIXES

    queries = canned_queries()
    limit_text = (f"Read-only. A query may run {limits.get('timeout')} s; results stop at "
                  f"{limits.get('max_results')} rows (the header X-SPARQL-Truncated says so). "
                  "SERVICE, LOAD and updates are refused. The usual prefixes (ukg:, id:, rdfs:, skos:, "
                  "dcterms:, prov:, org: …) are declared for you. Ctrl+Enter runs the query; Ctrl+Space "
                  "completes a prefix or an ontology term.")
    canned_list = h("aside", {"id": "canned-box", "aria-label": "Example queries"},
                    h("h2", None, "Examples"),
                    h("input", {"type": "search", "id": "canned-filter", "placeholder": "Filter examples",
                                "aria-label": "Filter the example queries", "autocomplete": "off"}),
                    h("ul", {"id": "canned-list", "class": "canned"},
                      [h("li", {"data-name": q["name"]},
                         h("button", {"type": "button", "class": "canned-pick", "data-name": q["name"],
                                      "title": q["description"]}, q["title"]))
                       for q in queries]))
    body = [
        h("h1", None, "Query the UNTOC knowledge graph"),
        h("p", {"class": "lead"},
          "A SPARQL 1.1 endpoint at ", h("code", None, "/sparql"),
          " over documents of the Convention against Transnational Organized Crime, its Protocols, "
          "the bodies that serve them and the acts they adopt. The default graph is the union of all "
          "graphs. Looking for one thing? ", h("a", {"href": "/search"}, "Search"), " by name or symbol."),
        h("div", {"class": "query-layout"},
          canned_list,
          h("form", {"id": "query-form", "action": "/sparql", "method": "post"},
            h("p", {"id": "canned-description", "class": "muted"}),
            h("div", {"id": "params", "class": "row"}),
            h("textarea", {"id": "query", "name": "query", "rows": "16", "spellcheck": "false",
                           "aria-label": "SPARQL query"},
              "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?n)\n"),
            h("div", {"class": "row"},
              h("button", {"id": "run", "type": "submit"}, "Run query"),
              h("label", {"for": "format"}, " Result as: "),
              h("select", {"id": "format"},
                h("option", {"value": "table"}, "on this page"),
                h("option", {"value": "application/sparql-results+json"}, "SPARQL JSON"),
                h("option", {"value": "application/sparql-results+xml"}, "SPARQL XML"),
                h("option", {"value": "text/csv"}, "CSV"),
                h("option", {"value": "text/tab-separated-values"}, "TSV"),
                h("option", {"value": "text/turtle"}, "Turtle (CONSTRUCT, DESCRIBE)"),
                h("option", {"value": "application/ld+json"}, "JSON-LD (CONSTRUCT, DESCRIBE)")),
              h("button", {"id": "copy-link", "type": "button", "class": "secondary",
                           "title": "A link that opens this query, its parameters and the view"}, "Copy link"),
              h("input", {"id": "share-link", "type": "text", "readonly": True, "aria-label": "Link to this query",
                          "hidden": True}),
              h("span", {"id": "status", "class": "status", "role": "status", "aria-live": "polite"})),
            h("p", {"class": "muted small"}, limit_text))),
        h("div", {"id": "views", "class": "row", "hidden": True, "role": "tablist"},
          h("button", {"type": "button", "class": "view", "data-view": "table", "role": "tab"}, "Table"),
          h("button", {"type": "button", "class": "view", "data-view": "timeline", "role": "tab"}, "Timeline"),
          h("button", {"type": "button", "class": "view", "data-view": "graph", "role": "tab"}, "Graph"),
          h("input", {"type": "search", "id": "filter", "placeholder": "Filter rows", "aria-label": "Filter rows"}),
          h("span", {"id": "pager"})),
        h("div", {"id": "results"}),
        json_data("canned-queries", queries),
        json_data("prefixes", PREFIXES),
        json_data("ontology-terms", {"ukg": ontology_terms()}),
        h("script", {"src": EDITOR, "defer": True}),
        h("script", {"src": SCRIPT, "defer": True}),
    ]
    return page("Query", *body)


def message_page(title: str, message: str) -> bytes:
    return page(title, h("h1", None, title), h("p", None, message))


__all__ = ["CSP", "Markup", "canned_queries", "ontology_terms", "strip_header", "h", "json_data", "link", "message_page", "page",
           "query_page", "raw_join", "safe_href"]
