"""Canned queries (`queries/*.rq`) and ad-hoc SPARQL, with parameters bound by the engine.

A query is a file that documents itself in a comment header:

    # title: Mandate lineage of a body
    # description: What the query answers, in one or more lines.
    # param: body (iri) – the body whose lineage to list
    # example: --param body=id:body/wg-tip

Parameters are SPARQL variables given values with pyoxigraph's `substitutions`, never spliced into
the query text, so a value cannot change what the query means.
"""

from __future__ import annotations

import difflib
import functools
import os
import queue
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .resources import queries_dir
from .store import query as store_query
from .store import resolve
from .vocab import ID_BASE, ONTOLOGY_IRI

XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "ukg": ONTOLOGY_IRI + "#",
    "id": ID_BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Known to every query run here, so an ad-hoc query may leave out its PREFIX lines."""

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")


class QueryError(Exception):
    """A query could not be found, bound or run; the message says why."""


class QuerySyntaxError(QueryError):
    """The query could not be parsed (or is an update): one line saying what to fix."""


class QueryRefused(QueryError):
    """The guard the endpoint uses refused the query (SERVICE, LOAD, updates, deep nesting)."""


# ---------------------------------------------------------------------------------------------
# Query files


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    meaning: str
    optional: bool = False


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[^)]*)\)\s*[–—-]\s*(?P<meaning>.+)$")


def parse_query(text: str, name: str, path: Path | None = None) -> CannedQuery:
    """Read the header (the leading `#` lines); a line `#   more` continues the key above it."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            last = None
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match:
            last = match["key"]
            fields[last].append(match["value"].strip())
        elif last in ("title", "description") and stripped[1:].strip():
            fields[last][-1] += " " + stripped[1:].strip()
    params = []
    for raw in fields["param"]:
        m = _PARAM.match(raw)
        if not m:
            raise QueryError(f"{path or name}: cannot read `# param: {raw}`; write `# param: name (type) – meaning`")
        kinds = [k.strip().lower() for k in m["type"].split(",")]
        kind = kinds[0]
        if kind not in PARAM_TYPES:
            raise QueryError(f"{path or name}: parameter {m['name']} has type {kind!r}; "
                             f"use one of {', '.join(PARAM_TYPES)}")
        params.append(Param(m["name"], kind, m["meaning"].strip(), "optional" in kinds[1:]))
    return CannedQuery(name, path or Path(name), text, " ".join(fields["title"]),
                       " ".join(fields["description"]), tuple(params), tuple(fields["example"]))


def list_queries() -> list[CannedQuery]:
    folder = queries_dir()
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return [parse_query(f.read_text(encoding="utf-8"), f.name[:-3], Path(str(f))) for f in files]


def load_query(name: str) -> CannedQuery:
    """By name (`lineage`) from `queries/`, or by path to any `.rq` file."""
    candidate = Path(name)
    if candidate.suffix == ".rq" and candidate.is_file():
        return parse_query(candidate.read_text(encoding="utf-8"), candidate.stem, candidate)
    file = queries_dir().joinpath(f"{name}.rq")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not file.is_file():
        names = [q.name for q in list_queries()]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        if close:
            raise QueryError(f"no query named {name!r}; did you mean {' or '.join(repr(c) for c in close)}?")
        raise QueryError(f"no query named {name!r}; the queries are: {', '.join(names)}")
    return parse_query(file.read_text(encoding="utf-8"), name, Path(str(file)))


# ---------------------------------------------------------------------------------------------
# Binding values


def to_iri(value: str) -> ox.NamedNode:
    """`<http://…>`, `http://…`, or a prefixed name with a known prefix (`id:body/wg-tip`)."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"not an IRI: {value!r} ({exc})") from exc


def to_term(value: str, kind: str) -> ox.NamedNode | ox.Literal:
    try:
        if kind == "iri":
            return to_iri(value)
        if kind == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if kind == "decimal":
            return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(XSD + "decimal"))
        if kind == "date":
            return ox.Literal(date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return ox.Literal(value.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"{value!r} is not a valid {kind}: {exc}") from exc
    return ox.Literal(value)


def guess_term(value: str) -> ox.NamedNode | ox.Literal:
    """For a query without a header: `<…>` and prefixed names are IRIs, anything else a string."""
    stripped = value.strip()
    prefix, sep, _ = stripped.partition(":")
    if (stripped.startswith("<") and stripped.endswith(">")) or (sep and prefix in PREFIXES) \
            or stripped.startswith(("http://", "https://")):
        return to_iri(stripped)
    return ox.Literal(value)


def bind(canned: CannedQuery | None, values: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Check the values against the header (unknown names, missing ones, types) and make terms."""
    if canned is None or not canned.params:
        return {ox.Variable(k): guess_term(v) for k, v in values.items()}
    substitutions = {}
    for key, value in values.items():
        param = canned.param(key)
        if param is None:
            declared = ", ".join(p.name for p in canned.params)
            raise QueryError(f"query {canned.name} has no parameter {key!r}; its parameters: {declared}")
        substitutions[ox.Variable(key)] = to_term(value, param.type)
    missing = [p for p in canned.params if not p.optional and p.name not in values]
    if missing:
        raise QueryError("missing " + "; ".join(f"--param {p.name}=… ({p.type}: {p.meaning})" for p in missing))
    return substitutions


