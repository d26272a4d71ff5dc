"""Queries run in worker processes that can be killed.

Why processes (see PITFALLS.md): pyoxigraph's `Store.query` has no timeout, ignores signals while it
runs, and an aggregate over a cross product cannot be stopped by ending iteration. The only way to
stop it is to end the process that runs it. So each worker is a process that opens the store
read-only and answers one query at a time; the server kills a worker whose query outlives the time
limit and starts a new one, and the other workers go on answering.

Why the answer is made whole in the worker: a reply is either the complete serialized result or an
error status with a message, never a stream that a timeout could cut short (Oxigraph's own server
answers a cancelled query with HTTP 200 and half a JSON document).

Why each worker also leaves the network (a network namespace of its own, when the kernel lets it):
pyoxigraph follows `SERVICE <http://…>`. The guard refuses SERVICE before the engine sees a query;
a worker without a network makes a mistake in the guard cost nothing.

Why a thread with a large stack: the engine recurses on the query's syntax tree and has no guard of
its own; on the 8 MiB main-thread stack, 10,000 `+` operators or 3,000 BINDs crash it. With 512 MiB
nothing that fits in the 64 KB body limit does.

The worker protocol (one socket, length-prefixed messages of `multiprocessing.connection`): the
server sends a JSON configuration, the worker answers `{"ready": …}`; then for each job (JSON) the
worker answers a JSON header and the body bytes. No pickle: a worker's bytes are never code to the
server.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from json.encoder import encode_basestring as _encode_string  # json.dumps's, when ensure_ascii=False
from xml.sax.saxutils import escape, quoteattr

log = logging.getLogger("untoc_kg.server")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

TABULAR_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
BOOLEAN_FORMATS = ("json", "xml")
NATIVE_JSON = True  # SELECT answers in JSON by pyoxigraph's own serializer (`_JsonSink`); False: `write_json`

STACK_BYTES = 512 * 1024 * 1024
READY_SECONDS = 60.0


# ---------------------------------------------------------------------------------------------
# Result writers (in the worker). Written here rather than with pyoxigraph's `serialize` because
# a result cut at `max_results` rows has no pyoxigraph object to serialize.


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def _json_term_text(term, named, blank, literal, triple) -> str:
    """`_json_term(term)` as `json.dumps(…, ensure_ascii=False, separators=(",", ":"))` writes it."""
    kind = type(term)
    if kind is named:
        return '{"type":"uri","value":' + _encode_string(term.value) + "}"
    if kind is literal:
        language = term.language
        if language:
            return ('{"type":"literal","value":' + _encode_string(term.value) + ',"xml:lang":'
                    + _encode_string(language) + "}")
        datatype = term.datatype.value
        if datatype == XSD_STRING or datatype == RDF_LANG_STRING:
            return '{"type":"literal","value":' + _encode_string(term.value) + "}"
        return ('{"type":"literal","value":' + _encode_string(term.value) + ',"datatype":'
                + _encode_string(datatype) + "}")
    if kind is blank:
        return '{"type":"bnode","value":' + _encode_string(term.value) + "}"
    if kind is triple:
        return ('{"type":"triple","value":{"subject":'
                + _json_term_text(term.subject, named, blank, literal, triple)
                + ',"predicate":' + _json_term_text(term.predicate, named, blank, literal, triple)
                + ',"object":' + _json_term_text(term.object, named, blank, literal, triple) + "}}")
    return json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))  # a subclass, or a TypeError


def write_json(variables: list[str], rows: list[tuple], boolean: bool | None = None) -> bytes:
    """SPARQL JSON results, written as text directly: the same bytes as `json.dumps` of the
    document (compact separators, UTF-8 unescaped), about twice as fast on large results."""
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean}).encode("utf-8")
    import pyoxigraph as ox

    kinds = (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)
    keys = [_encode_string(v) + ":" for v in variables]
    term_text = _json_term_text
    out = []
    for row in rows:
        fields = [key + term_text(t, *kinds) for key, t in zip(keys, row, strict=True) if t is not None]
        out.append("{" + ",".join(fields) + "}")
    head = ",".join(_encode_string(v) for v in variables)
    return ('{"head":{"vars":[' + head + ']},"results":{"bindings":[' + ",".join(out) + "]}}").encode("utf-8")


def _xml_text(value: str) -> str:
    # XML 1.0 cannot carry most control characters at all, not even escaped
    cleaned = "".join(c if c in "\t\n\r" or c >= " " else "\ufffd" for c in value)
    return escape(cleaned)


def _xml_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def write_xml(variables: list[str], rows: list[tuple], boolean: bool | None = None) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if boolean is not None:
        out.append(f"<head/>\n<boolean>{'true' if boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out.append("<head>")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def write_csv(variables: list[str], rows: list[tuple], boolean: bool | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list[tuple], boolean: bool | None = None) -> bytes:
    # pyoxigraph's str() of a term is its N-Triples form, which escapes tabs and line breaks
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


# ---------------------------------------------------------------------------------------------
# The worker process


def _leave_network() -> str:
    """Enter a network namespace of our own (only a down loopback in it): no SERVICE can connect."""
    import ctypes

    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return "none"
    if libc.unshare(clone_newnet) == 0:
        return "netns"
    if libc.unshare(clone_newuser | clone_newnet) == 0:  # unprivileged, if user namespaces are allowed
        return "userns+netns"
    return "none"


def _die_with_parent() -> None:
    """A worker busy in a query must not outlive a server that was killed."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _term_size(term) -> int:
    """Roughly the bytes a term takes in any result format (exactness is restored in `_fit`)."""
    if term is None:
        return 0
    value = getattr(term, "value", None)
    if isinstance(value, str):
        return len(value) + 24
    return len(str(term)) + 24


