"""A remote SPARQL store seen as our own: the SPARQL 1.1 Protocol for queries, the server's kind for push.

Why an adapter and not a second code path: `kg.sparql.run` (the CLI's canned queries, the tests
that compare answers, `serve --upstream`) asks a store for solutions; a `RemoteStore` answers with
the same pyoxigraph objects (`QuerySolutions`, `QueryBoolean`, triples) as the embedded store, read
from the server's standard result formats, so nothing above it knows where the data lives.

How a query keeps its meaning remotely:
- Parameters are bound with a `VALUES` block placed first in the query's outer group, written from
  pyoxigraph terms (their N-Triples form, escaped by pyoxigraph), never by pasting a user's text.
  The rest of the group (its FILTERs and OPTIONALs) then sees the variable bound, as it does with
  pyoxigraph's `substitutions`; so does a plain nested group that mentions it, which gets its own
  block (a query filters early in such a group, before its costly OPTIONALs).
- The default graph is our union graph (`default-graph-uri`, a protocol parameter), as it is in
  the embedded store, so joins over facts that several documents repeat are not multiplied.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .store import UNION_GRAPH

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
DEFAULT_TIMEOUT = 60.0


class UpstreamError(Exception):
    """The remote store could not be reached or refused the request; the message says which and why."""


def read_password(file: str | Path | None) -> str | None:
    """The first line of a password file (a password is never an option: it would show in `ps`)."""
    if file is None:
        return None
    text = Path(file).read_text(encoding="utf-8")
    return text.splitlines()[0] if text else ""


def auth_for(user: str | None, password: str | None) -> httpx.Auth | None:
    """Digest authentication, which also answers a server that asks for Basic.

    Virtuoso's authenticated endpoints ask for Digest; a front that asks for Basic gets it too.
    """
    if user is None:
        return None
    return _DigestOrBasic(user, password or "")


class _DigestOrBasic(httpx.Auth):
    """Answer the challenge the server makes: Digest when it asks for Digest, else Basic."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request):
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        self._scheme = "digest" if challenge.startswith("digest") else "basic"
        response.read()
        flow = (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)
        if self._scheme == "digest":
            next(flow)  # the digest flow first sends without credentials: we already have its 401
            yield flow.send(response)
        else:
            yield next(flow)


def server_kind(response: httpx.Response) -> str:
    """`oxigraph`, `virtuoso` or `generic`, from the `Server` header a server sends with every answer."""
    header = response.headers.get("server", "").lower()
    if header.startswith("oxigraph"):
        return "oxigraph"
    if header.startswith("virtuoso"):
        return "virtuoso"
    return "generic"


