"""Visualizations: the projections hold the facts of the seed documents, the pages are safe and offline."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import click
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.viz import citations, landscape, lineage, participation
from kg.viz.cli import register
from kg.viz.layout import force_layout, positions
from kg.viz.metrics import export_graph, metrics, metrics_table
from kg.viz.page import _asset, page_data, render_page, script_json, write_page
from kg.viz.projections import VizError, find_node

ID = "https://w3id.org/untoc-kg/id/"
HOSTILE = "<img src=x onerror=alert(1)>"



def edges_by_label(graph):
    """{(source label, kind, target label): edge data}, for assertions a reader can check."""
    return {(graph.nodes[u]["label"], d["kind"], graph.nodes[v]["label"]): d for u, v, d in graph.edges(data=True)}


def quotes(data) -> str:
    return " ".join(ev["quote"] for ev in data["evidence"])


# ---------------------------------------------------------------------------------------------
# Landscape


@pytest.fixture(scope="module")
def seed_landscape(built_store):
    return landscape(built_store)


def test_landscape_has_the_inter_agency_ties_of_the_2012_report(seed_landscape):
    edges = edges_by_label(seed_landscape)
    mou = edges[("UNODC", "agreement", "UNWTO")]
    assert mou["detail"] == "memorandum of understanding" and mou["date"] == "2012-04"
    assert "World Tourism Organization" in quotes(mou)
    assert edges[("Frontex", "agreement", "UNODC")]["detail"] == "working arrangement"
    assert edges[("IOM", "agreement", "UNODC")]["detail"] == "agreement"
    programme = edges[("IOM", "joint-programme", "UNODC")]
    assert "Rwanda" in programme["detail"] and programme["date"] == "2011-11"
    assert ("UNODC", "coordinates", "ICAT") in edges
    chairs = edges[("UNODC", "chairs", "GMG")]
    assert chairs["date"].startswith("2012") and "chair" in quotes(chairs)
    assert ("UNODC", "member", "UN.GIFT") in edges
    assert ("UNODC", "partner", "Lawyers Without Borders") in edges
    for key in [("UNODC", "coordinates", "ICAT"), ("UNODC", "member", "UN.GIFT"),
                ("UNODC", "partner", "Lawyers Without Borders"), ("IOM", "joint-programme", "UNODC")]:
        evidence = edges[key]["evidence"]
        assert evidence and all(ev["number"] and ev["quote"] and ev["document"] for ev in evidence), key


def test_landscape_nodes_are_organizations_coloured_by_type(seed_landscape):
    types = {d["label"]: d["type"] for _, d in seed_landscape.nodes(data=True)}
    assert types["UNODC"] == "UN entity"
    assert types["IOM"] == "intergovernmental organization"
    assert types["ICAT"] == "inter-agency mechanism"
    assert types["Lawyers Without Borders"] == "non-governmental organization"
    assert all(node.startswith(ID + "body/") for node in seed_landscape)
    # the long name travels with the acronym
    assert seed_landscape.nodes[ID + "body/unodc"]["name"] == "United Nations Office on Drugs and Crime"


def test_landscape_links_observers_of_the_same_meeting(seed_landscape):
    edges = edges_by_label(seed_landscape)
    together = [d for (a, k, b), d in edges.items() if k == "co-observer" and {a, b} == {"IOM", "ILO"}]
    assert len(together) == 1
    assert "2013" in together[0]["detail"]


def test_focus_depth_and_kinds(built_store):
    graph = landscape(built_store, focus="UNODC", depth=1, kinds=["agreement"])
    assert {d["label"] for _, d in graph.nodes(data=True)} == {"UNODC", "UNWTO", "Frontex", "IOM"}
    assert graph.graph["focus"] == ID + "body/unodc"
    # ICAT by one of its other names, with everything one step away
    graph = landscape(built_store, focus="Inter-Agency Cooperation Group", depth=1)
    assert {d["label"] for _, d in graph.nodes(data=True)} == {"ICAT", "UNODC"}
    assert len(landscape(built_store, focus="id:body/icat", depth=2)) > 2
    assert len(landscape(built_store, focus="icat", depth=0)) == 1


def test_date_range_keeps_dated_facts_in_range_and_undated_ones(built_store):
    graph = landscape(built_store, date_from=2012, date_to=2012)
    kinds = {d["kind"] for _, _, d in graph.edges(data=True)}
    assert {"agreement", "chairs", "member", "partner", "coordinates"} <= kinds
    assert "joint-programme" not in kinds  # Rwanda, November 2011
    assert "co-observer" not in kinds  # the Working Group's meeting of November 2013
    only_2011 = landscape(built_store, date_from=2011, date_to=2011, kinds=["joint-programme"])
    assert [d["detail"] for _, _, d in only_2011.edges(data=True)] == ["Rwanda"]


def test_mistakes_say_what_to_give(built_store):
    with pytest.raises(VizError, match="agreement, joint-programme"):
        landscape(built_store, kinds=["treaty"])
    with pytest.raises(VizError, match="nothing in this picture is named"):
        landscape(built_store, focus="Ministry of Magic")
    with pytest.raises(VizError, match="could be"):
        landscape(built_store, focus="Euro")


# ---------------------------------------------------------------------------------------------
# Lineage, participation, citations


def test_lineage_puts_acts_on_a_time_axis(built_store):
    graph = lineage(built_store)
    edges = edges_by_label(graph)
    wg = "Working Group on Trafficking in Persons"
    assert ("COP decision 4/4", "Establishment", wg) in edges
    assert ("COP resolution 5/2", "Continuation", wg) in edges
    assert ("COP resolution 6/1", "Continuation", wg) in edges
    assert edges[("COP decision 4/4", "Establishment", wg)]["label"] == "established"
    assert edges[("COP decision 4/4", "adopted-at", "COP 4 (2008)")]
    draft = next(n for n, d in graph.nodes(data=True) if d["type"] == "draft")
    recalled = {graph.nodes[v]["label"] for _, v, d in graph.out_edges(draft, data=True) if d["kind"] == "recalls"}
    assert {"COP decision 4/4", "GA resolution 64/293", "GA resolution 61/144"} <= recalled
    proposed = {graph.nodes[v]["label"] for _, v, d in graph.out_edges(draft, data=True) if d["kind"] == "Proposal"}
    assert wg in proposed
    # a draft adopts nothing
    assert not any(d["kind"] in ("Establishment", "Continuation") for _, _, d in graph.out_edges(draft, data=True))
    pos, axis = positions(graph)
    x = {graph.nodes[n]["label"]: p[0] for n, p in pos.items()}
    assert x["COP decision 4/4"] < x["COP resolution 5/2"] < x["COP resolution 6/1"]
    assert x["GA resolution 61/144"] < x["COP decision 4/4"]
    assert [t["label"] for t in axis["ticks"]][:2] == ["2006", "2007"]
    # requests and reports can be left out like any kind, by their names
    assert {d["kind"] for _, _, d in lineage(built_store, kinds=["established"]).edges(data=True)} == {"Establishment"}


def test_participation_by_capacity_and_meeting(built_store):
    graph = participation(built_store)
    meeting = ID + "meeting/wg-tip/2013-11-06"
    capacity = {graph.nodes[u]["label"]: d["kind"] for u, _, d in graph.in_edges(meeting, data=True)}
    assert capacity["State of Palestine"] == "NonMemberObserverState"
    assert capacity["EU"] == "RegionalOrganizationParty"
    assert capacity["Japan"] == "Signatory"
    assert capacity["ILO"] == "UNEntityObserver"
    assert graph.nodes[ID + "state/PSE"]["type"] == "non-member observer State"
    assert graph.graph["menu_types"] == ["meeting"]
    focused = participation(built_store, focus="WG TIP 2013-11-06")
    assert len(focused) == len(graph)
    assert len(participation(built_store, kinds=["signatory"])) == 5  # four signatories and the meeting


def test_citations_from_documents(built_store):
    graph = citations(built_store)
    kinds = {d["kind"] for _, _, d in graph.edges(data=True)}
    assert kinds == {"references", "recalls", "pursuant-to"}
    draft_doc = next(n for n, d in graph.nodes(data=True) if d["label"].startswith("Draft decision"))
    recalls = {graph.nodes[v]["label"] for _, v, d in graph.out_edges(draft_doc, data=True) if d["kind"] == "recalls"}
    assert "COP decision 4/4" in recalls and "GA resolution 64/293" in recalls
    pursuant = [(graph.nodes[u]["label"], graph.nodes[v]["label"]) for u, v, d in graph.edges(data=True)
                if d["kind"] == "pursuant-to"]
    assert pursuant == [("Report (2012-06-29)", "COP resolution 5/2")]
    cites_decision = [d for u, v, d in graph.edges(data=True)
                      if v == ID + "act/untoc-cop/decision/4-4" and d["kind"] == "references"]
    assert any("paragraph" in d["detail"] for d in cites_decision)


# ---------------------------------------------------------------------------------------------
# Metrics and exports


def test_metrics_rank_unodc_first_in_the_landscape(seed_landscape):
    records = metrics(seed_landscape)
    assert records[0]["label"] == "UNODC"
    assert records[0]["betweenness"] > 0 and records[0]["degree_centrality"] > 0
    assert {r["node"] for r in records} == set(seed_landscape)
    unodc, iom = (next(r for r in records if r["label"] == name) for name in ("UNODC", "IOM"))
    assert unodc["community"] == next(r for r in records if r["label"] == "ICAT")["community"]
    assert iom["betweenness"] > 0  # IOM is the bridge to the observers of 2013
    from kg.output import render

    csv_text = render(metrics_table(seed_landscape), "csv")
    assert csv_text.splitlines()[0].split(",") == ["node", "label", "type", "ties", "strength", "neighbours",
                                                   "degree_centrality", "betweenness", "community"]
    parsed = json.loads(render(metrics_table(seed_landscape), "json"))
    assert parsed["results"]["bindings"][0]["label"]["value"] == "UNODC"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_reads_back_with_its_attributes(seed_landscape, tmp_path, fmt):
    path = export_graph(seed_landscape, tmp_path / f"landscape.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == seed_landscape.number_of_nodes()
    assert back.number_of_edges() == seed_landscape.number_of_edges()
    unodc = back.nodes[ID + "body/unodc"]
    assert unodc["label"] == "UNODC" and unodc["type"] == "UN entity" and "betweenness" in unodc
    kinds = {d["kind"] for _, _, d in back.edges(data=True)}
    assert "agreement" in kinds and "co-observer" in kinds
    assert any("World Tourism Organization" in d.get("evidence", "") for _, _, d in back.edges(data=True))


# ---------------------------------------------------------------------------------------------
# Pages


def hostile_graph() -> nx.MultiDiGraph:
    """Labels and texts as a hostile or careless document could give them."""
    graph = nx.MultiDiGraph(kind="landscape", title=f"Title {HOSTILE}", description="</p><script>alert(9)</script>",
                            layout="force", menu_types=["UN entity"], kinds={"partner": "partner of"})
    graph.add_node("https://example.org/a", label=HOSTILE, name="</script><script>alert(2)</script>",
                   type="UN entity", date="", aliases=["<svg onload=alert(3)>"], link="javascript:alert(4)",
                   details=["a href to <a href='javascript:alert(5)'>click</a>"])
    graph.add_node("https://example.org/b", label="B & <b>bold</b>", name="B", type="UN entity", date="",
                   aliases=[], link="data:text/html,<script>alert(6)</script>", details=[])
    graph.add_node("https://example.org/c", label="Safe", name="Safe", type="UN entity", date="", aliases=[],
                   link="https://undocs.org/CTOC/COP/2012/1", details=[])
    evidence = [{"document": "d", "document_label": "<i>doc</i>", "number": "1",
                 "quote": "see <a href=\"javascript:alert(7)\">here</a> \u2028 and <!-- comment"}]
    graph.add_edge("https://example.org/a", "https://example.org/b", key="partner x", kind="partner",
                   label="partner of", date="2012", until="", detail="<img src=y onerror=alert(8)>", fact="",
                   evidence=evidence)
    graph.add_edge("https://example.org/b", "https://example.org/c", key="partner y", kind="partner",
                   label="partner of", date="", until="", detail="", fact="", evidence=[])
    return graph


class _Tags(HTMLParser):
    """Elements as a browser's parser sees them: the text of a script is not markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def script_block(html: str) -> str:
    return re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1)


