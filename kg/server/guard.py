"""Checks a query passes before the engine sees it.

Why a guard at all (see PITFALLS.md): pyoxigraph follows `SERVICE <http://…>` to any host, reads
any graph named in `FROM`, has no stack guard (about 5,000 nested braces kill the process) and no
notion of "read-only" beyond its API. The guard turns each of these into a 400 with a message that
says what to change, so the engine only ever sees queries we are willing to run.

The guard reads the query with a lexer of SPARQL's terminals (strings, IRIs, comments, prefixed
names, variables), never with a bare regular expression over the text: `"SERVICE"` in a string or
`<http://example.org/service>` is not a SERVICE clause, and `'''…'''` must end exactly where the
engine's own lexer ends it, or text the engine reads as code could hide from the guard.

One ambiguity of SPARQL's grammar matters here: `<` opens an IRI, except in an expression after an
operand, where it compares (`FILTER(?a<?b&&?b>?c)` holds no IRI). The lexer tracks whether it is
in an expression, a graph pattern or a list, as the engine's parser does. The worker process has
no network besides (`kg.server.worker`), so a mistake here would cost a refusal message, not a
request to another host.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

DEFAULT_MAX_DEPTH = 100

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                          "COPY", "WITH"})


class Refusal(Exception):
    """A request the endpoint will not run: an HTTP status and a message for the person who sent it."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class CheckedQuery:
    """What the guard learnt: the query form and the dataset the query names for itself."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    depth: int = 0
    uses_graph: bool = True
    """Whether the keyword GRAPH appears (as a keyword, not in a string or an IRI): without it the
    named graphs of the dataset cannot change the result, and the worker need not list them."""

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


# ---------------------------------------------------------------------------------------------
# Terminals of the SPARQL 1.1 grammar (section 19.8), as regular expressions

_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                  "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
                  "\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
             f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"

_TOKEN = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<comment>#[^\r\n]*)"
    rf"|(?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
    rf"|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
    rf"|'(?:[^'\\\n\r]|{_ECHAR})*'"
    rf"|\"(?:[^\"\\\n\r]|{_ECHAR})*\")"
    rf"|(?P<var>[?$]{_VARNAME})"
    rf"|(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)"
    rf"|(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)"
    r"|(?P<word>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
    r"|(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?"
    r"|[0-9]+(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/!=<>|^?&])"
)
_IRIREF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_LOCAL_ESC = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")

_OPERAND_END = frozenset({"string", "var", "iri", "pname", "number", "bnode", "langtag"})
_CLAUSE_OPENERS = frozenset({"SELECT", "GROUP", "ORDER", "HAVING"})
_CLAUSE_CLOSERS = frozenset({"WHERE", "LIMIT", "OFFSET", "VALUES", "FROM"})


@dataclass
class _Token:
    kind: str
    text: str
    value: str = ""
    depth: int = 0


@dataclass
class _Lexer:
    """Tokens of a query, with the nesting depth at each and `<` read the way the parser reads it."""

    text: str
    max_depth: int
    tokens: list[_Token] = field(default_factory=list)
    deepest: int = 0

    def run(self) -> list[_Token]:
        stack: list[str] = []  # "{" a group, "[" a blank node, "list" a collection, "expr" (…) of an expression
        previous: _Token | None = None
        before_previous: _Token | None = None
        clause = False  # in a SELECT list, GROUP BY, HAVING or ORDER BY, where `(` is an expression
        pos, end = 0, len(self.text)
        while pos < end:
            char = self.text[pos]
            token: _Token
            if char == "<" and self._iri_here(stack, previous):
                match = _IRIREF.match(self.text, pos)
                if match:
                    token = _Token("iri", match.group(0), _unescape_iri(match.group(1)))
                    pos = match.end()
                else:
                    token = _Token("punct", "<")
                    pos += 1
            else:
                match = _TOKEN.match(self.text, pos)
                if match is None:
                    token = _Token("other", char)
                    pos += 1
                else:
                    kind = match.lastgroup or "other"
                    pos = match.end()
                    if kind in ("ws", "comment"):
                        continue
                    token = _Token(kind, match.group(0))
                    if kind == "word":
                        token.value = token.text.upper()
                        if token.value in _CLAUSE_OPENERS:
                            clause = True
                        elif token.value in _CLAUSE_CLOSERS:
                            clause = False
            if token.kind == "punct" and token.text in "{}":
                clause = False
            if token.kind == "punct" and token.text in "{[(":
                if token.text == "{":
                    stack.append("{")
                elif token.text == "[":
                    stack.append("[")
                elif clause and (not stack or stack[-1] != "list"):
                    stack.append("expr")
                else:
                    stack.append(self._paren_kind(stack, previous, before_previous))
                if len(stack) > self.max_depth:
                    raise Refusal(400, f"Query refused: nesting deeper than {self.max_depth} levels of "
                                       "{ }, ( ) or [ ]; write the query with less nesting")
                self.deepest = max(self.deepest, len(stack))
            elif token.kind == "punct" and token.text in "}])":
                if stack:
                    stack.pop()
            token.depth = len(stack)
            self.tokens.append(token)
            before_previous, previous = previous, token
        return self.tokens

    @staticmethod
    def _iri_here(stack: list[str], previous: _Token | None) -> bool:
        """In an expression, `<` after an operand compares; everywhere else it opens an IRI."""
        if not stack or stack[-1] != "expr":
            return True
        if previous is None:
            return True
        if previous.kind in _OPERAND_END:
            return False
        if previous.kind == "punct" and previous.text in (")", "]"):
            return False
        if previous.kind == "word" and previous.value in ("TRUE", "FALSE"):
            return False
        return True

    @staticmethod
    def _paren_kind(stack: list[str], previous: _Token | None, before_previous: _Token | None) -> str:
        """`(` opens an expression, unless it is a collection or a list of a graph pattern or VALUES."""
        inside = stack[-1] if stack else None
        if inside == "expr":
            return "expr"
        if inside is None:
            # the query's top level: `SELECT (… AS ?x)`, `GROUP BY (…)`, `ORDER BY DESC(…)`,
            # `HAVING (…)` are expressions; `VALUES (?a ?b)` is a list
            if previous is not None and previous.kind == "word" and previous.value == "VALUES":
                return "list"
            return "expr"
        # inside a group, a blank node or a collection
        if previous is None:
            return "list"
        if previous.kind == "word":
            if previous.value in ("A", "TRUE", "FALSE", "VALUES"):
                return "list"
            return "expr"  # FILTER(…), BIND(…), regex(…), EXISTS is followed by { not (
        if previous.kind in ("iri", "pname") and before_previous is not None \
                and before_previous.kind == "word" and before_previous.value == "FILTER":
            return "expr"  # FILTER <function>(…)
        return "list"


def _unescape_iri(body: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def tokens(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> list[_Token]:
    """The significant tokens of a query (for tests and for the checks below)."""
    return _Lexer(text, max_depth).run()


# ---------------------------------------------------------------------------------------------
# The checks


def check_query(text: str, *, graphs: Collection[str] | None, base: str | None = None,
                prefixes: Mapping[str, str] | None = None,
                max_depth: int = DEFAULT_MAX_DEPTH, allow_service: bool = False) -> CheckedQuery:
    """Refuse what the endpoint does not run; say what the query is and which graphs it names.

    `graphs` are the IRIs a query may name in FROM / FROM NAMED (the data graphs of the store);
    None lets FROM name any graph (the command line's `untoc-kg sparql`, where the user owns the
    store). `prefixes` are those the endpoint declares for every query, so `FROM id:graph/reference`
    works. `allow_service` lets SERVICE through (`untoc-kg sparql --allow-service`; never the endpoint).
    """
    lexer = _Lexer(text, max_depth)
    toks = lexer.run()
    declared: dict[str, str] = dict(prefixes or {})
    current_base = base
    form: str | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    uses_graph = False
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "word":
            word = tok.value
            if word == "GRAPH":
                uses_graph = True
            if word == "SERVICE" and not allow_service:
                raise Refusal(400, "Query refused: SERVICE (federated query) is not allowed on this "
                                   "endpoint; query the other endpoint yourself and join the results")
            if word == "LOAD":
                raise Refusal(400, "Query refused: LOAD is not allowed; this endpoint is read-only")
            if form is None and word in UPDATE_WORDS:
                raise Refusal(400, f"Update refused: {word} is a SPARQL Update operation and this "
                                   "endpoint is read-only")
            if form is None and word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" \
                    and toks[i + 2].kind == "iri":
                declared[toks[i + 1].text[:-1]] = _resolve(toks[i + 2].value, current_base)
                i += 3
                continue
            if form is None and word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
                current_base = _resolve(toks[i + 1].value, current_base)
                i += 2
                continue
            if form is None and word in QUERY_FORMS:
                form = word
            if word == "FROM" and tok.depth == 0:
                named = i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].value == "NAMED"
                target = toks[i + 2] if named else (toks[i + 1] if i + 1 < len(toks) else None)
                iri = _term_iri(target, declared, current_base)
                if iri is None:
                    raise Refusal(400, "Query refused: FROM and FROM NAMED take the IRI of a graph")
                if graphs is not None and iri not in graphs:
                    raise Refusal(400, f"Query refused: FROM{' NAMED' if named else ''} <{iri}> is not a "
                                       "graph of this endpoint; the graphs are listed in the service "
                                       "description (GET /sparql)")
                (from_named if named else from_graphs).append(iri)
                i += 3 if named else 2
                continue
        i += 1
    if form is None:
        raise Refusal(400, "Parse error: expected a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    return CheckedQuery(form, tuple(from_graphs), tuple(from_named), lexer.deepest, uses_graph)


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _term_iri(tok: _Token | None, declared: Mapping[str, str], base: str | None) -> str | None:
    if tok is None:
        return None
    if tok.kind == "iri":
        return _resolve(tok.value, base)
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix not in declared:
            return None
        return declared[prefix] + _PN_LOCAL_ESC.sub(r"\1", local)
    return None


def check_graph_params(default_graphs: list[str], named_graphs: list[str],
                       graphs: Collection[str]) -> None:
    """`default-graph-uri` and `named-graph-uri` may name only graphs of this endpoint."""
    for name, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for iri in values:
            if iri not in graphs:
                raise Refusal(400, f"Query refused: {name} <{iri}> is not a graph of this endpoint; the "
                                   "graphs are listed in the service description (GET /sparql)")


def iter_words(text: str) -> Iterator[str]:
    """The keywords of a query, upper-cased (for tests)."""
    return (t.value for t in tokens(text) if t.kind == "word")


__all__ = ["CheckedQuery", "DEFAULT_MAX_DEPTH", "QUERY_FORMS", "Refusal", "check_graph_params",
           "check_query", "iter_words", "tokens"]