# ---------------------------------------------------------------------------------------------
# Binding parameters by VALUES

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<open>\{) | (?P<close>\})
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
""", re.VERBOSE | re.DOTALL)


def _outer_group(text: str) -> int:
    """The offset just inside the query's outer `{` (the WHERE clause's group)."""
    depth = 0
    construct = False
    after_where = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().upper()
            if depth == 0 and word == "CONSTRUCT":
                construct = True
            elif depth == 0 and word == "WHERE":
                after_where = True
        elif kind == "open":
            if depth == 0 and (after_where or not construct):
                return match.end()
            depth += 1
        elif kind == "close":
            depth -= 1
    raise UpstreamError("cannot bind parameters: the query has no group pattern")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside strings, IRIs and comments."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word" and match.group().upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return match.group().upper()
    return "SELECT"


def _plain_groups(text: str, start: int) -> list[tuple[int, int]]:
    """The (inside start, end) of each plain group nested in the outer group that opens at `start`.

    Plain: a group written as a group element of its own (`{` right after `{`, `}` or `.`), not the
    group of an OPTIONAL, UNION branch, MINUS, GRAPH, EXISTS, SERVICE or VALUES, nor a sub-select.
    """
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]
    found, stack, previous = [], [], None
    for index, match in enumerate(tokens):
        kind = match.lastgroup
        if match.start() < start:
            previous = match
            continue
        if kind == "open":
            gap = text[previous.end():match.start()] if previous is not None else ""
            gap = re.sub(r"#[^\n]*", "", gap).strip()  # between two tokens, a `#` starts a comment
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            plain = (gap == "." or (gap == "" and previous is not None and previous.lastgroup in ("open", "close"))) \
                and not (after is not None and after.lastgroup == "word" and after.group().upper() == "SELECT")
            stack.append((match.end(), plain))
        elif kind == "close" and stack:
            inside, plain = stack.pop()
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            branch = after is not None and after.lastgroup == "word" and after.group().upper() == "UNION"
            if plain and stack and not branch:  # not the outer group itself, nor a UNION's first branch
                found.append((inside, match.start()))
        previous = match
    return found


def _mentions(text: str, name: str) -> bool:
    """Whether `?name` or `$name` occurs in `text` outside strings, IRIs and comments."""
    return any(m.lastgroup == "word" and m.group() == name and m.start() > 0 and text[m.start() - 1] in "?$"
               for m in _TOKEN.finditer(text))


def bind_values(text: str, substitutions: dict | None) -> str:
    """The query with `VALUES ?v { term }` first in its outer group, one per parameter, and again
    first in each plain nested group that mentions the parameter.

    Why again: a nested group is evaluated on its own (SPARQL's bottom-up scoping), so a FILTER in
    it would not see a parameter bound only outside, where the embedded store's substitutions
    bind it everywhere. One value joined in twice changes no row. Only plain groups: each VALUES
    block multiplies Virtuoso's cost estimate, and the groups of an OPTIONAL or a UNION branch
    already join with what binds the parameter.
    """
    if not substitutions:
        return text
    at = _outer_group(text)
    ordered = sorted(substitutions.items(), key=lambda kv: kv[0].value)

    def block(names: set[str] | None = None) -> str:
        return " ".join(f"VALUES ?{var.value} {{ {term} }}" for var, term in ordered
                        if names is None or var.value in names)

    inserts = [(at, block())]
    for inside, end in _plain_groups(text, at - 1):
        names = {var.value for var, _ in ordered if _mentions(text[inside:end], var.value)}
        if names:
            inserts.append((inside, block(names)))
    for offset, values in sorted(inserts, reverse=True):
        text = f"{text[:offset]} {values} {text[offset:]}"
    return text


def prefixed(text: str, prefixes: dict[str, str] | None) -> str:
    """Declare the prefixes every query here may use; a query's own declarations come after and win."""
    if not prefixes:
        return text
    head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(prefixes.items()))
    return head + text


# ---------------------------------------------------------------------------------------------
# Reading results

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_FORMS = {"1": "true", "0": "false"}


_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def bnode_label(value: str) -> str:
    """A blank node's label as the server wrote it if it is a valid one, else one made of its hex
    (Virtuoso writes `nodeID://b10006`, which no parser takes): the same label for the same node in
    every answer, never the label of another."""
    if _BNODE_LABEL.fullmatch(value) and not value.startswith("x"):
        return value
    return "x" + value.encode("utf-8").hex()


def canonical_booleans(content: bytes) -> bytes:
    """SPARQL JSON results with every xsd:boolean written in its canonical form, `true` or `false`,
    and every blank node with a label a parser takes (`bnode_label`).

    Virtuoso writes a boolean value as "1" or "0" (valid lexical forms of xsd:boolean, but not the
    ones the embedded store gives): the same answer then reads as another term. It labels blank
    nodes `nodeID://…`. Results without an xsd:boolean or a blank node are passed on untouched,
    unparsed.
    """
    if XSD_BOOLEAN.encode() not in content and b'"bnode"' not in content:
        return content
    document = json.loads(content)
    for solution in (document.get("results") or {}).get("bindings") or ():
        for term in solution.values():
            if term.get("datatype") == XSD_BOOLEAN and term.get("value") in _BOOLEAN_FORMS:
                term["value"] = _BOOLEAN_FORMS[term["value"]]
            elif term.get("type") == "bnode" and isinstance(term.get("value"), str):
                term["value"] = bnode_label(term["value"])
    return json.dumps(document).encode()