def _fit(write, items: list, budget: int | None) -> tuple[bytes, list, bool]:
    """The body `write(items)`, with items dropped from the end until it holds `budget` bytes.

    Escaping can make a body larger than the estimate that chose `items` (JSON's `\u0001`), so the
    written size is what is checked; halving keeps this to a few writes in that rare case."""
    body = write(items)
    cut = False
    while budget and len(body) > budget and items:
        items = items[: len(items) // 2]
        body = write(items)
        cut = True
    return body, items, cut


class _Stop(Exception):
    """Raised by `_JsonSink.write` to end pyoxigraph's serializer once the answer is known to be cut."""


_BINDINGS = b'"bindings":['


class _JsonSink:
    """The file `QuerySolutions.serialize` writes SPARQL JSON results into, counting rows as they come.

    pyoxigraph's writer gives the same bytes as `write_json` (compact, UTF-8 unescaped, `xml:lang`
    and `datatype` as ours, blank nodes by their label), in 8 KiB writes, several times faster than
    making a Python object of every term. What it cannot do is stop at `max` rows or `max_bytes`, so
    this sink finds row boundaries in the bytes, without parsing them:
    - The head is `{"head":{"vars":[…]},"results":{"bindings":[`; variable names hold no quote, so
      the first `"bindings":[` ends it.
    - Every row after the first starts with `,{"NAME":` for one of the query's variables. That text
      never occurs inside a JSON string: there every `"` follows a backslash, and `NAME"` would have
      a quote right after a name character. Nor can its first `"` close a string, as only `:`, `,`,
      `}` or `]` follow a closing quote. So counting these (across write boundaries too) counts rows
      exactly.
    - The head must be the one `write_json` writes, so that the names in the needles are written
      as the serializer writes them; if not, the sink gives up as below.
    - A row with no binding is `{}`, and `,{}` could also be text in a literal. When `{}` appears
      anywhere past the head, `ambiguous` is set and the serializer stopped; `_run_job` then runs the
      query again and counts rows the old way.
    Past `limit` rows or `budget` bytes the serializer is stopped (`_Stop`); `result` closes the
    document after the last whole row that fits both, as `write_json` on fewer rows would write it."""

    def __init__(self, variables: list[str], limit: int, budget: int | None):
        self.needles = [(",{" + _encode_string(v) + ":").encode("utf-8") for v in variables]
        self.expected_head = ('{"head":{"vars":[' + ",".join(_encode_string(v) for v in variables)
                              + ']},"results":{"bindings":[').encode("utf-8")
        self.limit, self.budget = limit, budget
        self.buf = bytearray()
        self.head = -1  # offset of the first row, once the head has arrived
        self.separators = 0  # row starts after the first, in buf
        self.stopped = self.ambiguous = self.by_rows = self.by_bytes = False

    def write(self, data) -> int:
        if self.stopped:
            return len(data)  # the serializer's buffer, flushed as it is dropped after _Stop
        buf = self.buf
        start = len(buf)
        buf += data
        if self.head < 0:
            at = buf.find(_BINDINGS)
            if at < 0:
                return len(data)
            self.head = start = at + len(_BINDINGS)
            if bytes(buf[:self.head]) != self.expected_head:  # names written otherwise than the needles
                self.ambiguous = self.stopped = True
                raise _Stop
        if buf.find(b"{}", max(self.head, start - 1)) >= 0:
            self.ambiguous = self.stopped = True
            raise _Stop
        for needle in self.needles:  # occurrences that end in the new data, counted once
            self.separators += buf.count(needle, max(self.head, start - len(needle) + 1))
        if self.separators >= self.limit:
            self.by_rows = True
        if self.budget and len(buf) > self.budget:
            self.by_bytes = True
        if self.by_rows or self.by_bytes:
            self.stopped = True
            raise _Stop
        return len(data)

    def flush(self) -> None:
        pass

    def _separator(self, number: int) -> int:
        """The offset of the `number`-th row separator (1-based; all of them are in buf)."""
        found = []
        for needle in self.needles:
            at = self.buf.find(needle, self.head)
            while at >= 0:
                found.append(at)
                at = self.buf.find(needle, at + 1)
        found.sort()
        return found[number - 1]

    def result(self) -> tuple[bytes, int, bool, bool]:
        """The body, its row count, and whether it was cut by rows or by bytes."""
        buf = self.buf
        if not self.stopped:
            rows = self.separators + (1 if self.head >= 0 and buf[self.head:self.head + 1] == b"{" else 0)
            return bytes(buf), rows, False, False
        end, rows, by_rows, by_bytes = len(buf), None, False, False
        if self.separators >= self.limit:
            end, rows, by_rows = self._separator(self.limit), self.limit, True
        if self.budget and end + 3 > self.budget:  # 3: the closing "]}}"
            by_bytes = True
            end = -1
            for needle in self.needles:
                end = max(end, buf.rfind(needle, self.head, max(self.head, self.budget - 3) + len(needle)))
            if end < 0:
                end, rows = self.head, 0
            else:
                rows = 1 + sum(buf.count(needle, self.head, end) for needle in self.needles)
        return bytes(buf[:end]) + b"]}}", rows, by_rows, by_bytes


def _own_graphs(config: dict, which: str) -> list:
    """The endpoint's own default or named graphs as engine terms, made once per worker."""
    cached = config.get(f"_{which}_terms")
    if cached is None:
        import pyoxigraph as ox

        from ..store import stored  # the union graph's public IRI -> the store's default graph

        iris = (config.get("default_graphs") or config["graphs"]) if which == "default" else config["graphs"]
        cached = config[f"_{which}_terms"] = [stored(g) for g in iris]
    return cached


def _run_job(store, config: dict, job: dict) -> tuple[dict, bytes]:
    import pyoxigraph as ox

    substitutions = {}
    for name, text in (job.get("bindings") or {}).items():
        substitutions[ox.Variable(name)] = parse_term(text)
    # The dataset `kg.store.query` (the CLI, the notebooks) gives a query: the build's merge of the
    # data graphs as the default graph, never `use_default_graph_as_union`, whose bag semantics in
    # pyoxigraph 0.5 multiply rows per graph (it planned `queries/lineage.rq` into 190 s).
    if job.get("default") is not None:
        default = [ox.NamedNode(g) for g in job["default"]]
    else:
        default = _own_graphs(config, "default")
    dataset = {"default_graph": default}
    if job.get("named") is not None:
        dataset["named_graphs"] = [ox.NamedNode(g) for g in job["named"]]
    elif job.get("uses_graph", True):
        dataset["named_graphs"] = _own_graphs(config, "named")
    # else: no GRAPH in the query, so its named graphs cannot change a row; not listing them (the
    # engine then names every graph) spares it a list as long as the corpus on every query
    try:
        results = store.query(
            job["query"], base_iri=job.get("base") or None, prefixes=config.get("prefixes") or None,
            substitutions=substitutions or None, **dataset)
    except SyntaxError as exc:
        return {"status": 400, "message": f"Parse error: {exc}"}, b""
    except (RuntimeError, ValueError) as exc:
        return {"status": 400, "message": f"Query error: {exc}"}, b""
    limit = int(job["max"])
    budget = int(job.get("max_bytes") or 0) or None
    if isinstance(results, ox.QueryBoolean):
        fmt = job.get("tabular")
        if fmt not in BOOLEAN_FORMATS:
            fmt = job.get("boolean")
        if fmt not in BOOLEAN_FORMATS:
            return _not_acceptable("an ASK result", ["application/sparql-results+json",
                                                     "application/sparql-results+xml"])
        return {"status": 200, "type": TABULAR_TYPES[fmt], "count": 1}, WRITERS[fmt]([], [], bool(results))
    if isinstance(results, ox.QuerySolutions):
        fmt = job.get("tabular")
        if fmt not in WRITERS:
            return _not_acceptable("a SELECT result", [t.split(";")[0] for t in TABULAR_TYPES.values()])
        variables = [v.value for v in results.variables]
        if fmt == "json" and variables and limit > 0 and NATIVE_JSON:
            sink = _JsonSink(variables, limit, budget)
            try:
                results.serialize(sink, format=ox.QueryResultsFormat.JSON)
            except _Stop:
                pass
            if not sink.ambiguous:
                body, count, by_rows, by_bytes = sink.result()
                return _header(TABULAR_TYPES[fmt], count, by_rows, by_bytes), body
            # a "{}" in the output (a row with no binding, or in a literal): count rows the old way, on
            # a fresh run, since the serializer has used up part of the solutions
            results = store.query(
                job["query"], base_iri=job.get("base") or None, prefixes=config.get("prefixes") or None,
                substitutions=substitutions or None, **dataset)
        rows = []
        size, by_rows, by_bytes = 0, False, False
        for solution in results:
            if len(rows) == limit:
                by_rows = True
                break
            row = tuple(solution[v] for v in variables)
            if budget:
                size += sum(_term_size(t) for t in row) + 8
                if size > budget:
                    by_bytes = True
                    break
            rows.append(row)
        body, rows, cut = _fit(lambda items: WRITERS[fmt](variables, items), rows, budget)
        return _header(TABULAR_TYPES[fmt], len(rows), by_rows, by_bytes or cut), body
    fmt = job.get("graph")
    if fmt not in GRAPH_TYPES:
        return _not_acceptable("a CONSTRUCT or DESCRIBE result", [t.split(";")[0] for t in GRAPH_TYPES.values()])
    triples = []
    size, by_rows, by_bytes = 0, False, False
    for triple in results:
        if len(triples) == limit:
            by_rows = True
            break
        if budget:
            size += _term_size(triple.subject) + _term_size(triple.predicate) + _term_size(triple.object)
            if size > budget:
                by_bytes = True
                break
        triples.append(triple)
    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
                  "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    prefixes = config.get("serialization_prefixes") if fmt in ("ttl", "rdfxml") else None
    body, triples, cut = _fit(lambda items: ox.serialize(items, format=rdf_format, prefixes=prefixes) or b"",
                              triples, budget)
    return _header(GRAPH_TYPES[fmt], len(triples), by_rows, by_bytes or cut), body


def _header(media_type: str, count: int, by_rows: bool, by_bytes: bool) -> dict:
    header = {"status": 200, "type": media_type, "count": count, "truncated": by_rows or by_bytes}
    if by_rows:
        header["by_rows"] = True
    if by_bytes:
        header["by_bytes"] = True
    return header


def _not_acceptable(what: str, offered: list[str]) -> tuple[dict, bytes]:
    return {"status": 406, "message": f"Not acceptable: {what} can be had as {', '.join(offered)}; "
                                      "ask for one of these in the Accept header"}, b""


def parse_term(text: str):
    """An IRI or a literal in N-Triples syntax (`<…>`, `"…"`, `"…"@en`, `"…"^^<…>`)."""
    import pyoxigraph as ox

    subject = "<urn:x-untoc-kg:s> <urn:x-untoc-kg:p> "
    try:
        triples = list(ox.parse(f"{subject}{text} .\n".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise ValueError(f"not an RDF term in N-Triples syntax: {text!r}") from exc
    if len(triples) != 1 or isinstance(triples[0].object, (ox.BlankNode, ox.Triple)):
        raise ValueError(f"not an IRI or a literal in N-Triples syntax: {text!r}")
    return triples[0].object


def _limit_memory(mebibytes: int | None) -> None:
    """Cap the worker's heap: an ORDER BY over a cross product would fill the machine's memory well
    within the time limit; past the cap an allocation fails, the worker dies, the server says so."""
    if not mebibytes:
        return
    import resource

    limit = int(mebibytes) * 1024 * 1024 + STACK_BYTES  # the query thread's stack counts as data too
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ValueError, OSError):
        pass  # a hard limit below ours was set from outside: keep it


def _frame(data: bytes) -> bytes:
    """The length prefix `Connection.send_bytes` writes before a message of `data`."""
    n = len(data)
    return struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)


def _send_reply(out: socket.socket, header: bytes, body: bytes) -> None:
    """The header and the body as two messages of `Connection.send_bytes`, in one write when the
    body is small: the server then wakes once per reply, not once per message."""
    head = _frame(header) + header + _frame(body)
    if len(body) <= 256 * 1024:
        out.sendall(head + body)
    else:
        out.sendall(head)
        out.sendall(body)


def _serve(conn: Connection, sandbox: str) -> None:
    import pyoxigraph as ox

    try:
        config = json.loads(conn.recv_bytes())
    except (EOFError, OSError):
        return  # the server went away before it configured this worker
    _limit_memory(config.get("max_memory"))
    try:
        store = ox.Store.read_only(config["store"])
        ready = {"ready": True, "sandbox": sandbox, "pid": os.getpid()}
    except OSError as exc:
        store, ready = None, {"ready": False, "error": f"could not open the store: {exc}"}
    try:
        conn.send_bytes(json.dumps(ready).encode())
    except OSError:
        # the server stopped while this worker started (a replacement started just before the
        # server's shutdown, whose snapshot is gone by now): nobody to tell, leave quietly
        return
    if store is None:
        return
    out = socket.socket(fileno=os.dup(conn.fileno()))  # the same socket, for one write per reply
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            return
        job = json.loads(raw)
        try:
            header, body = _run_job(store, config, job)
        except ValueError as exc:
            header, body = {"status": 400, "message": f"Query error: {exc}"}, b""
        except OSError as exc:
            header, body = {"status": 500, "message": f"Query failed while reading the store: {exc}"}, b""
        except RuntimeError as exc:  # the engine's own evaluation errors
            header, body = {"status": 500, "message": f"Query failed: {exc}"}, b""
        try:
            _send_reply(out, json.dumps(header).encode("utf-8"), body)
        except OSError:
            return


def main(argv: list[str] | None = None) -> None:
    """Entry of a worker process: `python -m kg.server.worker FD` (FD: its end of a socket pair)."""
    args = sys.argv[1:] if argv is None else argv
    sandbox = _leave_network()  # first, while the process has one thread (a user namespace needs that)
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the server's to handle
    conn = Connection(int(args[0]))
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(conn, sandbox), name="query")
    thread.start()
    thread.join()


