"""Fair admission to the query workers: no client can lock the others out.

Why (issue 18, item 2): with a first-come queue in front of the workers, ten looping runaway queries
from one address kept both workers busy and another address's `ASK {}` got 503 six times out of six.
The gate in front of the workers holds these rules:

- a client may have `per_client` queries in flight (running or waiting); the next gets 429;
- a client's *share* of the `capacity` slots is below `capacity` whenever there are two slots or
  more: whenever another client waits, no client runs more than its share for long;
- a free slot goes to the waiting query whose client has used the least worker time lately
  (seconds of running, halved every `half_life` seconds), first come first served among equals.
  A client of cheap queries has used little and goes first; a client of expensive queries waits
  behind everyone else, and for one query's time limit at most;
- slots nobody else wants are lent: a client whose queries have been cheap lately (a mean under
  `lend_below` seconds) may run past its share while no other client waits. A lent slot is taken
  back when another client waits for it and the query on it has run `take_back_after` seconds:
  that query is stopped (503, retry). So one busy client still gets every worker of an idle server
  (the throughput of a single load generator is not halved), and a client that turns from cheap to
  runaway costs the others `take_back_after` and a worker's restart, not a time limit.

A slot is given back when the query is done, or, when its worker had to be killed (time limit,
memory, a client gone, a lent slot taken back), once the worker's replacement is ready
(`Ticket.hold`): until then the killing client still holds it, so its next query cannot take the
last live worker while another is restarting.

The gate knows clients and slots only, not what runs in a slot: it guards the embedded store's
worker processes, and can guard any other backend the same way.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .guard import Refusal

COST_FLOOR = 0.005  # seconds charged per query however fast, so a flood of cheap ones still counts
LEND_AFTER = 3.0  # queries (decaying like the seconds) a client must have run lately to be lent a slot


def effective_share(capacity: int, share: int | None) -> int:
    """A client's share of the slots: as asked, but always below `capacity` when there are two or more."""
    ceiling = capacity - 1 if capacity > 1 else 1
    return ceiling if share is None else max(1, min(int(share), ceiling))


@dataclass(eq=False)
class Ticket:
    """One slot held by one query. Set `hold` to an awaitable to keep the slot until it is done;
    ask `should_stop()` while the query runs (a lent slot may be taken back)."""

    gate: FairGate | None = None
    client: str = ""
    lent: bool = False
    started: float = field(default_factory=time.monotonic)
    hold: asyncio.Future | None = None
    taken_back: bool = False

    def should_stop(self) -> bool:
        return self.gate is not None and self.gate._take_back(self)


@dataclass
class _Waiter:
    client: str
    order: int
    future: asyncio.Future
    lent: bool = False


