"""The connection front: bounds on every connection before a request reaches the app.

Why a protocol of our own (a subclass of uvicorn's h11 protocol) rather than checks in the app: the
attacks it stops never become requests. uvicorn has no deadline for reading a request's head or
body and no bound on connections per address, so half-sent requests (one byte every 2 s) stayed
open forever, 21,000 of them exhausted the file descriptors and every other client timed out. An
ASGI app only sees a request once its head is complete, which such a request never is.

What the front does, per connection, all in O(bytes received):

- at most `per_address` connections from one peer address (a proxy the operator names with
  `--trusted-proxy` is exempt: it carries many clients) and `max_connections` in all; past either
  the connection gets a fixed `503` and is closed;
- the head (request line and headers) must arrive within `header_timeout` seconds of its first
  byte (or of the connection, for one that sends nothing): else `408` and close;
- the request line may be `max_url` bytes (else `414`) and the headers `max_header` (else `431`),
  counted while they arrive, so an 889 KB `Accept` header is refused after reading 16 KB of it,
  never parsed;
- a body must arrive within `body_timeout` seconds of the head: else the connection is closed
  (the app sees a client that went away).

No refusal writes a log line of its own: `Refusals` counts them and writes one summary line per
`interval` seconds at most, and `QuietLog` does the same for uvicorn's and asyncio's own per-request
warnings, so a flood cannot grow the log faster than a line a minute per kind.

Nothing here knows about the store or SPARQL: the same front serves any app behind it.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("untoc_kg.server")

_HEAD_END = re.compile(rb"\n\r?\n")
_LINE_SLACK = 32  # method, spaces and " HTTP/1.1" around the URL


def _fixed_response(status: int, reason: str, message: str) -> bytes:
    body = (message.rstrip("\n") + "\n").encode("utf-8")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\nx-content-type-options: nosniff\r\n\r\n"
            ).encode("ascii") + body


@dataclass(frozen=True)
class FrontLimits:
    """The connection bounds; `serve`'s options map one to one onto these."""

    max_connections: int = 1024
    per_address: int = 32
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_url: int = 8 * 1024
    max_header: int = 16 * 1024
    trusted_proxies: tuple[str, ...] = ()

    @property
    def max_head(self) -> int:
        return self.max_url + _LINE_SLACK + self.max_header

    def as_dict(self) -> dict:
        return {"max_connections": self.max_connections, "per_address": self.per_address,
                "header_timeout": f"{self.header_timeout:g}", "body_timeout": f"{self.body_timeout:g}",
                "max_header": self.max_header}


class Refusals:
    """Counts of what the front refused, reported as one log line per `interval` seconds at most."""

    def __init__(self, interval: float = 60.0, logger: logging.Logger = log):
        self.interval = interval
        self.logger = logger
        self.pending: Counter = Counter()
        self.total: Counter = Counter()
        self._last = time.monotonic()

    def note(self, kind: str) -> None:
        self.pending[kind] += 1
        self.total[kind] += 1
        self.report()

    def report(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.pending or (not force and now - self._last < self.interval):
            return
        span = now - self._last
        self._last = now
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(self.pending.items()))
        self.pending.clear()
        self.logger.warning("refused in the last %.0f s: %s", span, summary)


@dataclass
class FrontState:
    """What all connections share: the limits, open connections per address, the refusal counts."""

    limits: FrontLimits
    refusals: Refusals = field(default_factory=Refusals)
    open: Counter = field(default_factory=Counter)
    total: int = 0

    def __post_init__(self):
        self._networks = [ipaddress.ip_network(p, strict=False) for p in self.limits.trusted_proxies]

    def trusted(self, host: str | None) -> bool:
        """Is `host` one of the proxies named with --trusted-proxy (an address or a network)?"""
        if not self._networks or not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self._networks)

    def admit(self, host: str) -> str | None:
        """None when the connection may stay, else why it may not."""
        if self.total >= self.limits.max_connections:
            return "connections over the server's total"
        if self.open[host] >= self.limits.per_address and not self.trusted(host):
            return "connections over the per-address cap"
        self.open[host] += 1
        self.total += 1
        return None

    def release(self, host: str) -> None:
        self.total -= 1
        self.open[host] -= 1
        if self.open[host] <= 0:
            del self.open[host]


BUSY = _fixed_response(503, "Service Unavailable",
                       "Too many connections: close some of yours (or retry in a moment)")