def parse_param_options(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    values = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {option!r}: write --param name=value")
        values[key.strip()] = value
    return values

# ---------------------------------------------------------------------------------------------
# Short IRIs as the tool prints them, and parser errors as one line

# What the tool prints (`id:body/wg-tip`, `id:doc/CTOC/COP/WG.4/2013/1#p5`) is not a SPARQL
# prefixed name: a local name may not hold `/` or `#`. Such a word is rewritten to the full
# `<IRI>` before the parser sees it. Strings, `<IRI>`s and comments are skipped whole, so a `/` in
# a literal is never touched; a property path (`ukg:meeting/ukg:ofBody`) is left alone because its
# second step is itself a prefixed name (followed by `:`).
_SEGMENT = r"[\w\-~%](?:[\w\-.~%]*[\w\-~%])?"
_SKIP = ("(?P<string>'''(?:[^'\\\\]|\\\\.|'(?!''))*'''"
         '|"""(?:[^"\\\\]|\\\\.|"(?!""))*"""'
         "|'(?:[^'\\\\\\n\\r]|\\\\.)*'"
         '|"(?:[^"\\\\\\n\\r]|\\\\.)*")'
         '|(?P<iri><[^<>"{}|^`\\\\\\x00-\\x20]*>)'
         "|(?P<comment>#[^\\r\\n]*)")
_PREFIX_NAME = r"[A-Za-z][\w\-.]*"
_SHORT = re.compile(rf"(?<![\w?$:.\-/])(?P<prefix>{_PREFIX_NAME}|):(?P<local>{_SEGMENT}(?:[/#]{_SEGMENT})+)"
                    rf"(?![\w\-:%])|{_SKIP}")
_PNAME = re.compile(rf"(?<![\w?$:.\-/])(?P<prefix>{_PREFIX_NAME}):|{_SKIP}")
_DECLARED = re.compile(rf"\bPREFIX\s+({_PREFIX_NAME})?:\s*<([^<>\s]*)>", re.IGNORECASE)
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def declared_prefixes(text: str) -> dict[str, str]:
    """The PREFIX lines of a query (a rough read: enough to know which prefixes it defines)."""
    return {m.group(1) or "": m.group(2) for m in _DECLARED.finditer(text)}


def expand_short_iris(text: str, prefixes: dict[str, str] | None = None) -> str:
    """`id:body/wg-tip` -> `<https://w3id.org/untoc-kg/id/body/wg-tip>`, wherever a short IRI the
    tool prints stands in a query; everything else is returned unchanged. A prefix the query
    declares itself wins over the predeclared one. The endpoint can call this on a query before
    its guard and parser see it.

    The answer for a short text (a canned query) is remembered with the prefixes it was given: the
    scan costs 0.1 ms on a 2,000-character query, as much as answering some of them."""
    key = tuple((PREFIXES if prefixes is None else prefixes).items())
    if len(text) <= _REMEMBERED_TEXT:
        return _expand_remembered(text, key)
    return _expand_short_iris(text, key)


_REMEMBERED_TEXT = 16_384
"""Longer texts are not kept: an endpoint's user may send many large ones."""


@functools.lru_cache(maxsize=256)
def _expand_remembered(text: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    return _expand_short_iris(text, prefixes)


def _expand_short_iris(text: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    known = {**dict(prefixes), **declared_prefixes(text)}

    def replace(match: re.Match) -> str:
        prefix = match.group("prefix")
        if prefix is None or prefix not in known:
            return match.group(0)
        return f"<{known[prefix]}{match.group('local')}>"

    return _SHORT.sub(replace, text)


def unknown_prefixes(text: str, prefixes: dict[str, str] | None = None) -> list[str]:
    """Prefixes used in the query that neither PREFIXES nor the query's own PREFIX lines define."""
    known = {**(PREFIXES if prefixes is None else prefixes), **declared_prefixes(text)}
    seen: list[str] = []
    for match in _PNAME.finditer(text):
        prefix = match.group("prefix")
        if prefix is not None and prefix not in known and prefix not in seen:
            seen.append(prefix)
    return seen


def _first_word(text: str) -> str:
    """The first keyword after comments, PREFIX and BASE lines: the query form, or an update verb."""
    body = _PNAME.sub(lambda m: " " if m.group("comment") else m.group(0), text)
    body = re.sub(r"\b(?:PREFIX\s+[\w\-.]*:\s*<[^>]*>|BASE\s+<[^>]*>)", " ", body, flags=re.IGNORECASE)
    word = re.match(r"\s*([A-Za-z]+)", body)
    return word.group(1).upper() if word else ""


def syntax_message(text: str, parser_message: str, prefixes: dict[str, str] | None = None) -> str:
    """One line a person can act on, for a query the parser refused."""
    first = _first_word(text)
    if first in UPDATE_WORDS:
        return f"this store is read-only: {first} is an update; run a query (SELECT, ASK, CONSTRUCT, DESCRIBE)"
    if first not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE"):
        return f"malformed SPARQL: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE, not {first or 'nothing'}"
    unknown = unknown_prefixes(text, prefixes)
    if unknown:
        known = " ".join(f"{p}:" for p in (PREFIXES if prefixes is None else prefixes))
        return f"malformed SPARQL: unknown prefix {unknown[0]}: (known: {known}; or declare it: PREFIX {unknown[0]}: <…>)"
    line = " ".join(parser_message.split())
    many = re.match(r"(.*?expected one of )(.*)", line)
    if many:  # the parser lists every terminal it would have taken: keep the start of the list
        options = [o for o in re.split(r",\s*", many.group(2)) if o and "not found" not in o]
        line = many.group(1) + ", ".join(options[:4]) + (", …" if len(options) > 4 else "")
    line = line if len(line) <= 200 else line[:199] + "…"
    return f"malformed SPARQL: {line}"



# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class Table:
    """SELECT results, materialized: column names and rows of terms (None where unbound)."""

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


Result = Table | bool | list  # SELECT, ASK, CONSTRUCT/DESCRIBE (a list of pyoxigraph Triples)


STACK_BYTES = 512 * 1024 * 1024
"""The engine recurses on a query's syntax tree without a guard of its own: on the main thread's
8 MiB stack 10,000 `+` operators crash the process (exit 139), so queries run on a thread with a
stack this large, as in the endpoint's workers."""


class _QueryThread:
    """A thread with a STACK_BYTES stack that runs one function at a time and waits for the next:
    kept between queries, since starting a thread costs about as much as answering a small query."""

    def __init__(self) -> None:
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        previous = threading.stack_size(STACK_BYTES)
        try:
            threading.Thread(target=self._serve, name="query", daemon=True).start()
        finally:
            threading.stack_size(previous)

    def _serve(self) -> None:
        while True:
            task = self.tasks.get()
            if task is None:  # retired: the thread ends and its stack is given back
                return
            function, outcome, done = task
            del task
            try:
                outcome["value"] = function()
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc
            done.set()
            del function, outcome, done  # the idle thread keeps nothing of the query alive


_idle_threads: list[_QueryThread] = []
_idle_lock = threading.Lock()


def _forget_threads_after_fork() -> None:
    """A forked child has none of its parent's threads: it starts its own."""
    global _idle_lock
    _idle_threads.clear()
    _idle_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_threads_after_fork)


def _on_large_stack(function, keep: bool = True):
    """function() on a thread with a STACK_BYTES stack; its result or its exception. An idle
    query thread is reused, or a new one started, so callers on several threads run side by side.
    With `keep` false the thread ends afterwards: a long query text may nest deeply, and the stack
    pages it touched would stay with a kept thread."""
    with _idle_lock:
        worker = _idle_threads.pop() if _idle_threads else None
    if worker is None:
        worker = _QueryThread()
    outcome: dict = {}
    done = threading.Event()
    worker.tasks.put((function, outcome, done))
    done.wait()  # interrupted (Ctrl-C), the thread is still busy and is not handed out again
    if keep:
        with _idle_lock:
            _idle_threads.append(worker)
    else:
        worker.tasks.put(None)
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def guard(text: str, allow_service: bool = False) -> None:
    """The endpoint's own guard (kg.server.guard) for a query given by a user: SERVICE (unless
    `allow_service`), LOAD, updates and nesting deeper than the endpoint allows are refused before
    the engine sees the query. FROM may name any graph: the user owns the store."""
    from .server.guard import Refusal, check_query

    try:
        check_query(text, graphs=None, prefixes=PREFIXES, allow_service=allow_service)
    except Refusal as refusal:
        if refusal.message.startswith("Parse error"):
            return  # not a query at all: the engine's parser says where, as before
        # the user's own store, not an endpoint: "this store is read-only", as the parser's errors say
        message = refusal.message.replace("this endpoint is read-only", "this store is read-only")
        if "SERVICE" in message and not allow_service:
            message += " (untoc-kg sparql --allow-service lets your own queries use SERVICE)"
        raise QueryRefused(message) from None


def run(store, text: str, substitutions: dict | None = None) -> Result:
    """Run a query over the data graphs (their union is the default graph)."""
    store = resolve(store)

    def evaluate() -> Result:
        results = store_query(store, expand_short_iris(text), substitutions=substitutions, prefixes=PREFIXES)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QuerySolutions):
            columns = [v.value for v in results.variables]
            # a solution iterates over its values in the order of the variables (None where unbound):
            # a third faster than looking each column up by name (4 of 15 ms on 764 rows of 8 columns)
            return Table(columns, [tuple(solution) for solution in results])
        return list(results)

    try:
        return _on_large_stack(evaluate, keep=len(text) <= _REMEMBERED_TEXT)
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(text, str(exc))) from exc
    except RuntimeError as exc:
        if "projection" in str(exc):  # pyoxigraph binds only variables the query returns
            raise QueryError(f"{exc}: a parameter must also be a variable the query SELECTs") from exc
        raise QueryError(f"the query failed: {exc}") from exc
    except OSError as exc:  # SERVICE to a host that does not answer SPARQL (with --allow-service)
        raise QueryError(f"the query failed: {exc}") from exc