def parameter_columns(content: bytes, substitutions: dict | None) -> bytes:
    """SPARQL JSON results in which the column of each literal parameter holds the parameter as it
    was given, in every row that binds it: what pyoxigraph's substitutions give, since the variable
    is that term throughout the query.

    Virtuoso 7.2 keeps no boolean type: a `VALUES ?all { true }` comes back as "1"^^xsd:integer
    (and false as 0), so lineage with all=true would echo another term than the embedded store.
    Results are passed on untouched, unparsed, when no literal is bound.
    """
    literals = {var.value: term for var, term in (substitutions or {}).items() if isinstance(term, ox.Literal)}
    if not literals:
        return content
    document = json.loads(content)
    names = [name for name in (document.get("head") or {}).get("vars") or () if name in literals]
    if not names:
        return content
    for solution in (document.get("results") or {}).get("bindings") or ():
        for name in names:
            if name in solution:
                term = literals[name]
                written = {"type": "literal", "value": term.value}
                if term.language:
                    written["xml:lang"] = term.language
                else:
                    written["datatype"] = term.datatype.value
                solution[name] = written
    return json.dumps(document).encode()


# ---------------------------------------------------------------------------------------------
# The store


@dataclass
class RemoteStore:
    """A remote SPARQL endpoint, answering `query()` as `kg.store.query` does over the embedded store."""

    endpoint: str
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    default_graph: str | None = UNION_GRAPH.value
    named_graphs: list[str] | None = None  # `GRAPH ?g` ranges over these (default: the server's choice)
    is_remote: bool = field(default=True, init=False)
    server: str | None = field(default=None, init=False)  # `server_kind` of its last answer
    requests: int = field(default=0, init=False)  # requests sent so far (paging is judged by it)
    _count_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._client = httpx.Client(auth=auth_for(self.user, self.password), timeout=self.timeout,
                                    follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, text: str, substitutions: dict | None = None, prefixes: dict[str, str] | None = None,
              timeout: float | None = None, dataset: list[tuple[str, str]] | None = None):
        """Solutions, a boolean or triples, as pyoxigraph's `Store.query` gives them.

        `dataset`: the protocol's `default-graph-uri` and `named-graph-uri` pairs for this query
        alone, instead of the store's own (`default_graph`, `named_graphs`); passed, never set on
        the store, which threads share."""
        body = bind_values(prefixed(text, prefixes), substitutions)
        data: list[tuple[str, str]] = [("query", body)]
        if dataset is not None:
            data.extend(dataset)
        else:
            if self.default_graph:
                data.append(("default-graph-uri", self.default_graph))
            data.extend(("named-graph-uri", g) for g in self.named_graphs or ())
        # a graph is asked for as N-Triples (some servers would send CONSTRUCT results as JSON)
        accept = N_TRIPLES if query_form(text) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        with self._count_lock:  # threads share the store
            self.requests += 1
        try:
            response = self._client.post(self.endpoint, content=urlencode(data), headers={
                "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                                         timeout=timeout or self.timeout)
        except httpx.TimeoutException as exc:
            raise TimeoutError(f"{self.endpoint} did not answer in {timeout or self.timeout} s") from exc
        except httpx.HTTPError as exc:
            raise UpstreamError(f"{self.endpoint}: {exc}") from exc
        self.server = server_kind(response)
        if response.status_code == 400:
            raise SyntaxError(f"{self.endpoint} refused the query: {response.text[:500]}")
        if response.status_code >= 300:
            raise UpstreamError(f"{self.endpoint} answered HTTP {response.status_code}: {response.text[:500]}")
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in (RESULTS_JSON, "application/json"):
            content = parameter_columns(canonical_booleans(response.content), substitutions)
            return ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON)
        if kind in (N_TRIPLES, "text/plain"):
            return list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        if kind in ("text/turtle", "application/x-turtle"):
            return list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
        if kind == "application/sparql-results+xml":
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        raise UpstreamError(f"{self.endpoint} answered in {kind or 'no media type'}, which is not a SPARQL result format")


__all__ = ["RemoteStore", "UpstreamError", "auth_for", "bind_values", "bnode_label", "canonical_booleans", "parameter_columns", "prefixed", "read_password", "server_kind"]
