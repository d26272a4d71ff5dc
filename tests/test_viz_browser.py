"""The pages as a reader sees them: opened in headless Chromium (Debian's `chromium` package).

These tests fail, never skip, when Chromium is missing: CI must install it (`apt-get install -y
chromium`). Each page must draw on its canvas, log no error, ask for nothing but its own file, and
leave a screenshot; a page built from hostile labels must show them as text and run none of them.
"""

from __future__ import annotations

import json
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


# ---------------------------------------------------------------------------------------------
# Readable pictures: the whole drawing in the frame at common widths, labels legible and apart,
# edges in their legend colours when a node is focused, weak ties hidden at first, downloads.

GEOMETRY = """(() => {
  const n = window.untocNetwork, frame = document.getElementById('network').getBoundingClientRect();
  const scale = n.getScale(), out = {width: frame.width, height: frame.height, outside: [], labels: [],
                                     scale: scale, ticks: []};
  const ids = n.body.data.nodes.getIds().filter(id => !n.body.data.nodes.get(id).hidden);
  for (const id of ids) {
    const node = n.body.nodes[id], p = n.canvasToDOM({x: node.x, y: node.y}), r = node.options.size * scale;
    if (p.x - r < -0.5 || p.y - r < -0.5 || p.x + r > frame.width + 0.5 || p.y + r > frame.height + 0.5) {
      out.outside.push(id);
    }
    if (node.options.label) {
      const s = node.labelModule.size, a = n.canvasToDOM({x: s.left, y: s.top});
      const lines = node.options.label.split('\\n').length;
      out.labels.push({id: id, left: a.x, top: a.y, right: a.x + s.width * scale, bottom: a.y + s.height * scale,
                       px: s.height * scale / lines / 1.0});
    }
  }
  for (const id of n.body.data.edges.getIds()) {
    const edge = n.body.edges[id];
    if (!edge || n.body.data.edges.get(id).hidden || !(edge.options.label || '').trim()) continue;
    const s = edge.labelModule.size, a = n.canvasToDOM({x: s.left, y: s.top});
    out.labels.push({id: id, edge: true, left: a.x, top: a.y, right: a.x + s.width * scale,
                     bottom: a.y + s.height * scale, px: edge.labelModule.fontOptions.size * scale});
  }
  return out;
})()"""


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 \
        and b["top"] < a["bottom"] - 1


def assert_fits(geometry: dict, what: str) -> None:
    assert geometry["outside"] == [], f"{what}: nodes outside the frame: {geometry['outside'][:5]}"
    for label in geometry["labels"]:
        assert label["left"] >= -1 and label["top"] >= -1, (what, label)
        assert label["right"] <= geometry["width"] + 1 and label["bottom"] <= geometry["height"] + 1, (what, label)
        least = 10 if label.get("edge") else 12
        assert label["px"] >= least, f"{what}: a label drawn {label['px']:.1f} px high: {label['id']}"
    labels = sorted(geometry["labels"], key=lambda b: b["left"])
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if b["left"] >= a["right"]:
                break
            assert not _overlap(a, b), f"{what}: labels overlap: {a['id']} and {b['id']}"


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("kind", ["landscape", "lineage", "participation", "citations"])
def test_the_whole_drawing_fits_the_viewport(built_store, tmp_path, shots, kind, width):
    make = {"landscape": landscape, "lineage": lineage, "participation": participation, "citations": citations}[kind]
    graph = make(built_store)
    path = write_page(graph, tmp_path / f"{kind}.html")
    with Chromium(width=width, height=800, timeout=60) as chromium:
        tab = chromium.open(path, screenshot=shots / f"fit-{kind}-{width}.png")
        geometry = tab.evaluate(GEOMETRY)
        assert_fits(geometry, f"{kind} at {width} px")
        assert geometry["labels"], "no label at all is shown"
        if kind == "lineage":  # every year of the axis is inside the frame, 2012 (COP 6, resolution 6/1) too
            ticks = tab.evaluate("(() => { const n = window.untocNetwork; const d = JSON.parse(document"
                                 ".getElementById('graph-data').textContent); return d.axis.ticks.map(t => "
                                 "[t.label, n.canvasToDOM({x: t.x, y: 0}).x]); })()")
            assert "2012" in [label for label, _ in ticks]
            assert all(0 <= x <= geometry["width"] for _, x in ticks), ticks
        assert tab.refresh_report().errors == []
        tab.close()


def test_resizing_the_window_refits_and_the_buttons_zoom(browser, built_store, tmp_path, shots):
    path = write_page(participation(built_store), tmp_path / "participation.html")
    tab = check_page(browser, path, shots, "resize-before")
    assert_fits(tab.evaluate(GEOMETRY), "at 1400 px")
    tab.send("Emulation.setDeviceMetricsOverride", {"width": 900, "height": 700, "deviceScaleFactor": 1,
                                                     "mobile": False})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (tab.attribute("data-fitted") or "").startswith(
            str(int(tab.evaluate("document.getElementById('network').clientWidth")))):
        time.sleep(0.1)
    assert_fits(tab.evaluate(GEOMETRY), "after resizing to 900 px")
    tab.screenshot(shots / "resize-after.png")
    before = tab.evaluate("window.untocNetwork.getScale()")
    tab.evaluate("document.getElementById('zoom-in').click()")
    assert tab.evaluate("window.untocNetwork.getScale()") == pytest.approx(before * 1.4)
    tab.evaluate("document.getElementById('zoom-out').click(); document.getElementById('zoom-out').click()")
    assert tab.evaluate("window.untocNetwork.getScale()") == pytest.approx(before / 1.4)
    tab.evaluate("document.getElementById('fit').click()")
    assert tab.evaluate("window.untocNetwork.getScale()") == pytest.approx(before)
    assert tab.refresh_report().errors == []
    tab.close()