# ---------------------------------------------------------------------------------------------
# The pool (in the server)


@dataclass
class Answer:
    """A complete reply to a query: status, media type, body, extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    replacement: asyncio.Task | None = field(default=None, compare=False, repr=False)
    """The start of the worker that replaces the one this query killed, if it killed one."""

    @classmethod
    def error(cls, status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"),
                   dict(headers or {}))


def answer_of(header: dict, body: bytes, max_results: int, max_bytes: int | None = None) -> Answer:
    """The reply for a job's outcome (`_run_job`'s header and body): the error it names, or the
    result with its count, and the truncation headers when it was cut at `max_results` rows or
    `max_bytes` bytes."""
    status = int(header.get("status", 500))
    if status != 200:
        return Answer.error(status, header.get("message") or "Query failed")
    headers = {"X-SPARQL-Results": str(header.get("count", ""))}
    if header.get("truncated"):
        headers["X-SPARQL-Truncated"] = "true"
        if header.get("by_rows") or not header.get("by_bytes"):
            headers["X-SPARQL-MaxRows"] = str(max_results)
        if header.get("by_bytes") and max_bytes is not None:
            headers["X-SPARQL-MaxBytes"] = str(max_bytes)
    return Answer(200, header["type"], body, headers)


class WorkerError(Exception):
    """A worker could not be started (the store cannot be opened, Python cannot start)."""


class _Reply:
    """A worker's reply (two messages in `Connection.send_bytes`'s framing: the JSON header, then
    the body), read on the event loop as its bytes arrive, without a thread: `feed()` takes what the
    socket holds and says whether both messages are complete."""

    CHUNK = 256 * 1024

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.messages: list[bytes] = []
        self.eof = False

    def feed(self) -> bool:
        """Read what has arrived (never blocks); True once the reply is complete or the worker's
        end is closed (then `messages` holds fewer than two)."""
        while True:
            try:
                data = self.sock.recv(self.CHUNK, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self.eof = True
                return True
            if not data:
                self.eof = True
                return True
            self.buffer += data
            if len(data) < self.CHUNK:
                break
        while len(self.messages) < 2:
            if len(self.buffer) < 4:
                return False
            (size,) = struct.unpack_from("!i", self.buffer)
            start = 4
            if size == -1:
                if len(self.buffer) < 12:
                    return False
                (size,) = struct.unpack_from("!Q", self.buffer, 4)
                start = 12
            if size < 0 or len(self.buffer) < start + size:
                return False
            self.messages.append(bytes(self.buffer[start:start + size]))
            del self.buffer[:start + size]
        return True

    def result(self) -> tuple[bytes, bytes]:
        if len(self.messages) < 2:
            raise EOFError("the worker closed its end before its reply was complete")
        return self.messages[0], self.messages[1]


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen
    conn: Connection
    sandbox: str
    sock: socket.socket | None = None  # a duplicate of conn's socket, read without blocking on the event loop

    def reader(self) -> socket.socket:
        if self.sock is None:
            self.sock = socket.socket(fileno=os.dup(self.conn.fileno()))
        return self.sock

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.error("worker %s did not exit after SIGKILL", self.proc.pid)
        for end in (self.sock, self.conn):
            try:
                if end is not None:
                    end.close()
            except OSError:
                pass


def _package_root() -> str:
    import kg

    return str(Path(kg.__file__).resolve().parent.parent)


def _spawn(config: dict) -> _Worker:
    """Start one worker and wait until it has the store open (blocking: run it in a thread)."""
    ours, theirs = socket.socketpair()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_root(), env.get("PYTHONPATH", "")) if p)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "kg.server.worker", str(theirs.fileno())],
                                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                                close_fds=True, start_new_session=True)
    except OSError as exc:
        ours.close()
        raise WorkerError(f"could not start a query worker: {exc}") from exc
    finally:
        theirs.close()
    conn = Connection(ours.detach())
    worker = _Worker(proc, conn, "none")
    try:
        conn.send_bytes(json.dumps(config).encode("utf-8"))
        if not conn.poll(READY_SECONDS):
            raise WorkerError(f"a query worker did not start within {READY_SECONDS:.0f} s")
        ready = json.loads(conn.recv_bytes())
    except (EOFError, OSError, ValueError) as exc:
        worker.kill()
        raise WorkerError(f"a query worker failed to start: {exc}") from exc
    except WorkerError:
        worker.kill()
        raise
    if not ready.get("ready"):
        worker.kill()
        raise WorkerError(ready.get("error") or "a query worker failed to start")
    worker.sandbox = ready.get("sandbox", "none")
    return worker


class WorkerPool:
    """A fixed number of worker processes; a query waits for an idle one, runs, or is stopped.

    `timeout` bounds the time a query runs in a worker; `queue_wait` the time it waits for one.
    A job's `default` and `named` graphs of None mean the endpoint's own dataset: `default_graphs`
    (the store's union graph) as the default graph, `graphs` as the named graphs.
    """

    def __init__(self, store_dir: str, graphs: list[str], prefixes: dict[str, str], size: int = 2,
                 timeout: float = 10.0, max_results: int = 10_000, queue_wait: float | None = None,
                 serialization_prefixes: dict[str, str] | None = None, max_memory: int | None = None,
                 default_graphs: list[str] | None = None, max_bytes: int | None = None):
        self.max_memory = max_memory
        self.max_bytes = int(max_bytes) if max_bytes else None
        self.config = {"store": str(store_dir), "graphs": list(graphs), "prefixes": dict(prefixes),
                       "max_memory": max_memory, "default_graphs": list(default_graphs or graphs),
                       "serialization_prefixes": dict(serialization_prefixes if serialization_prefixes is not None
                                                      else prefixes)}
        self.size = max(1, int(size))
        self.timeout = float(timeout)
        self.max_results = int(max_results)
        self.queue_wait = float(queue_wait if queue_wait is not None else max(self.timeout, 1.0))
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closing = False
        self._tasks: set[asyncio.Task] = set()
        self._replacing: dict[_Worker, asyncio.Task] = {}
        self.sandbox = "none"
        self.restarts = 0

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(_spawn, self.config) for _ in range(self.size)),
                                       return_exceptions=True)
        failures = [w for w in workers if isinstance(w, BaseException)]
        for worker in workers:
            if isinstance(worker, _Worker):
                self._all.add(worker)
                self._idle.put_nowait(worker)
        if failures:
            await self.close()
            raise WorkerError(str(failures[0]))
        self.sandbox = min((w.sandbox for w in self._all), default="none")
        if self.sandbox == "none":
            log.warning("query workers run without a network namespace of their own (the kernel did "
                        "not allow one); SERVICE is still refused by the guard")

    async def close(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        workers = list(self._all)
        self._all.clear()
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in workers), return_exceptions=True)

    def worker_pids(self) -> list[int]:
        return sorted(w.proc.pid for w in self._all)

    async def run(self, job: dict, disconnected: Callable[[], Awaitable[bool]] | None = None) -> Answer:
        """Run one job: the complete answer, or an error status with a message."""
        job = dict(job, max=self.max_results, max_bytes=self.max_bytes)
        for attempt in range(2):
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout=self.queue_wait)
            except asyncio.TimeoutError:
                return Answer.error(503, f"Server busy: all {self.size} query workers stayed busy for "
                                         f"{self.queue_wait:.0f} s; retry shortly",
                                    {"Retry-After": str(max(1, int(self.timeout)))})
            try:
                worker.conn.send_bytes(json.dumps(job).encode("utf-8"))
            except OSError:
                self._replace(worker)  # it died while idle: try once more on another
                self._replacing.pop(worker, None)
                if attempt == 0:
                    continue
                return Answer.error(500, "Query failed: the query engine is restarting; retry shortly")
            answer = await self._await_answer(worker, disconnected)
            answer.replacement = self._replacing.pop(worker, None)
            return answer
        raise AssertionError("unreachable")

    async def _await_answer(self, worker: _Worker, disconnected) -> Answer:
        healthy = False
        started = time.monotonic()
        try:
            outcome = await self._wait_readable(worker, disconnected)
            if outcome == "timeout":
                log.info("query stopped after %.1f s (worker %s killed)", time.monotonic() - started,
                         worker.proc.pid)
                return Answer.error(503, f"Query timeout: the query ran longer than the limit of "
                                         f"{self.timeout:g} s and was stopped; make it more selective "
                                         "or add a LIMIT")
            if outcome == "gone":
                return Answer.error(503, "Query stopped: the client went away")
            header_raw, body = outcome
            header = json.loads(header_raw)
            healthy = True
        except (EOFError, OSError, ValueError):
            memory = f" (it may have needed more than the {self.max_memory} MiB a query may use)" \
                if self.max_memory else ""
            return Answer.error(500, f"Query failed: the query engine stopped while running this query{memory}")
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
        return answer_of(header, body, self.max_results, self.max_bytes)

    async def _wait_readable(self, worker: _Worker, disconnected) -> str | tuple[bytes, bytes]:
        """The worker's reply (header, body) once it has all arrived, read on the event loop as it
        comes; or "timeout" past the time limit, "gone" when `disconnected()` says so (polled every
        0.25 s). EOFError or OSError when the worker's end closes first (the worker died)."""
        loop = asyncio.get_running_loop()
        reply = _Reply(worker.reader())
        ready = loop.create_future()
        fd = reply.sock.fileno()

        def on_readable() -> None:
            if not ready.done() and reply.feed():
                ready.set_result(None)

        loop.add_reader(fd, on_readable)
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return "timeout"
                done, _ = await asyncio.wait({ready}, timeout=min(0.25, remaining))
                if done:
                    return reply.result()
                if disconnected is not None and await disconnected():
                    return "gone"
        finally:
            loop.remove_reader(fd)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (a query outlived the limit, or it died) and start another in its place."""
        self._all.discard(worker)
        if self._closing:
            asyncio.get_running_loop().run_in_executor(None, worker.kill)
            return
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._replacing[worker] = task

    async def _respawn(self, old: _Worker) -> None:
        await asyncio.to_thread(old.kill)
        delay = 0.5
        while not self._closing:
            try:
                worker = await asyncio.to_thread(_spawn, self.config)
            except WorkerError as exc:
                log.error("could not restart a query worker: %s (retrying in %.0f s)", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if self._closing:
                await asyncio.to_thread(worker.kill)
                return
            self._all.add(worker)
            self._idle.put_nowait(worker)
            return


__all__ = ["Answer", "GRAPH_TYPES", "TABULAR_TYPES", "WorkerError", "WorkerPool", "parse_term",
           "write_csv", "write_json", "write_tsv", "write_xml"]


if __name__ == "__main__":
    main()
