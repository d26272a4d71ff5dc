"""The fair gate's rules, in one event loop (the server tests drive the same gate over HTTP)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from kg.server.fair import FairGate, effective_share
from kg.server.front import QuietLog
from kg.server.guard import Refusal


def test_the_share_is_always_below_the_worker_count():
    assert effective_share(2, None) == 1
    assert effective_share(2, 5) == 1
    assert effective_share(8, 3) == 3
    assert effective_share(1, None) == 1


def test_a_client_within_its_share_goes_before_one_past_it_and_before_heavier_clients():
    async def scenario():
        gate = FairGate(2, per_client=8, queue_wait=5)
        gate._charge("heavy", 30.0)  # used a lot lately
        order = []
        release = asyncio.Event()

        async def query(client, tag):
            async with gate.slot(client):
                order.append(tag)
                await release.wait()

        first = [asyncio.create_task(query("heavy", "h1")), asyncio.create_task(query("other", "o1"))]
        await asyncio.sleep(0.01)
        waiting = [asyncio.create_task(query("heavy", "h2")), asyncio.create_task(query("cheap", "c1"))]
        await asyncio.sleep(0.01)
        assert order == ["h1", "o1"]  # both slots held; h2 came first but waits
        release.set()
        await asyncio.gather(*first, *waiting)
        return order

    order = asyncio.run(scenario())
    assert order.index("c1") < order.index("h2")


def test_per_client_bound_gives_429():
    async def scenario():
        gate = FairGate(2, per_client=1, queue_wait=5)
        async with gate.slot("a"):
            with pytest.raises(Refusal) as caught:
                async with gate.slot("a"):
                    pass
            return caught.value.status

    assert asyncio.run(scenario()) == 429


def test_idle_slots_are_lent_to_a_cheap_client_and_taken_back_when_another_waits():
    async def scenario():
        gate = FairGate(2, per_client=8, queue_wait=5, lend_below=1.0, take_back_after=0.05)
        for _ in range(5):
            gate._charge("cheap", 0.01)
        gate._charge("runaway", 5.0)
        gate._charge("runaway", 5.0)
        gate._charge("runaway", 5.0)
        async with gate.slot("cheap") as first, gate.slot("cheap") as lent:
            assert not first.lent and lent.lent
            await asyncio.sleep(0.06)
            assert not lent.should_stop()  # nobody else waits
            other = asyncio.create_task(_hold(gate, "other"))
            await asyncio.sleep(0.01)
            assert lent.should_stop() and not first.should_stop()
        await other
        # a client of expensive queries is never lent a slot: its second query waits
        async with gate.slot("runaway"):
            second = asyncio.create_task(_hold(gate, "runaway"))
            await asyncio.sleep(0.05)
            assert not second.done() and gate.running["runaway"] == 1
        await second

    asyncio.run(scenario())


async def _hold(gate: FairGate, client: str) -> None:
    async with gate.slot(client):
        await asyncio.sleep(0)


def test_a_killed_workers_slot_stays_taken_until_its_replacement_is_up():
    async def scenario():
        gate = FairGate(2, per_client=8, queue_wait=5)
        replacement = asyncio.get_running_loop().create_future()
        async with gate.slot("a") as ticket:
            ticket.hold = replacement
        assert gate.running["a"] == 1
        replacement.set_result(None)
        await asyncio.sleep(0)
        assert gate.running["a"] == 0

    asyncio.run(scenario())


def test_quiet_log_passes_a_burst_then_counts():
    quiet = QuietLog(interval=60, burst=3)
    records = [logging.LogRecord("uvicorn.error", logging.WARNING, "", 0, "Invalid HTTP request received.", (), None)
               for _ in range(100)]
    assert sum(quiet.filter(r) for r in records) == 3
    ok = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                           ("127.0.0.1:1", "GET", "/", "1.1", 200), None)
    assert all(quiet.filter(ok) for _ in range(10))  # ordinary answers stay in the access log