def protocol_class(state: FrontState) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the front's bounds; pass it as `uvicorn.run(..., http=...)`."""
    limits = state.limits
    timeout_head = _fixed_response(408, "Request Timeout",
                                   f"Request timeout: the request's head must arrive within "
                                   f"{limits.header_timeout:g} s")
    too_long = _fixed_response(414, "URI Too Long",
                               f"URI too long: the limit is {limits.max_url} bytes; send the query by POST")
    too_big = _fixed_response(431, "Request Header Fields Too Large",
                              f"Request header fields too large: at most {limits.max_header} bytes of headers")

    class GuardedH11Protocol(H11Protocol):
        _host: str | None = None
        _head_timer = None
        _body_timer = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # our own count stops a head long before h11's buffer limit would
            self.conn._max_incomplete_event_size = limits.max_head + 256 * 1024
            self._reset_head()

        def _reset_head(self) -> None:
            self._head_len = 0
            self._line_done = False
            self._tail = b""

        # -- connections -------------------------------------------------------------------------
        def connection_made(self, transport) -> None:
            state.refusals.report()  # the summary of the last interval, if one is due
            peer = transport.get_extra_info("peername")
            host = peer[0] if isinstance(peer, (tuple, list)) and peer else "unix"
            refusal = state.admit(host)
            if refusal is not None:
                self.transport = transport
                transport.write(BUSY)
                transport.close()
                state.refusals.note(refusal)
                return
            self._host = host
            super().connection_made(transport)
            self._arm_head()

        def connection_lost(self, exc) -> None:
            if self._host is None:  # refused in connection_made: nothing of ours or uvicorn's to undo
                return
            state.release(self._host)
            self._host = None
            self._cancel("_head_timer")
            self._cancel("_body_timer")
            super().connection_lost(exc)

        # -- reading -----------------------------------------------------------------------------
        def data_received(self, data: bytes) -> None:
            if self._host is None or self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:
                self._arm_head()
                refusal = self._measure_head(data)
                if refusal is not None:
                    self._refuse(*refusal)
                    return
            super().data_received(data)
            self._follow_state()

        def _measure_head(self, data: bytes) -> tuple[bytes, str] | None:
            window = self._tail + data
            offset = len(self._tail)
            if not self._line_done:
                newline = data.find(b"\n")
                line = self._head_len + (newline if newline >= 0 else len(data))
                if line > limits.max_url + _LINE_SLACK:
                    return too_long, "request lines over the URL limit"
                self._line_done = newline >= 0
            end = _HEAD_END.search(window)
            size = self._head_len + (end.end() - offset if end else len(data))
            if size > limits.max_head:
                return too_big, "heads over the header limit"
            if end:
                self._reset_head()
            else:
                self._head_len = size
                self._tail = window[-2:]
            return None

        def _follow_state(self) -> None:
            if self.transport.is_closing():
                return
            theirs = self.conn.their_state
            if theirs is not h11.IDLE:
                self._cancel("_head_timer")
            if theirs is h11.SEND_BODY:
                if self._body_timer is None:
                    self._body_timer = self.loop.call_later(limits.body_timeout, self._body_late)
            else:
                self._cancel("_body_timer")

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._reset_head()

        # -- deadlines ---------------------------------------------------------------------------
        def _arm_head(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(limits.header_timeout, self._head_late)

        def _cancel(self, name: str) -> None:
            timer = getattr(self, name)
            if timer is not None:
                timer.cancel()
                setattr(self, name, None)

        def _head_late(self) -> None:
            self._head_timer = None
            if self._host is None or self.transport.is_closing():
                return
            if self.conn.their_state is not h11.IDLE:
                return
            if self._head_len or self._tail:
                self._refuse(timeout_head, "heads not complete within the header timeout")
            elif self.cycle is None or self.cycle.response_complete:
                # an idle connection (never sent a byte, or idle after a response): just close it
                self.transport.close()
                state.refusals.note("idle connections closed")

        def _body_late(self) -> None:
            self._body_timer = None
            if self._host is None or self.transport.is_closing():
                return
            if self.conn.their_state is h11.SEND_BODY:
                state.refusals.note("bodies not complete within the body timeout")
                self.transport.close()

        def _refuse(self, response: bytes, kind: str) -> None:
            self._cancel("_head_timer")
            self._cancel("_body_timer")
            state.refusals.note(kind)
            self.transport.write(response)
            self.transport.close()

    GuardedH11Protocol.__name__ = "GuardedH11Protocol"
    return GuardedH11Protocol


class QuietLog(logging.Filter):
    """At most `burst` records of one kind per `interval` seconds; the next one says how many were
    left out. A kind is the logger and the message's template (for the access log: the status),
    so a flood of refused requests cannot grow the log, and a quiet server logs as before."""

    def __init__(self, interval: float = 60.0, burst: int = 5, max_kinds: int = 256):
        super().__init__()
        self.interval = interval
        self.burst = burst
        self.max_kinds = max_kinds
        self._seen: dict[tuple, list] = {}  # kind -> [window start, passed, dropped]

    def _kind(self, record: logging.LogRecord) -> tuple | None:
        if record.name == "uvicorn.access":
            args = record.args if isinstance(record.args, tuple) else ()
            status = args[4] if len(args) > 4 else None
            if not isinstance(status, int) or status < 400:
                return None  # ordinary answers are the operator's access log
            return (record.name, status)
        return (record.name, str(record.msg))

    def filter(self, record: logging.LogRecord) -> bool:
        kind = self._kind(record)
        if kind is None:
            return True
        now = time.monotonic()
        if kind not in self._seen and len(self._seen) >= self.max_kinds:
            kind = ("*",)
        entry = self._seen.setdefault(kind, [now, 0, 0])
        if now - entry[0] >= self.interval:
            dropped = entry[2]
            entry[:] = [now, 0, 0]
            if dropped:
                record.msg = f"{record.msg} (and {dropped} more like it left out of the log)"
        if entry[1] < self.burst:
            entry[1] += 1
            return True
        entry[2] += 1
        return False


def quiet_logs(interval: float = 60.0) -> QuietLog:
    """Install one `QuietLog` on the loggers that write a line per request or connection."""
    quiet = QuietLog(interval)
    for name in ("uvicorn.error", "uvicorn.access", "asyncio", "untoc_kg.server"):
        logging.getLogger(name).addFilter(quiet)
    return quiet


def raise_file_limit(wanted: int) -> int:
    """Raise the soft limit on open files towards `wanted` (as far as the hard limit lets us);
    return the limit in force, so the caller can fit `max_connections` under it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


__all__ = ["FrontLimits", "FrontState", "QuietLog", "Refusals", "protocol_class", "quiet_logs",
           "raise_file_limit"]
