"""At-least-once delivery: reserve, ack, release, reserved, in both flavours,
and what survives kill -9 of a consumer that holds leases."""

import asyncio
import random
import threading

import pytest

import rocksq
from rocksq import blocking, nonblocking

from helpers.crash import kill_at_a_random_moment, read_lines
from helpers.fifo import FLAVOURS, wait_for


@pytest.fixture(params=FLAVOURS, ids=lambda f: f.name)
def fifo(request, qpath):
    q = request.param(qpath)
    yield q
    q.close()


def test_reserved_items_stay_until_acked(fifo):
    fifo.push([b"a", b"b", b"c"])
    items, lease, deliveries = fifo.reserve(2)
    assert (items, deliveries) == ([b"a", b"b"], 1)
    assert isinstance(lease, int)
    assert (fifo.len(), fifo.reserved(), fifo.payload_size()) == (3, 2, 3)
    assert fifo.peek(5) == [b"c"]
    assert fifo.pop(5) == [b"c"]  # never a reserved item
    fifo.ack(lease)
    assert (fifo.len(), fifo.reserved(), fifo.payload_size()) == (0, 0, 0)


def test_release_puts_items_back_in_their_place(fifo):
    fifo.push([b"1", b"2", b"3", b"4", b"5"])
    first = fifo.reserve(2)
    second = fifo.reserve(2)
    fifo.release(second[1])
    fifo.release(first[1])
    assert fifo.peek(5) == [b"1", b"2", b"3", b"4", b"5"]
    assert fifo.reserve(3)[::2] == ([b"1", b"2", b"3"], 2)


def test_nothing_to_reserve_gives_no_lease(fifo):
    assert fifo.reserve(3) == ([], None, 0)


def test_a_lease_not_open_raises_lease_error(fifo):
    fifo.push([b"a", b"b"])
    _, lease, _ = fifo.reserve(1)
    for call in (fifo.ack, fifo.release):
        with pytest.raises(rocksq.LeaseError, match="lease %d is not open" % (lease + 1)):
            call(lease + 1)
    fifo.ack(lease)
    with pytest.raises(rocksq.LeaseError):
        fifo.ack(lease)
    with pytest.raises(rocksq.LeaseError):
        fifo.release(lease)
    assert issubclass(rocksq.LeaseError, rocksq.RocksqError)
    assert fifo.pop(5) == [b"b"]


@pytest.mark.parametrize("cls", [blocking.PersistentQueueWithCapacity,
                                 nonblocking.PersistentQueueWithCapacity])
def test_bad_arguments_raise_and_change_nothing(qpath, cls):
    q = cls(qpath)
    with q:
        q.push([b"a"])
        bad_calls = [
            (TypeError, lambda: q.reserve("1")), (ValueError, lambda: q.reserve(-1)),
            (TypeError, lambda: q.reserve(1, None)), (ValueError, lambda: q.reserve(1, 0)),
            (ValueError, lambda: q.reserve(1, -2.5)), (ValueError, lambda: q.reserve(1, float("nan"))),
            (ValueError, lambda: q.reserve(1, float("inf"))), (TypeError, lambda: q.reserve(1, "30")),
            (ValueError, lambda: q.reserve(1, 30, timeout=-1)),
            (TypeError, lambda: q.ack(None)), (TypeError, lambda: q.ack(1.0)),
            (ValueError, lambda: q.ack(-1)), (OverflowError, lambda: q.release(2**64)),
            (TypeError, lambda: q.release("1")),
        ]
        for error, call in bad_calls:
            with pytest.raises(error):
                call()
        reserved = q.reserved if cls is blocking.PersistentQueueWithCapacity else q.reserved.get().len
        assert reserved == 0
        assert (q.pop(5) if cls is blocking.PersistentQueueWithCapacity
                else q.pop(5).get().data) == [b"a"]