def test_a_hostile_label_is_escaped_everywhere_in_the_html():
    html = render_page(hostile_graph())
    for payload in ("<img src=x", "<script>alert(", "<svg onload", "<a href=", "<img src=y", "<i>doc", "<b>bold"):
        assert payload not in html, payload
    assert "<title>Title &lt;img src=x onerror=alert(1)&gt;</title>" in html
    assert "&lt;/p&gt;&lt;script&gt;alert(9)&lt;/script&gt;" in html
    # the data block cannot be closed from inside, and still says exactly what the document said
    block = script_block(html)
    assert "<" not in block and ">" not in block and "\u2028" not in block
    data = json.loads(block)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["https://example.org/a"] == HOSTILE
    assert labels["https://example.org/b"] == "B & <b>bold</b>"
    # exactly three scripts, all inline, and a policy that allows only those
    tags = parse(html).tags
    assert [t for t, _ in tags if t == "script"] == ["script"] * 3
    assert not any(t in ("img", "svg", "a", "b", "i", "iframe", "object", "embed") for t, _ in tags)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert len(re.findall(r"'sha256-", csp)) == 3


def test_script_json_round_trips_anything():
    value = {"a": "</script><!--<script>", "b": "\u2028\u2029&<>", "c": [1, 2.5, None, True]}
    text = script_json(value)
    assert json.loads(text) == value
    assert not re.search(r"[<>&\u2028\u2029]", text)