def _iri_like(value: str) -> bool:
    stripped = value.strip()
    prefix, sep, _ = stripped.partition(":")
    return stripped.startswith("<") or "://" in stripped or bool(sep and prefix in PREFIXES)


def resolve_names(store, canned: CannedQuery | None, values: dict[str, str]) -> dict[str, str]:
    """An IRI parameter given as a name (`body=wg-tip`, `body=Working Group on Trafficking in
    Persons`, `body=WG TIP`) becomes the IRI of the body it names, as `untoc-kg lineage` reads it."""
    out = dict(values)
    for key, value in values.items():
        param = canned.param(key) if canned is not None else None
        if param is None or param.type != "iri" or _iri_like(value) or not value.strip():
            continue
        from .lineage import NameNotResolved, resolve_body

        try:
            out[key] = resolve_body(resolve(store), value)[0]
        except NameNotResolved as exc:
            shown = "; ".join(label for _, label in exc.candidates[:5])
            more = ", …" if len(exc.candidates) > 5 else ""
            raise QueryError(f"--param {key}={value!r} is not an IRI, and {exc} {shown}{more}") from exc
    return out


def nothing_named(store, substitutions: dict) -> list[tuple[str, str]]:
    """The (parameter, IRI) pairs whose IRI occurs nowhere in the store: a query given one answers
    with no rows, which looks like an answer; the CLI warns instead."""
    store = resolve(store)
    missing = []
    for variable, term in substitutions.items():
        if not isinstance(term, ox.NamedNode):
            continue
        used = next(iter(store.quads_for_pattern(term, None, None)), None) \
            or next(iter(store.quads_for_pattern(None, None, term)), None) \
            or next(iter(store.quads_for_pattern(None, term, None)), None)
        if used is None:
            missing.append((variable.value, term.value))
    return missing


def run_canned(store, name: str, values: dict[str, str] | None = None) -> Result:
    canned = load_query(name)
    return run(store, canned.text, bind(canned, resolve_names(store, canned, values or {})))


def sparql(store, text: str, values: dict[str, str] | None = None, allow_service: bool = False) -> Result:
    """Run any query; `values` bind its variables (typed by the header if the text has one).

    The query passes the endpoint's guard first (`guard`)."""
    guard(expand_short_iris(text), allow_service=allow_service)
    canned = parse_query(text, "query")
    return run(store, text, bind(canned, values or {}))


__all__ = ["CannedQuery", "Param", "PREFIXES", "QueryError", "QueryRefused", "QuerySyntaxError", "Table", "bind", "guard",
           "list_queries", "load_query", "parse_param_options", "parse_query", "queries_dir", "run",
           "run_canned", "sparql", "expand_short_iris", "nothing_named", "resolve_names", "syntax_message",
           "unknown_prefixes"]
