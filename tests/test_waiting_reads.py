"""Reads that wait for data: pop(timeout=...) and next(timeout=...).

timeout=0.0 (the default) returns at once, as in rocksq 0.3.0; timeout > 0
waits that long for at least one item; None waits until one arrives or the
queue closes.  A waiting read is parked by the worker: it holds up no other
operation, takes no room under max_inflight_ops, and is served, oldest
first, when a push (add) commits.  Whether a read is parked is observed
through inflight_ops after a later operation completed: no timing luck."""

import asyncio
import threading
import time

import pytest

from rocksq import StartPosition, blocking, nonblocking

from helpers.fifo import wait_for


def settle(q):
    """Once a later operation is done, the worker has parked earlier reads."""
    q.len.get()


def test_a_waiting_pop_is_served_by_the_next_push(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=1)
    waiting = q.pop(5, timeout=None)
    settle(q)
    assert not waiting.is_ready
    assert q.inflight_ops == 1
    q.push([b"a", b"b"]).get()  # it had room: the waiting pop takes none
    assert waiting.get(timeout=60).data == [b"a", b"b"]
    assert q.len.get().len == 0


def test_waiting_pops_get_one_item_each_oldest_first(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    waiters = [q.pop(1, timeout=None) for _ in range(3)]
    settle(q)
    q.push([b"1", b"2"]).get()
    assert waiters[0].get(timeout=60).data == [b"1"]
    assert waiters[1].get(timeout=60).data == [b"2"]
    settle(q)
    assert not waiters[2].is_ready
    q.close()  # ends it with what there is
    assert waiters[2].get(timeout=60).data == []


def test_a_timeout_returns_what_there_is(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    start = time.monotonic()
    assert q.pop(1, timeout=0.05).get(timeout=60).data == []
    assert time.monotonic() - start >= 0.05
    q.push([b"x"]).get()
    assert q.pop(1, timeout=3600).get(timeout=60).data == [b"x"]  # no wait: data there
    assert q.pop(1).get().data == []  # the default does not wait


def test_the_blocking_flavour_waits(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    got = []
    consumer = threading.Thread(target=lambda: got.append(q.pop(3, timeout=None)))
    consumer.start()
    wait_for(lambda: q.inflight_ops == 1, what="the pop to wait")
    q.push([b"job"])
    consumer.join(timeout=60)
    assert got == [[b"job"]]


def test_waiting_next_serves_every_label(qpath):
    log = nonblocking.MpmcQueue(qpath, 3600)
    newest = log.next("new", StartPosition.Newest, 10, timeout=None)
    oldest = log.next("old", StartPosition.Oldest, 10, timeout=None)
    settle(log)
    assert not newest.is_ready and not oldest.is_ready
    log.add([b"e1", b"e2"]).get()
    assert newest.get(timeout=60).data == ([b"e1", b"e2"], False)
    assert oldest.get(timeout=60).data == ([b"e1", b"e2"], False)
    assert log.next("new", StartPosition.Oldest, 10, timeout=0.01).get().data == ([], False)
    log.close()
    with blocking.MpmcQueue(qpath, 3600) as again:
        assert again.next("old", StartPosition.Oldest, 10, timeout=0.01) == ([], False)


def test_await_a_waiting_pop(qpath):
    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        consumer = asyncio.ensure_future(q.pop(1, timeout=None))
        await asyncio.sleep(0)
        await q.push([b"hello"])
        assert (await asyncio.wait_for(consumer, timeout=60)).data == [b"hello"]
        q.close()

    asyncio.run(main())


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (float("nan"), ValueError),
                                        ("1", TypeError), (True, TypeError)])
def test_bad_timeouts_are_refused_before_anything_happens(qpath, bad, error):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.push([b"kept"]).get()
    with pytest.raises(error, match="timeout"):
        q.pop(1, timeout=bad)
    assert q.pop(1).get().data == [b"kept"]