@dataclass
class FairGate:
    capacity: int
    share: int | None = None
    per_client: int = 4
    queue_wait: float = 10.0
    half_life: float = 60.0
    lend_below: float = 2.5
    take_back_after: float = 1.0
    running: Counter = field(default_factory=Counter)
    in_flight: Counter = field(default_factory=Counter)
    _usage: dict = field(default_factory=dict)  # client -> (seconds, queries, when), both decaying
    _waiting: list = field(default_factory=list)
    _tickets: set = field(default_factory=set)
    _order: itertools.count = field(default_factory=itertools.count)

    def __post_init__(self):
        self.capacity = max(1, int(self.capacity))
        self.share = effective_share(self.capacity, self.share)

    # -- usage ---------------------------------------------------------------------------------
    def _decayed(self, client: str, now: float) -> tuple[float, float]:
        seconds, queries, when = self._usage.get(client, (0.0, 0.0, now))
        factor = 0.5 ** ((now - when) / self.half_life)
        return seconds * factor, queries * factor

    def usage(self, client: str, now: float | None = None) -> float:
        """Worker seconds the client used lately (halved every `half_life` seconds)."""
        return self._decayed(client, time.monotonic() if now is None else now)[0]

    def mean(self, client: str, now: float | None = None) -> float:
        """The client's recent mean seconds per query (0 for a client not seen lately)."""
        seconds, queries = self._decayed(client, time.monotonic() if now is None else now)
        return seconds / queries if queries > 0.01 else 0.0

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        used, queries = self._decayed(client, now)
        self._usage[client] = (used + max(seconds, COST_FLOOR), queries + 1.0, now)
        if len(self._usage) > 4096:  # forget the clients that have used least
            for key, _ in sorted(self._usage.items(), key=lambda kv: self.usage(kv[0], now))[:1024]:
                if not self.in_flight.get(key):
                    del self._usage[key]

    # -- slots ---------------------------------------------------------------------------------
    @property
    def busy(self) -> int:
        return sum(self.running.values())

    def _may_borrow(self, client: str, now: float) -> bool:
        """Lent slots go to clients known to be cheap: a few queries lately, short on the mean (a
        client not seen before must first show it)."""
        seconds, queries = self._decayed(client, now)
        return queries >= LEND_AFTER and seconds / queries < self.lend_below

    def _dispatch(self) -> None:
        now = time.monotonic()
        while self.busy < self.capacity:
            live = [w for w in self._waiting if not w.future.done()]
            eligible = [w for w in live if self.running[w.client] < self.share]
            lent = False
            if not eligible:  # nobody within a share waits: lend to a client whose queries are cheap
                eligible = [w for w in live if self._may_borrow(w.client, now)]
                lent = True
            if not eligible:
                break
            chosen = min(eligible, key=lambda w: (self.usage(w.client, now), w.order))
            self._waiting.remove(chosen)
            chosen.lent = lent
            self.running[chosen.client] += 1
            chosen.future.set_result(None)
        self._waiting = [w for w in self._waiting if not w.future.done()]

    def _release(self, client: str) -> None:
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]

    async def _acquire(self, client: str) -> bool:
        """Wait for a slot; True when it is lent (past the client's share)."""
        if not self._waiting and self.busy < self.capacity:
            within = self.running[client] < self.share
            if within or self._may_borrow(client, time.monotonic()):
                self.running[client] += 1
                return not within
        waiter = _Waiter(client, next(self._order), asyncio.get_running_loop().create_future())
        self._waiting.append(waiter)
        self._dispatch()
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), timeout=self.queue_wait)
        except BaseException:
            if waiter.future.done() and not waiter.future.cancelled():
                self._release(client)  # granted just as we gave up: hand it on
                self._dispatch()
            else:
                waiter.future.cancel()
                self._waiting = [w for w in self._waiting if w is not waiter]
            raise
        return waiter.lent

    def _take_back(self, ticket: Ticket) -> bool:
        """True when `ticket` runs on a lent slot that another client now waits for (once the
        query on it has run `take_back_after` seconds); it is then marked taken back for good."""
        if ticket.taken_back:
            return True
        if not ticket.lent or time.monotonic() - ticket.started < self.take_back_after:
            return False
        if self.running[ticket.client] <= self.share:
            return False  # the client's other queries have finished: this one is within its share now
        wanting = sum(1 for w in self._waiting if not w.future.done() and w.client != ticket.client
                      and self.running[w.client] < self.share)
        taking = sum(1 for t in self._tickets if t.taken_back)
        if wanting <= taking:
            return False
        ticket.taken_back = True
        return True

    @asynccontextmanager
    async def slot(self, client: str):
        """Hold one slot for `client` while the body runs (yields a `Ticket`); 429 past
        `per_client`, 503 after `queue_wait` seconds without a slot."""
        if self.in_flight[client] >= self.per_client:
            raise Refusal(429, f"Too many queries: at most {self.per_client} at once from one client "
                               "address; retry when one of yours has finished", {"Retry-After": "1"})
        self.in_flight[client] += 1
        try:
            lent = await self._acquire(client)
        except BaseException as exc:
            self._leave(client)
            if isinstance(exc, asyncio.TimeoutError):
                raise Refusal(503, f"Server busy: no query slot came free for {self.queue_wait:g} s; "
                                   "retry shortly", {"Retry-After": str(max(1, int(self.queue_wait)))}) from None
            raise
        ticket = Ticket(self, client, lent)
        self._tickets.add(ticket)
        try:
            yield ticket
        finally:
            hold = ticket.hold
            if hold is not None and not hold.done():
                hold.add_done_callback(lambda _: self._finish(ticket))
            else:
                self._finish(ticket)

    def _finish(self, ticket: Ticket) -> None:
        self._tickets.discard(ticket)
        self._charge(ticket.client, time.monotonic() - ticket.started)
        self._release(ticket.client)
        self._leave(ticket.client)
        self._dispatch()

    def _leave(self, client: str) -> None:
        self.in_flight[client] -= 1
        if self.in_flight[client] <= 0:
            del self.in_flight[client]


TAKEN_BACK = ("Query stopped: it ran on a worker lent to your address past its share while nobody else "
              "wanted it, and another client now does; retry (queries that take less than {seconds:g} s "
              "are never stopped this way)")

__all__ = ["FairGate", "TAKEN_BACK", "Ticket", "effective_share"]
