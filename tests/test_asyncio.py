"""asyncio support: every Response is awaitable (rocksq/_asyncio.py).

pytest runs without plugins: each test drives its own loop with asyncio.run.
"""

import asyncio
import gc
import os
import threading
import time

import pytest

import rocksq
from rocksq import nonblocking


async def resume_after_suspension(hold, waiter):
    """Lets waiter (a task awaiting a Response) run up to its suspension,
    checks it is suspended, ends hold (q._hold(): until then the worker
    starts nothing) and returns what waiter returns."""
    await asyncio.sleep(0)
    assert not waiter.done()
    hold.__exit__(None, None, None)
    return await asyncio.wait_for(waiter, timeout=60)


def test_await_push_pop_and_properties(qpath):
    async def main():
        with nonblocking.PersistentQueueWithCapacity(qpath, max_elements=10) as q:
            assert (await q.push([b"a", b"bb", b"ccc"])).data is None
            assert (await q.len).len == 3
            assert (await q.payload_size).size == 6
            assert (await q.disk_size).size > 0
            assert (await q.pop(2)).data == [b"a", b"bb"]
            assert (await q.pop(10)).data == [b"ccc"]
            assert (await q.pop(10)).data == []

    asyncio.run(main())


def test_await_returns_get_and_can_repeat(qpath):
    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        await q.push([b"a"])
        response = q.pop(1)
        first = await response
        assert response.is_ready
        assert await response is first
        assert response.get() is first and first.data == [b"a"]

    asyncio.run(main())


def test_await_raises_the_operation_error(qpath):
    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath, max_elements=2)
        await q.push([b"1"])
        with pytest.raises(rocksq.QueueFullError):
            await q.push([b"2", b"3"])
        assert (await q.len).len == 1

    asyncio.run(main())


def test_await_pending_response_suspends_and_resumes(qpath):
    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        q.push([b"a"]).get()
        hold = q._hold().__enter__()
        response = q.len
        waiter = asyncio.create_task(_await(response))
        assert (await resume_after_suspension(hold, waiter)).len == 1

    asyncio.run(main())


def test_producer_and_consumer_tasks_deliver_every_item_once(qpath):
    producers, consumers, per_producer = 4, 3, 300

    async def produce(q, p):
        for i in range(per_producer):
            await q.push([f"{p}:{i}".encode()])

    async def consume(q, got, done):
        while True:
            items = (await q.pop(7)).data
            got.extend(items)
            if not items:
                if done.is_set():
                    return
                await asyncio.sleep(0.001)

    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=16)
        got = [[] for _ in range(consumers)]  # per consumer, in the order it popped
        done = asyncio.Event()
        consumer_tasks = [asyncio.create_task(consume(q, mine, done)) for mine in got]
        await asyncio.gather(*(produce(q, p) for p in range(producers)))
        done.set()
        await asyncio.gather(*consumer_tasks)
        return got

    got = asyncio.run(main())
    every = [item for mine in got for item in mine]
    expected = {f"{p}:{i}".encode() for p in range(producers) for i in range(per_producer)}
    assert len(every) == len(expected) and set(every) == expected
    # A consumer's successive pops see one producer's items in its order.
    for mine in got:
        ours = [item for item in mine if item.startswith(b"0:")]
        assert ours == sorted(ours, key=lambda item: int(item.split(b":")[1]))


def test_cancelled_awaiter_does_not_lose_popped_items(qpath):
    """Documented behaviour: the pop happens anyway; its items stay in the
    Response, from which get() (or another await) recovers them."""

    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        await q.push([b"a", b"b", b"c"])
        with q._hold():  # the pop stays pending while the awaiter is cancelled
            response = q.pop(2)
            waiter = asyncio.create_task(_await(response))
            await asyncio.sleep(0)  # the task starts and suspends on the pending pop
            assert not response.is_ready
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
        assert (await response).data == [b"a", b"b"]
        assert response.get().data == [b"a", b"b"]
        assert (await q.pop(10)).data == [b"c"]

    asyncio.run(main())


async def _await(response):
    return await response


@pytest.mark.parametrize("timeout", [0, 0.0001, 0.05, -1.0])  # negative: do not wait
def test_get_timeout_raises_timeout_error_then_completes(qpath, timeout):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.push([b"a"]).get()
    with q._hold():
        response = q.len
        with pytest.raises(TimeoutError):
            response.get(timeout=timeout)
    assert response.get(timeout=None).len == 1  # the operation went on
    assert response.get(timeout=0) is response.get()


