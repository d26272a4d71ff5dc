"""The query page, search and IRI pages in headless Chromium (Debian's `chromium`), over HTTP from
a running server: the SPARQL editor highlights, completes and marks errors; results are a table
to sort, filter and page, a timeline, a graph; a copied link reopens the same query and view.
Pages log no error (the Content-Security-Policy allows the editor) and fit 1,024 and 1,400 px.
These tests fail, never skip, without Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from kg.viz.browser import Chromium, Tab
from tests.test_server import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(built_store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("query-page") / "server.log"
    with running_server(built_store, "--workers", "2", log=log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with Chromium(width=1400, height=1000, timeout=60) as chromium:
        yield chromium


def wait(tab: Tab, expression: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = tab.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"never true: {expression}")


def open_page(browser, url: str, ready: str = "data-ready") -> Tab:
    tab = Tab(browser, url)
    tab.load(ready, 30, None, 0.2)
    return tab


def run_and_wait(tab: Tab) -> None:
    tab.evaluate("document.documentElement.setAttribute('data-done', 'false');"
                 "document.getElementById('run').click()")
    wait(tab, "document.documentElement.getAttribute('data-done') === 'true'")


def clean(tab: Tab, expected: tuple[str, ...] = ()) -> None:
    report = tab.refresh_report()
    errors = [e for e in report.errors if not any(x in e for x in expected)]
    assert errors == [], errors
    assert all(r.startswith(tab.report.url.split("/", 3)[0] + "//" + tab.report.url.split("/", 3)[2]) or
               r.startswith(("data:", "blob:")) for r in report.requests), report.requests


SHADOW = "document.querySelector('.sparql-editor').shadowRoot"


def test_the_editor_highlights_completes_and_marks_errors(browser, base, shots):
    tab = open_page(browser, base + "/")
    assert tab.evaluate(f"{SHADOW}.querySelector('.cm-content') !== null")
    # highlighting: keywords and variables get styles of their own
    classes = tab.evaluate(f"Array.from(new Set(Array.from({SHADOW}.querySelectorAll('.cm-content span'))"
                           ".map(s => getComputedStyle(s).color)))")
    assert len(classes) >= 2, classes  # keywords and variables, at least
    # completion: typing a prefix's start offers the prefixes the server declares
    tab.evaluate("window.untocQueryEditor.setValue('SELECT * WHERE { ?s a ')")
    tab.evaluate("(() => { const v = window.untocQueryEditor.view; v.focus();"
                 " v.dispatch({selection: {anchor: v.state.doc.length}}); })()")
    tab.send("Input.insertText", {"text": "uk"})
    options = wait(tab, f"(() => {{ const t = {SHADOW}.querySelector('.cm-tooltip-autocomplete');"
                        " return t && Array.from(t.querySelectorAll('li')).map(li => li.textContent); })()")
    assert any(o.startswith("ukg:") for o in options), options
    tab.send("Input.insertText", {"text": "g:Mand"})
    options = wait(tab, f"(() => {{ const t = {SHADOW}.querySelector('.cm-tooltip-autocomplete');"
                        " const o = t && Array.from(t.querySelectorAll('li')).map(li => li.textContent);"
                        " return o && o.some(x => x.startsWith('ukg:Mandate')) && o; })()")
    assert "ukg:MandateEvent" in options
    # error markers: an unknown prefix and an unclosed brace, before running
    tab.evaluate("window.untocQueryEditor.setValue('SELECT * WHERE { ?s foo:bar ?o ')")
    marks = wait(tab, f"{SHADOW}.querySelectorAll('.cm-lintRange-error').length")
    assert marks >= 2
    problems = tab.evaluate("window.untocQueryEditor.diagnostics().map(d => d.message)")
    assert any("unknown prefix foo:" in p for p in problems) and any("never closed" in p for p in problems)
    # and the server's own parse error is marked where it says
    tab.evaluate("window.untocQueryEditor.setValue('SELECT * WHERE { ?s ?p ?o . FILTER( }')")
    run_and_wait(tab)
    assert "Parse error" in tab.evaluate("document.getElementById('results').textContent")
    wait(tab, f"{SHADOW}.querySelectorAll('.cm-lintRange-error').length")
    tab.screenshot(shots / "query-editor-error.png")
    clean(tab, expected=("status of 400",))  # the browser logs the refused query's 400
    tab.close()


def test_results_table_sorts_filters_pages_and_names_iris(browser, base, shots):
    tab = open_page(browser, base + "/")
    tab.evaluate("window.untocQueryEditor.setValue('SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 180')")
    run_and_wait(tab)
    assert tab.attribute("data-rows-shown") == "50" and tab.attribute("data-rows-filtered") == "180"
    first_page = tab.evaluate("Array.from(document.querySelectorAll('#result-table tbody tr')).map(r => r.textContent)")
    tab.evaluate("document.getElementById('next-page').click()")
    second_page = tab.evaluate("Array.from(document.querySelectorAll('#result-table tbody tr')).map(r => r.textContent)")
    assert len(second_page) == 50 and second_page != first_page
    tab.evaluate("document.querySelector('button.sort[data-var=p]').click()")
    column = tab.evaluate("Array.from(document.querySelectorAll('#result-table tbody tr td:nth-child(2)'))"
                          ".map(td => td.textContent)")
    assert column == sorted(column, key=str.lower) or tab.evaluate("document.querySelector('th[data-var=p]')"
                                                                   ".getAttribute('aria-sort')") == "ascending"
    tab.evaluate("document.querySelector('button.sort[data-var=p]').click()")
    assert tab.evaluate("document.querySelector('th[data-var=p]').getAttribute('aria-sort')") == "descending"
    tab.evaluate("(() => { const f = document.getElementById('filter'); f.value = 'prefLabel';"
                 " f.dispatchEvent(new Event('input')); })()")
    filtered = int(tab.attribute("data-rows-filtered"))
    assert 0 < filtered < 180
    # names beside IRIs: the canned lineage shows the acts' names next to their IRIs
    tab.close()
    tab = open_page(browser, base + "/?canned=lineage&run=1")
    wait(tab, "document.documentElement.getAttribute('data-done') === 'true'")
    wait(tab, "document.documentElement.getAttribute('data-names')")
    wait(tab, "document.querySelectorAll('#result-table td .name').length > 0")
    names = tab.evaluate("Array.from(document.querySelectorAll('#result-table td .name')).map(n => n.textContent)")
    assert "Conference decision 4/4" in names
    tab.screenshot(shots / "query-table.png")
    clean(tab)
    tab.close()


def test_dated_rows_become_a_timeline_and_construct_a_graph(browser, base, shots):
    tab = open_page(browser, base + "/?canned=lineage&view=timeline&run=1")
    wait(tab, "document.documentElement.getAttribute('data-timeline-items')")
    assert tab.attribute("data-view") == "timeline"
    items = tab.evaluate("Array.from(document.querySelectorAll('#timeline g.event')).map(g => g.getAttribute('data-date'))")
    assert items == sorted(items) and "2008-10-08" in items and len(items) == 3, items  # one per act
    texts = tab.evaluate("Array.from(document.querySelectorAll('#timeline g.event text')).map(t => t.textContent)")
    assert any("Conference decision 4/4" in t for t in texts), texts
    tab.screenshot(shots / "query-timeline.png")
    tab.close()
    construct = ("PREFIX ukg: <https://w3id.org/untoc-kg/ontology#> CONSTRUCT { ?act ukg:adoptedBy ?body ."
                 " ?act rdfs:label ?l } WHERE { ?act ukg:adoptedBy ?body ; rdfs:label ?l }")
    tab = open_page(browser, base + "/")
    tab.evaluate(f"window.untocQueryEditor.setValue({json.dumps(construct)})")
    run_and_wait(tab)
    assert tab.attribute("data-view") == "graph"
    nodes = int(wait(tab, "document.documentElement.getAttribute('data-graph-nodes')"))
    assert nodes >= 3
    assert tab.evaluate("document.querySelectorAll('#graph g.node').length") == nodes
    assert tab.evaluate("document.querySelectorAll('#graph line').length") >= 2
    tab.screenshot(shots / "query-graph.png")
    clean(tab)
    tab.close()


def test_a_copied_link_reopens_the_query_its_parameters_and_view(browser, base):
    tab = open_page(browser, base + "/")
    tab.evaluate("document.querySelector('button.canned-pick[data-name=lineage]').click()")
    tab.evaluate("document.getElementById('param-body').value = 'id:body/wg-tip'")
    run_and_wait(tab)
    tab.evaluate("document.querySelector('#views button[data-view=timeline]').click()")
    tab.evaluate("document.getElementById('copy-link').click()")
    link = wait(tab, "document.getElementById('share-link').value")
    assert "canned=lineage" in link and "view=timeline" in link and "param.body=id%3Abody%2Fwg-tip" in link
    tab.close()
    again = open_page(browser, link)
    wait(again, "document.documentElement.getAttribute('data-timeline-items')")
    assert again.attribute("data-view") == "timeline"
    assert again.evaluate("document.getElementById('param-body').value") == "id:body/wg-tip"
    assert "?mandate ukg:holder ?body" in again.evaluate("window.untocQueryEditor.getValue()")
    again.close()
    # a query of one's own travels whole
    tab = open_page(browser, base + "/")
    own = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
    tab.evaluate(f"window.untocQueryEditor.setValue({json.dumps(own)})")
    tab.evaluate("document.getElementById('copy-link').click()")
    link = wait(tab, "document.getElementById('share-link').value")
    tab.close()
    again = open_page(browser, link)
    wait(again, "document.documentElement.getAttribute('data-done') === 'true'")
    assert again.evaluate("window.untocQueryEditor.getValue()") == own
    again.close()


def test_the_examples_list_filters_and_shows_no_cli_comments(browser, base):
    tab = open_page(browser, base + "/")
    total = int(tab.attribute("data-canned-shown"))
    tab.evaluate("(() => { const f = document.getElementById('canned-filter'); f.value = 'lineage';"
                 " f.dispatchEvent(new Event('input')); })()")
    shown = int(tab.attribute("data-canned-shown"))
    assert 1 <= shown < total
    visible = tab.evaluate("Array.from(document.querySelectorAll('#canned-list li:not([hidden])')).map(l => l.dataset.name)")
    assert "lineage" in visible
    tab.evaluate("document.querySelector('button.canned-pick[data-name=lineage]').click()")
    text = tab.evaluate("window.untocQueryEditor.getValue()")
    assert not text.startswith("#") and "--param" not in text
    assert "Mandate lineage of a body" in tab.evaluate("document.getElementById('canned-description').textContent")
    tab.close()


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("path", ["/?canned=lineage&run=1", "/id/body/wg-tip", "/ontology", "/search?q=trafficking"])
def test_pages_fit_the_width_and_columns_do_not_overlap(base, shots, width, path):
    with Chromium(width=width, height=900, timeout=60) as chromium:
        tab = open_page(chromium, base + path, ready="lang")
        if path.startswith("/?"):
            wait(tab, "document.documentElement.getAttribute('data-done') === 'true'")
            wait(tab, "document.documentElement.getAttribute('data-names')")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than {width} px"
        overlaps = tab.evaluate("""(() => { const out = [];
            for (const dl of document.querySelectorAll('dl.facts, dl.summary')) {
              for (const dt of dl.querySelectorAll(':scope > dt')) {
                const dd = dt.nextElementSibling; if (!dd) continue;
                const a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
                if (a.right > b.left + 1 && a.top < b.bottom && b.top < a.bottom) out.push(dt.textContent);
              } }
            return out; })()""")
        assert overlaps == [], f"{path}: term overlaps its value: {overlaps[:5]}"
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-").replace("=", "-") or "home"
        tab.screenshot(shots / f"page-{name}-{width}.png")
        clean(tab)
        tab.close()
