"""The endpoint's pages for people: search, the IRI pages that answer first, the ontology page,
the favicon, and the query page's data (examples without their CLI header). HTTP only; the same
pages in a browser are in test_query_page_browser.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest

from tests.test_server import running_server

ID = "https://w3id.org/untoc-kg/id/"


@pytest.fixture(scope="module")
def client(built_store, tmp_path_factory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("pages") / "server.log"
    with running_server(built_store, "--workers", "1", log=log) as base, \
            httpx.Client(base_url=base, timeout=30) as c:
        yield c
    assert "Traceback" not in log.read_text(errors="replace")


class Text(HTMLParser):
    """The page's visible text, and the elements with a class or id, for asserting on."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# ---------------------------------------------------------------------------------------------
# search


def test_search_ranks_the_body_first_and_marks_the_words(client):
    response = client.get("/search", params={"q": "working group trafficking"})
    assert response.status_code == 200
    html = response.text
    first = re.search(r'<li class="hit"[^>]*>.*?href="([^"]+)"', html, re.S)
    assert first and first.group(1) == "/id/body/wg-tip"
    assert "<mark>Working</mark>" in html
    assert "\x02" not in html and "\x03" not in html


def test_search_answers_programs_in_json_and_pages(client):
    data = client.get("/search", params={"q": "trafficking"}, headers={"Accept": "application/json"}).json()
    assert data["total"] > 20 and len(data["hits"]) == 20 and data["hits"][0]["score"] >= data["hits"][-1]["score"]
    second = client.get("/search", params={"q": "trafficking", "page": 2, "format": "json"}).json()
    assert {h["iri"] for h in second["hits"]}.isdisjoint({h["iri"] for h in data["hits"]})
    assert 'rel="next"' in client.get("/search", params={"q": "trafficking"}).text


def test_search_escapes_what_it_shows(client):
    hostile = "<script>alert(1)</script> trafficking"
    html = client.get("/search", params={"q": hostile}).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert client.get("/search", params={"q": "?!"}).status_code == 400
    assert client.get("/search", params={"q": "x" * 500}).status_code == 400
    assert client.get("/search").status_code == 200  # the empty form


def test_every_page_has_the_search_box_and_the_favicon(client):
    html = client.get("/id/body/wg-tip").text
    assert 'action="/search"' in html and 'rel="icon"' in html
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")


# ---------------------------------------------------------------------------------------------
# IRI pages


def test_a_body_page_shows_its_mandate_history_in_date_order(client):
    html = client.get("/id/body/wg-tip").text
    table = re.search(r'<table class="history" id="mandate-history">(.*?)</table>', html, re.S)
    assert table, "no mandate history"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]
    texts = [text_of(r) for r in rows]
    assert texts[0].startswith("8 October 2008 establishment Conference decision 4/4")
    assert any("Conference resolution 5/2" in t for t in texts) and any("Conference resolution 6/1" in t for t in texts)
    assert [t.split()[2] for t in texts] == sorted((t.split()[2] for t in texts))  # years ascending
    assert "¶" in texts[0]


def test_an_act_page_opens_with_number_date_session_status_and_document(client):
    html = client.get("/id/act/untoc-cop/decision/4-4").text
    summary = text_of(re.search(r'<dl class="summary">(.*?)</dl>', html, re.S).group(1))
    assert "Number 4/4" in summary
    assert "Session Fourth session of the Conference of the Parties" in summary
    assert "Status superseded by Conference resolution 5/2" in summary
    latest = text_of(re.search(r'<dl class="summary">(.*?)</dl>', client.get("/id/act/untoc-cop/resolution/6-1").text,
                               re.S).group(1))
    assert "Status in force" in latest


def test_an_act_with_a_known_symbol_links_to_undocs(built_store):
    from kg.server.entity_view import undocs_link

    assert 'href="https://undocs.org/A/RES/74/176"' in undocs_link("A/RES/74/176")
    assert "&lt;" in undocs_link("<x>")  # a symbol is text


def test_a_document_page_links_its_symbol_to_undocs(client):
    html = client.get("/search", params={"q": "CTOC/COP/2012", "format": "json"}).json()
    document = next(h["iri"] for h in html["hits"] if h["kind"] == "document")
    page = client.get("/id/" + document[len(ID):]).text
    symbol = re.search(r"<dt>Symbol</dt><dd>([^<]+)</dd>", page).group(1)
    assert f'href="https://undocs.org/{symbol}"' in page


def test_identical_facts_are_shown_once_with_all_their_sources(client):
    html = client.get("/id/act/untoc-cop/decision/4-4").text
    facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1)
    number_rows = re.findall(r'<div class="value"><span class="literal">4/4</span>.*?</div>', facts, re.S)
    assert len(number_rows) == 1, number_rows
    assert len(re.findall(r'class="ref">\[\d+\]', number_rows[0])) == 3
    sources = re.findall(r'<li id="source-(\d+)"', html)
    assert sources == [str(i) for i in range(1, len(sources) + 1)] and len(sources) >= 3


def test_meetings_and_recommendations_are_listed_by_name_in_order(client):
    html = client.get("/id/body/wg-tip").text
    referenced = html[html.index("Referenced by"):]
    recommendations = [int(n) for n in re.findall(r">Recommendation (\d+)</a>", referenced)]
    assert len(recommendations) > 10 and recommendations == sorted(recommendations)
    assert "id:recommendation/" not in text_of(referenced)
    meeting = text_of(client.get("/id/meeting/wg-tip/2013-11-06").text)
    assert "Working Group on Trafficking in Persons, Vienna, 6-8 November 2013" in meeting


def test_the_ontology_page_shows_no_blank_node_ids(client):
    html = client.get("/ontology").text
    assert 'class="bnode"' not in html and not re.search(r"_:[0-9a-f]{8,}", html)
    assert "State or body" in text_of(html) or "State or Body" in text_of(html)


# ---------------------------------------------------------------------------------------------
# the query page's data


def test_the_examples_come_without_their_cli_header(client):
    import json

    html = client.get("/").text
    data = json.loads(re.search(r'<script type="application/json" id="canned-queries">(.*?)</script>', html,
                                re.S).group(1))
    assert len(data) > 10
    for query in data:
        assert not query["text"].lstrip().startswith("#"), query["name"]
        assert "--param" not in query["text"] and "# example" not in query["text"]
    assert "/static/vendor/sparql-editor.js" in html
    terms = json.loads(re.search(r'id="ontology-terms">(.*?)</script>', html, re.S).group(1))
    assert "MandateEvent" in terms["ukg"]
    editor = client.get("/static/vendor/sparql-editor.js")
    assert editor.status_code == 200 and "UntocEditor" in editor.text
    assert client.get("/static/vendor/LICENCE-sparql-editor.txt").status_code == 200