# what a reviewer greps for: a script or stylesheet fetched from a host
GREP = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


@pytest.fixture(scope="module")
def seed_pages(built_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    pages = {kind: write_page(make(built_store), folder / f"{kind}.html")
             for kind, make in (("landscape", landscape), ("lineage", lineage),
                                ("participation", participation), ("citations", citations))}
    pages["hostile"] = write_page(hostile_graph(), folder / "hostile.html")
    return pages


def test_pages_reference_no_script_or_stylesheet_on_any_host(seed_pages):
    for kind, path in seed_pages.items():
        html = path.read_text(encoding="utf-8")
        assert not GREP.search(html), (kind, GREP.search(html))
        page = parse(html)
        assert not any(t == "link" for t, _ in page.tags), kind
        assert not any("src" in attrs or "href" in attrs for _, attrs in page.tags), kind
        scripts = [attrs for t, attrs in page.tags if t == "script"]
        assert scripts == [{"type": "application/json", "id": "graph-data"}, {}, {}], kind
        assert not any(re.search(r"@import|url\(", css) for css in page.styles), kind


def test_pages_have_a_title_legend_search_and_menu(seed_pages):
    html = seed_pages["participation"].read_text(encoding="utf-8")
    assert '<h1 id="title">Who attended which meeting' in html
    assert 'id="legend"' in html and 'id="find"' in html and 'id="show"' in html
    data = json.loads(script_block(html))
    assert [m["label"] for m in data["menu"]] == ["WG TIP 2013-11-06 (2013-11-06)"]
    assert {k["key"] for k in data["kinds"]} >= {"StateParty", "Signatory", "NonMemberObserverState"}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_a_large_graph_gets_a_precomputed_layout_without_physics():
    graph = nx.MultiDiGraph(kind="landscape", layout="force", kinds={"partner": "partner of"})
    base = nx.connected_watts_strogatz_graph(700, 4, 0.1, seed=1)
    for u, v in base.edges():
        graph.add_edge(f"n{u}", f"n{v}", kind="partner", label="partner of", evidence=[])
    graph.add_edge("lonely-a", "lonely-b", kind="partner", label="partner of", evidence=[])
    for node in graph:
        graph.nodes[node].update(label=node, type="UN entity")
    pos = force_layout(graph)
    assert set(pos) == set(graph)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 and x == x and y == y for x, y in pos.values())
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.95 * len(pos)  # nodes do not pile up
    data = page_data(graph)
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]} == \
        {node: (round(x, 1), round(y, 1)) for node, (x, y) in pos.items()}
    assert "physics: false" in _asset("page.js")


