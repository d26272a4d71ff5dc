"""Fair admission to the query workers: no client can lock the others out.

Why (issue 18, item 2): with a first-come queue in front of the workers, ten looping runaway queries
from one address kept both workers busy and another address's `ASK {}` got 503 six times out of six.
The gate in front of the workers now holds three rules:

- a client may have `per_client` queries in flight (running or waiting); the next gets 429;
- a client may *run* at most `share` of the `capacity` slots at once, and `share` is below
  `capacity` whenever there are two slots or more, so one slot is always out of any single
  client's reach;
- a free slot goes to the waiting query whose client has used the least worker time lately
  (seconds of running, halved every `half_life` seconds), first come first served among equals.
  A client of cheap queries has used little and goes first; a client of expensive queries waits
  behind everyone else, and only for one query's time limit at most.

A slot is given back when the query is done, or, when its worker had to be killed (time limit,
memory, a client gone), once the worker's replacement is ready (`Ticket.hold`): until then the
killing client still holds it, so its next runaway query cannot take the last live worker while
the other is restarting.

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


def effective_share(capacity: int, share: int | None) -> int:
    """A client's share of the slots: as asked, but always below `capacity` when there are two or more."""
    ceiling = capacity - 1 if capacity > 1 else 1
    return ceiling if share is None else max(1, min(int(share), ceiling))


@dataclass
class Ticket:
    """What `FairGate.slot` yields: set `hold` to an awaitable to keep the slot until it is done."""

    hold: asyncio.Future | None = None


@dataclass
class _Waiter:
    client: str
    order: int
    future: asyncio.Future


@dataclass
class FairGate:
    capacity: int
    share: int | None = None
    per_client: int = 4
    queue_wait: float = 10.0
    half_life: float = 60.0
    running: Counter = field(default_factory=Counter)
    in_flight: Counter = field(default_factory=Counter)
    _usage: dict = field(default_factory=dict)  # client -> (seconds, when)
    _waiting: list = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)

    def __post_init__(self):
        self.capacity = max(1, int(self.capacity))
        self.share = effective_share(self.capacity, self.share)

    # -- usage ---------------------------------------------------------------------------------
    def usage(self, client: str, now: float | None = None) -> float:
        seconds, when = self._usage.get(client, (0.0, 0.0))
        now = time.monotonic() if now is None else now
        return seconds * 0.5 ** ((now - when) / self.half_life)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self._usage[client] = (self.usage(client, now) + max(seconds, COST_FLOOR), now)
        if len(self._usage) > 4096:  # forget the clients that have used least
            for key, _ in sorted(self._usage.items(), key=lambda kv: self.usage(kv[0], now))[:1024]:
                if not self.in_flight.get(key):
                    del self._usage[key]

    # -- slots ---------------------------------------------------------------------------------
    @property
    def busy(self) -> int:
        return sum(self.running.values())

    def _dispatch(self) -> None:
        now = time.monotonic()
        while self.busy < self.capacity:
            eligible = [w for w in self._waiting
                        if not w.future.done() and self.running[w.client] < self.share]
            if not eligible:
                break
            chosen = min(eligible, key=lambda w: (self.usage(w.client, now), w.order))
            self._waiting.remove(chosen)
            self.running[chosen.client] += 1
            chosen.future.set_result(None)
        self._waiting = [w for w in self._waiting if not w.future.done()]

    def _release(self, client: str) -> None:
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]

    async def _acquire(self, client: str) -> None:
        if not self._waiting and self.busy < self.capacity and self.running[client] < self.share:
            self.running[client] += 1
            return
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiter(client, next(self._order), future))
        self._dispatch()
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout=self.queue_wait)
        except BaseException:
            if future.done() and not future.cancelled():
                self._release(client)  # granted just as we gave up: hand it on
                self._dispatch()
            else:
                future.cancel()
                self._waiting = [w for w in self._waiting if w.future is not future]
            raise

    @asynccontextmanager
    async def slot(self, client: str):
        """Hold one slot for `client` while the body runs; 429 past `per_client`, 503 after
        `queue_wait` seconds without a slot."""
        if self.in_flight[client] >= self.per_client:
            raise Refusal(429, f"Too many queries: at most {self.per_client} at once from one client "
                               "address; retry when one of yours has finished", {"Retry-After": "1"})
        self.in_flight[client] += 1
        try:
            await self._acquire(client)
        except BaseException as exc:
            self._leave(client)
            if isinstance(exc, asyncio.TimeoutError):
                raise Refusal(503, f"Server busy: no query slot came free for {self.queue_wait:g} s; "
                                   "retry shortly", {"Retry-After": str(max(1, int(self.queue_wait)))}) from None
            raise
        started = time.monotonic()
        ticket = Ticket()
        try:
            yield ticket
        finally:
            hold = ticket.hold
            if hold is not None and not hold.done():
                hold.add_done_callback(lambda _: self._finish(client, started))
            else:
                self._finish(client, started)

    def _finish(self, client: str, started: float) -> None:
        self._charge(client, time.monotonic() - started)
        self._release(client)
        self._leave(client)
        self._dispatch()

    def _leave(self, client: str) -> None:
        self.in_flight[client] -= 1
        if self.in_flight[client] <= 0:
            del self.in_flight[client]


__all__ = ["FairGate", "Ticket", "effective_share"]
