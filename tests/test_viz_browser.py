"""The pages as a reader sees them: opened in headless Chromium (Debian's `chromium` package).

These tests fail, never skip, when Chromium is missing: CI must install it (`apt-get install -y
chromium`). Each page must draw on its canvas, log no error, ask for nothing but its own file, and
leave a screenshot; a page built from hostile labels must show them as text and run none of them.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import networkx as nx
import pytest

from kg.viz import citations, landscape, lineage, participation, write_page
from kg.viz.browser import Chromium, find_chromium

pytestmark = pytest.mark.browser

MARK = "data-pwned"
HOSTILE_LABEL = f"<img src=x onerror=\"document.documentElement.setAttribute('{MARK}','img')\">"
HOSTILE_NAME = f"</script><script>document.documentElement.setAttribute('{MARK}','script')</script>"
HOSTILE_TITLE = "Report <img src=x onerror=\"document.title='pwned'\">"


def test_chromium_is_installed():
    assert find_chromium(), "headless Chromium is needed: apt-get install -y chromium"


@pytest.fixture(scope="module")
def browser():
    with Chromium(width=1400, height=900, timeout=60) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Screenshots go to a temporary folder; UNTOC_KG_SCREENSHOTS=DIR keeps a copy (CI artefacts)."""
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    keep = os.environ.get("UNTOC_KG_SCREENSHOTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        for png in sorted(folder.glob("*.png")):
            shutil.copy(png, keep)


def check_page(browser, path, shots, name):
    tab = browser.open(path, screenshot=shots / f"{name}.png")
    report = tab.report
    assert report.attributes.get("data-rendered") == "true", report
    assert int(report.attributes["data-painted"]) > 200, report.attributes  # pixels drawn on the canvas
    assert report.errors == [], report.errors
    assert report.dialogs == []
    assert set(report.requests) <= {path.resolve().as_uri()}, report.requests
    png = (shots / f"{name}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    return tab


@pytest.mark.parametrize("kind", ["landscape", "lineage", "participation", "citations"])
def test_each_page_draws_without_errors_or_requests(browser, built_store, tmp_path, shots, kind):
    make = {"landscape": landscape, "lineage": lineage, "participation": participation, "citations": citations}[kind]
    graph = make(built_store)
    path = write_page(graph, tmp_path / f"{kind}.html")
    tab = check_page(browser, path, shots, kind)
    assert tab.report.attributes["data-nodes"] == str(graph.number_of_nodes())
    assert tab.evaluate("document.querySelectorAll('#legend .legend-row').length") > 2
    assert tab.evaluate("document.title") == graph.graph["title"]
    tab.close()


def test_menu_shows_one_meeting_and_search_finds_a_name(browser, built_store, tmp_path, shots):
    graph = participation(built_store)
    tab = check_page(browser, write_page(graph, tmp_path / "participation.html"), shots, "participation-menu")
    meeting = "https://w3id.org/untoc-kg/id/meeting/wg-tip/2013-11-06"
    tab.evaluate(f"(() => {{ const s = document.getElementById('show'); s.value = {json.dumps(meeting)};"
                 f" s.dispatchEvent(new Event('change')); }})()")
    assert tab.attribute("data-visible-nodes") == str(graph.degree(meeting) + 1)
    tab.evaluate("(() => { const f = document.getElementById('find'); f.value = 'state of palestine';"
                 " f.dispatchEvent(new Event('change')); })()")
    assert tab.attribute("data-found") == "https://w3id.org/untoc-kg/id/state/PSE"
    assert "non-member observer State" in tab.evaluate("document.getElementById('details').textContent")
    tab.evaluate("(() => { const b = document.querySelector('input[data-kind=StateParty]'); b.click(); })()")
    hidden = tab.evaluate("window.untocNetwork.body.data.edges.get({filter: e => e.hidden}).length")
    assert hidden == sum(1 for *_, k in graph.edges(data="kind") if k == "StateParty")
    tab.screenshot(shots / "participation-filtered.png")
    assert tab.refresh_report().errors == []
    tab.close()


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(kind="landscape", title=HOSTILE_TITLE, description=HOSTILE_NAME, layout="force",
                            menu_types=["UN entity"], kinds={"partner": "partner of"})
    graph.add_node("https://example.org/evil", label=HOSTILE_LABEL, name=HOSTILE_NAME, type="UN entity", date="",
                   aliases=["<svg onload=alert(3)>"], link="javascript:alert(4)",
                   details=["<a href='javascript:alert(5)'>href</a>"])
    graph.add_node("https://example.org/data", label="data link", name="data link", type="UN entity", date="",
                   aliases=[], link="data:text/html,<script>alert(6)</script>", details=[])
    graph.add_node("https://example.org/good", label="UN documents", name="UN documents", type="UN entity",
                   date="", aliases=[], link="https://undocs.org/CTOC/COP/2012/1", details=[])
    evidence = [{"document": "d", "document_label": "<b>doc</b>", "number": "1",
                 "quote": "see <a href=\"javascript:alert(7)\">href</a><img src=x onerror=alert(8)>"}]
    graph.add_edge("https://example.org/evil", "https://example.org/data", key="a", kind="partner",
                   label="partner of", date="", until="", detail=HOSTILE_LABEL, fact="", evidence=evidence)
    graph.add_edge("https://example.org/data", "https://example.org/good", key="b", kind="partner",
                   label="partner of", date="", until="", detail="", fact="", evidence=[])
    return graph


def test_a_hostile_label_is_shown_as_text_and_runs_nothing(browser, tmp_path, shots):
    path = write_page(hostile_graph(), tmp_path / "hostile.html")
    tab = check_page(browser, path, shots, "hostile")
    root = "document.documentElement"

    def no_script_ran():
        assert tab.evaluate(f"{root}.hasAttribute('{MARK}')") is False
        assert tab.evaluate("document.title") == HOSTILE_TITLE  # the characters, not an element
        assert tab.evaluate("document.querySelectorAll('img, svg, iframe, object, embed, b').length") == 0
        assert tab.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i], a[href^=\"data:\" i]')"
                            ".length") == 0
        report = tab.refresh_report()
        assert report.dialogs == [] and report.errors == [], (report.dialogs, report.errors)

    no_script_ran()
    assert tab.evaluate("document.getElementById('title').textContent") == HOSTILE_TITLE

    # hover: vis-network's tooltip shows the label's characters as text (line breaks are its only elements)
    where = tab.evaluate("(() => { const n = window.untocNetwork; const p = n.canvasToDOM(n.getPosition("
                         "'https://example.org/evil')); const r = document.getElementById('network')"
                         ".getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()")
    tab.mouse("mouseMoved", where[0] + 1, where[1] + 1)
    tab.mouse("mouseMoved", where[0], where[1])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        tooltip = tab.evaluate("(() => { const t = document.querySelector('div.vis-tooltip');"
                               " return t && t.style.visibility === 'visible' ? [t.textContent,"
                               " Array.from(t.querySelectorAll('*')).filter(c => c.tagName !== 'BR').length]"
                               " : null; })()")
        if tooltip:
            break
        time.sleep(0.1)
    assert tooltip and HOSTILE_NAME in tooltip[0] and tooltip[1] == 0, tooltip
    tab.screenshot(shots / "hostile-tooltip.png")

    # click: the details panel shows the label, the name and the links as text
    tab.click(where[0], where[1])
    details = tab.evaluate("document.getElementById('details').textContent")
    assert HOSTILE_LABEL in details and HOSTILE_NAME in details and "javascript:alert(4)" in details
    no_script_ran()

    # an edge's evidence, and the other nodes' links: only http(s) becomes a link
    tab.evaluate("window.untocNetwork.selectEdges(['e0'])")
    for node, clickable in (("https://example.org/data", False), ("https://example.org/good", True)):
        tab.evaluate(f"(() => {{ const f = document.getElementById('find'); f.value = "
                     f"{json.dumps('data link' if not clickable else 'UN documents')};"
                     f" f.dispatchEvent(new Event('change')); }})()")
        assert tab.attribute("data-found") == node
        links = tab.evaluate("Array.from(document.querySelectorAll('#details a')).map(a => a.href)")
        assert links == (["https://undocs.org/CTOC/COP/2012/1"] if clickable else [])
    no_script_ran()
    tab.close()


def test_evidence_of_an_edge_is_text(browser, tmp_path, shots):
    path = write_page(hostile_graph(), tmp_path / "hostile-edge.html")
    tab = check_page(browser, path, shots, "hostile-edge")
    where = tab.evaluate("(() => { const n = window.untocNetwork; const a = n.getPosition('https://example.org/evil');"
                         " const b = n.getPosition('https://example.org/data'); const p = n.canvasToDOM("
                         "{x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}); const r = document.getElementById('network')"
                         ".getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()")
    tab.click(where[0], where[1])
    details = tab.evaluate("document.getElementById('details').textContent")
    assert "<img src=x onerror=alert(8)>" in details and "<b>doc</b>" in details, details
    assert tab.evaluate("document.querySelectorAll('#details img, #details a, #details b').length") == 0
    assert not tab.evaluate(f"document.documentElement.hasAttribute('{MARK}')")
    assert tab.refresh_report().errors == []
    tab.close()