def test_get_with_generous_timeout_returns(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    assert q.push([b"a"]).get(timeout=30.0).data is None
    assert q.pop(1).get(timeout=30).data == [b"a"]


def test_each_loop_run_works_and_releases_its_eventfd(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)

    async def roundtrip(i):
        await q.push([b"%d" % i])
        return (await q.pop(1)).data

    def open_fds():
        return len(os.listdir("/proc/self/fd"))

    assert asyncio.run(roundtrip(0)) == [b"0"]
    before = open_fds()
    for i in range(1, 20):
        assert asyncio.run(roundtrip(i)) == [b"%d" % i]
    assert open_fds() <= before + 1


def test_a_loop_closed_with_an_await_pending_releases_its_eventfd(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)

    async def leave_one_waiting():
        asyncio.ensure_future(_await(q.len))  # asyncio.run cancels it at the end
        await asyncio.sleep(0)

    def open_fds():
        return len(os.listdir("/proc/self/fd"))

    with q._hold():
        asyncio.run(leave_one_waiting())
        gc.collect()
        before = open_fds()
        for _ in range(20):
            asyncio.run(leave_one_waiting())
        gc.collect()
        assert open_fds() <= before + 1


def test_loops_in_two_threads_await_one_queue(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    pushed = threading.Barrier(2, timeout=60)
    results = {}

    async def roundtrips(name):
        for i in range(200):
            await q.push([f"{name}{i}".encode()])
        pushed.wait()  # both loops pop only once everything is in
        got = []
        while True:
            items = (await q.pop(7)).data
            if not items:
                return got
            got.extend(items)

    def run(name):
        results[name] = asyncio.run(roundtrips(name))

    threads = [threading.Thread(target=run, args=(name,)) for name in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = results["a"] + results["b"]
    assert sorted(every) == sorted([f"{n}{i}".encode() for n in "ab" for i in range(200)])


def test_awaiting_outside_a_running_loop_raises_runtime_error(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    with q._hold():
        awaiting = q.len.__await__()
        with pytest.raises(RuntimeError, match="no running event loop"):
            next(awaiting)


def test_await_mpmc_operations(qpath):
    async def main():
        with nonblocking.MpmcQueue(qpath, ttl=60) as q:
            await q.add([b"a", b"b", b"c"])
            assert (await q.next("r", rocksq.StartPosition.Oldest, 2)).data == ([b"a", b"b"], False)
            assert (await q.labels).labels == ["r"]
            assert (await q.len).len == 3
            assert (await q.disk_size).size > 0
            assert (await q.remove_label("r")).removed_label is True
            assert (await q.remove_label("r")).removed_label is False

    asyncio.run(main())


def test_await_pending_mpmc_response_resumes(qpath):
    async def main():
        q = nonblocking.MpmcQueue(qpath, ttl=60)
        hold = q._hold().__enter__()
        q.add([b"x" * 16])
        response = q.next("r", rocksq.StartPosition.Oldest, 1)
        waiter = asyncio.create_task(_await(response))
        items, expired = (await resume_after_suspension(hold, waiter)).data
        assert items == [b"x" * 16] and expired is False

    asyncio.run(main())


def test_signal_is_written_only_while_armed(qpath):
    import select

    from rocksq._rocksq import _AsyncSignal

    def readable(signal, timeout):
        return bool(select.select([signal.fileno()], [], [], timeout)[0])

    signal = _AsyncSignal()
    try:
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        q.push([b"a"]).get()
        q.len.get()  # a later group: the push's notification is over
        assert not readable(signal, 0)
        signal.arm()
        q.push([b"b"]).get()
        assert readable(signal, 10)  # written after the group, so soon after get()
        signal.drain()
        assert not readable(signal, 0)
        q.pop(1).get()
        q.len.get()
        assert not readable(signal, 0)  # disarmed by the write: one write per arm
    finally:
        signal.close()


def test_wait_for_and_gather_accept_responses(qpath):
    async def main():
        q = nonblocking.PersistentQueueWithCapacity(qpath)
        pushed = await asyncio.gather(q.push([b"a"]), q.push([b"b"]))
        assert [v.data for v in pushed] == [None, None]
        assert (await asyncio.wait_for(q.pop(2), timeout=30)).data == [b"a", b"b"]
        # A timed-out wait_for cancels only the wait; the pop's items stay in
        # the Response.
        await q.push([b"c"])
        with q._hold():
            response = q.pop(1)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(response, timeout=0.01)
        assert response.get().data == [b"c"]

    asyncio.run(main())