# ---------------------------------------------------------------------------------------------
# Command line


@pytest.fixture(scope="module")
def cli():
    group = click.Group("untoc-kg")
    register(group)
    return group


@pytest.mark.parametrize("name", ["viz", "metrics", "export-graph"])
def test_commands_have_help_with_an_example(cli, name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--store" in result.output


def test_cli_writes_a_page_metrics_and_an_export(cli, built_store, tmp_path):
    runner = CliRunner()
    page = tmp_path / "unodc.html"
    result = runner.invoke(cli, ["viz", "landscape", "-o", str(page), "--focus", "UNODC", "--kinds",
                                 "agreement,joint-programme", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert "4 nodes" in result.output and page.is_file()
    result = runner.invoke(cli, ["metrics", "landscape", "--format", "json", "--top", "3", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["results"]["bindings"]) == 3
    result = runner.invoke(cli, ["export-graph", "citations", "--format", "gexf", "-o", str(tmp_path / "c.gexf"),
                                 "--store", str(built_store)])
    assert result.exit_code == 0 and (tmp_path / "c.gexf").is_file()


def test_cli_mistakes_are_usage_errors(cli, built_store, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["viz", "landscape", "-o", str(tmp_path / "x.html"), "--kinds", "treaty",
                                 "--store", str(built_store)])
    assert result.exit_code == 2 and "agreement" in result.output
    result = runner.invoke(cli, ["metrics", "landscape", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "untoc-kg build" in result.output
    assert not (tmp_path / "x.html").exists()


def test_find_node_prefers_an_exact_name(seed_landscape):
    assert find_node(seed_landscape, "unodc") == ID + "body/unodc"
    assert find_node(seed_landscape, "United Nations Office on Drugs and Crime") == ID + "body/unodc"
    assert find_node(seed_landscape, ID + "body/frontex") == ID + "body/frontex"


# ---------------------------------------------------------------------------------------------
# The sentence that states a tie (the pictures' hover boxes)


def test_the_stating_sentence_names_both_ends_not_the_paragraph_start():
    from kg.viz.sentences import stating_sentence

    paragraph = ("The Secretariat continued to provide technical assistance to States, upon request, in the "
                 "implementation of the Protocol. In 2011, 12 States ratified it. In March 2012, UNODC and the "
                 "International Organization for Migration signed a memorandum of understanding on cooperation "
                 "against trafficking in persons (see para. 4 above). Further activities are planned.")
    said = stating_sentence(paragraph, ["UNODC", "United Nations Office on Drugs and Crime"],
                            ["IOM", "International Organization for Migration"], kind="agreement")
    assert said.startswith("In March 2012, UNODC and the International Organization for Migration signed")
    assert said.endswith("(see para. 4 above).")  # "para." does not end the sentence


def test_a_long_clause_list_is_cut_to_the_clause_and_then_around_the_name():
    from kg.viz.sentences import MAX_CHARS, sentences, stating_sentence

    clauses = [f"Noting the work of body number {i} on matters of general interest to all concerned;" for i in range(12)]
    paragraph = " ".join(clauses[:7] + ["Welcoming the cooperation between UNODC and Frontex;"] + clauses[7:])
    assert len(sentences(paragraph)) == 13
    said = stating_sentence(paragraph, ["UNODC"], ["Frontex"], kind="partner")
    assert said == "Welcoming the cooperation between UNODC and Frontex;"
    long = "Recalling " + "its earlier resolutions on many subjects " * 20 + "and the role of UNODC in this field."
    cut = stating_sentence(long, ["UNODC"], ["nobody here"])
    assert "UNODC" in cut and len(cut) <= MAX_CHARS + 2 and cut.startswith("…")
    assert stating_sentence("", ["a"], ["b"]) == ""


def test_lineage_bands_hold_their_nodes_and_undated_acts_sit_by_their_symbol():
    from kg.viz.layout import LANE_HEIGHT, timeline_layout

    graph = nx.MultiDiGraph()
    graph.add_node("id/body/ga", type="other body")
    for n in range(40):
        graph.add_node(f"id/act/ga/resolution/74-{n}", type="resolution", date="")
        graph.add_edge(f"id/act/ga/resolution/74-{n}", "id/body/ga")
    graph.add_node("id/act/ga/resolution/55-25", type="resolution", date="")
    graph.add_node("id/draft/x", type="draft", date="2010-10-18")
    pos, ticks, lanes = timeline_layout(graph)
    xs = [pos[f"id/act/ga/resolution/74-{n}"][0] for n in range(40)]
    assert max(xs) - min(xs) < 5 * 150 + 1  # rows of five, not one line 40 wide
    years = {t["label"]: t["x"] for t in ticks}
    assert years["2000"] <= pos["id/act/ga/resolution/55-25"][0] < years["2001"]
    acts = max(y for node, (_, y) in pos.items() if "/act/" in node)
    assert pos["id/draft/x"][1] > acts + LANE_HEIGHT / 2  # the next band starts below the acts