def test_a_reopen_releases_every_lease_and_keeps_acks_and_deliveries(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    q.push([b"1", b"2", b"3", b"4", b"5", b"6"])
    first = q.reserve(2)
    second = q.reserve(2)
    q.ack(second.lease)
    q.close()
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    assert (q.len.get().len, q.reserved.get().len) == (4, 0)
    with pytest.raises(rocksq.LeaseError):
        q.ack(first.lease).get()  # ids are not reused across reopens
    again = q.reserve(1).get()
    assert (again.data, again.deliveries) == ([b"1"], 2)
    assert q.pop(10).get().data == [b"2", b"5", b"6"]
    q.close()


def test_a_waiting_reserve_is_served_by_a_push_then_by_a_release(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    waiting = q.reserve(5, timeout=None)
    q.len.get()
    assert not waiting.is_ready
    q.push([b"job"]).get()
    got = waiting.get(timeout=60)
    assert (got.data, got.deliveries) == ([b"job"], 1)
    second = q.reserve(5, timeout=None)  # everything is reserved: it waits
    q.len.get()
    assert not second.is_ready
    q.release(got.lease).get()
    again = second.get(timeout=60)
    assert (again.data, again.deliveries) == ([b"job"], 2)
    q.close()


def test_a_lease_not_acked_in_time_is_delivered_again(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.push([b"job"]).get()
    first = q.reserve(1, lease_seconds=0.02).get()
    # Waits until the worker ends the lease, however long that takes.
    again = q.reserve(1, timeout=None).get(timeout=60)
    assert (again.data, again.deliveries) == ([b"job"], 2)
    with pytest.raises(rocksq.LeaseError):
        q.ack(first.lease).get()
    q.ack(again.lease).get()
    assert q.len.get().len == 0
    q.close()


def test_the_blocking_reserve_waits_and_returns_a_reservation(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    got = []
    consumer = threading.Thread(target=lambda: got.append(q.reserve(2, timeout=None)))
    consumer.start()
    wait_for(lambda: q.inflight_ops == 1, what="the reserve to wait")
    q.push([b"a"])
    consumer.join(timeout=60)
    (r,) = got
    assert isinstance(r, rocksq.Reservation)
    assert (r.data, r.deliveries) == ([b"a"], 1)
    assert repr(r) == "Reservation(data=[b'a'], lease=%d, deliveries=1)" % r.lease
    q.ack(r.lease)
    q.close()


def test_reserve_is_awaitable(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)

    async def consume():
        waiting = asyncio.ensure_future(q.reserve(1, timeout=None))
        q.push([b"x"]).get()
        r = await waiting
        await q.ack(r.lease)
        return r.data

    assert asyncio.run(consume()) == [b"x"]
    assert q.len.get().len == 0
    q.close()


def test_nothing_reserved_is_lost_and_nothing_acked_comes_back_after_kill_9(tmp_path):
    """Rounds on one queue: push numbered items, let a consumer reserve and
    ack until SIGKILLed.  Afterwards every item not acked is there once, in
    order (reserved ones included); none whose ack was acknowledged is; an
    ack cut by the kill took all of its lease's items or none."""
    path = str(tmp_path / "queue")
    rng = random.Random(7)
    held = []  # what the queue should hold, in order
    next_item = 0
    for round_no in range(8):
        q = blocking.PersistentQueueWithCapacity(path)
        batch = [str(n).encode() for n in range(next_item, next_item + 200)]
        next_item += 200
        q.push(batch)
        q.close()
        held += [int(x) for x in batch]
        log = str(tmp_path / ("round-%d.log" % round_no))
        kill_at_a_random_moment(
            "lease_child.py", [path, log, str(round_no)], log,
            lambda lines: any(line.startswith("acked") for line in lines), rng, latest=0.05)

        leases, acked, cut = {}, set(), None
        for line in read_lines(log):
            kind, lease, *items = line.split()
            if kind == "reserved":
                leases[lease] = [int(x) for x in items]
            elif kind == "acking":
                cut = lease
            else:
                acked.add(lease)
                cut = None
        gone = {x for lease in acked for x in leases[lease]}
        q = nonblocking.PersistentQueueWithCapacity(path)
        assert q.reserved.get().len == 0
        remaining = [int(x) for x in q.peek(10**6).get().data]
        q.close()
        expected = [x for x in held if x not in gone]
        if cut is not None and remaining != expected:
            expected = [x for x in expected if x not in leases[cut]]
        assert remaining == expected, "round %d" % round_no
        held = remaining
    assert next_item - len(held) > 100  # the consumers acked a good part