def test_a_focused_node_keeps_the_legend_colours_of_its_edges(browser, built_store, tmp_path, shots):
    from kg.viz.page import EDGE_COLOURS

    graph = landscape(built_store, focus="UNODC", depth=1)
    tab = check_page(browser, write_page(graph, tmp_path / "focus.html"), shots, "focus")
    focus = graph.graph["focus"]
    colours = tab.evaluate(f"""(() => {{ const n = window.untocNetwork;
        return n.getSelectedNodes().concat([n.getConnectedEdges({json.dumps(focus)}).map(id => {{
          const e = n.body.edges[id]; return [e.options.color.color, e.options.color.highlight,
            n.body.data.edges.get(id).kind || null]; }})]); }})()""")
    assert colours[0] == focus
    edges = colours[1]
    assert edges
    for colour, highlight, _ in edges:
        assert highlight == colour and colour != "#000", edges
    legend = set(tab.evaluate("Array.from(document.querySelectorAll('#legend-edges .line'))"
                              ".map(l => getComputedStyle(l).borderTopColor)"))
    assert len(legend) >= 2
    assert {c for c, _, _ in edges} <= set(EDGE_COLOURS.values())
    tab.close()


def test_observers_at_the_same_meeting_are_hidden_until_ticked(browser, built_store, tmp_path, shots):
    graph = landscape(built_store)
    co = sum(1 for *_, k in graph.edges(data="kind") if k == "co-observer")
    assert co > 0
    tab = check_page(browser, write_page(graph, tmp_path / "landscape.html"), shots, "co-observers")
    hidden = "window.untocNetwork.body.data.edges.get({filter: e => e.hidden}).length"
    assert tab.evaluate(hidden) == co
    assert tab.evaluate("document.querySelector('input[data-kind=co-observer]').checked") is False
    tab.evaluate("document.querySelector('input[data-kind=co-observer]').click()")
    assert tab.evaluate(hidden) == 0
    tab.evaluate("document.getElementById('reset').click()")
    assert tab.evaluate(hidden) == co
    tab.close()


def test_the_hover_box_quotes_the_sentence_that_states_the_tie(browser, built_store, tmp_path, shots):
    graph = participation(built_store)
    tab = check_page(browser, write_page(graph, tmp_path / "participation.html"), shots, "sentence")
    rows = tab.evaluate("""(() => { const d = JSON.parse(document.getElementById('graph-data').textContent);
        const es = window.untocNetwork.body.data.edges;
        return d.edges.filter(e => e.evidence.length && e.evidence[0].quote.length > 400)
          .map(e => [es.get(e.id).title, e.evidence[0].quote, e.evidence[0].sentence]); })()""")
    assert rows, "no long paragraph to test with"
    for title, quote, sentence in rows:
        assert sentence and len(sentence) < len(quote)
        assert sentence.strip("…")[:60] in title
    tab.close()


def test_downloads_give_the_picture_and_the_table(browser, built_store, tmp_path, shots):
    import base64
    import csv
    import io
    import xml.etree.ElementTree as ET

    graph = landscape(built_store)
    path = write_page(graph, tmp_path / "landscape.html")
    tab = check_page(browser, path, shots, "downloads")
    svg = ET.fromstring(tab.evaluate("window.untocPage.svg()").split("\n", 1)[1])
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(svg.findall(".//s:g[@class='nodes']/s:g", ns)) == graph.number_of_nodes()
    texts = {"".join(t.itertext()) for t in svg.findall(".//s:g[@class='nodes']//s:text", ns)}
    assert "UNODC" in texts
    visible_edges = sum(1 for *_, k in graph.edges(data="kind") if k != "co-observer")
    assert len(svg.findall(".//s:g[@class='edges']/s:path", ns)) == visible_edges
    rows = list(csv.DictReader(io.StringIO(tab.evaluate("window.untocPage.csv()"))))
    assert len(rows) == sum(max(len(d.get("evidence", [])), 1) for *_, d in graph.edges(data=True))
    assert {"UNODC", "United Nations Office on Drugs and Crime"} & {r["source"] for r in rows}
    png = base64.b64decode(tab.evaluate("window.untocPage.png()").split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert set(tab.refresh_report().requests) <= {path.resolve().as_uri()}
    tab.close()


def test_the_print_layout_hides_the_controls_and_keeps_the_picture(browser, built_store, tmp_path, shots):
    tab = check_page(browser, write_page(participation(built_store), tmp_path / "print.html"), shots, "print")
    tab.send("Emulation.setEmulatedMedia", {"media": "print"})
    time.sleep(0.5)
    assert tab.evaluate("getComputedStyle(document.getElementById('controls')).display") == "none"
    assert tab.evaluate("document.getElementById('network').getBoundingClientRect().width") > 500
    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert_fits(tab.evaluate(GEOMETRY), "printed")
    tab.send("Emulation.setEmulatedMedia", {"media": ""})
    tab.close()
