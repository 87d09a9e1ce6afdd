"""What only the non-blocking FIFO has: Response objects, inflight_ops,
back-pressure, and get() waiting without the GIL."""

import contextlib
import signal
import sys
import threading

import pytest

import rocksq
from rocksq import blocking, nonblocking

from helpers.fifo import wait_for

NQ = nonblocking.PersistentQueueWithCapacity
MB = b"x" * (1 << 20)


@contextlib.contextmanager
def voluntary_gil_switches_only():
    """Within the block, Python never takes the GIL from a thread (a switch
    interval of 1000 s): another thread runs only when this one releases it."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@contextlib.contextmanager
def watchdog(seconds, what):
    """Fails the block (raising in the main thread, whose waits run signal
    handlers) instead of letting a deadlock hang the test run."""
    def fail(signum, frame):
        raise AssertionError(what)

    previous = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def release_from_another_thread(hold, condition):
    """A thread that ends hold once condition() holds: it can run only while
    the main thread has released the GIL."""
    def run():
        wait_for(condition, what="the main thread to wait")
        hold.__exit__(None, None, None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main_thread_waits_in(name):
    """True once the main thread is in the call name (its signature wrapper)."""
    def check():
        frame = sys._current_frames().get(threading.main_thread().ident)
        return frame is not None and frame.f_code.co_name == name
    return check


def slow_pop(q, megabytes=48):
    """A pop queued behind a large push: a Response that takes a while."""
    q.push([MB] * megabytes)
    return q.pop(1)


def test_response_get_returns_the_same_object_every_time(qpath):
    q = NQ(qpath)
    q.push([b"a", b"b"]).get()
    for r in (q.pop(2), q.len, q.payload_size, q.disk_size, q.push([b"c"])):
        first = r.get()
        assert r.get() is first and r.get(timeout=0) is first and r.try_get() is first
        assert r.is_ready
    assert q.pop(5).get().data == [b"c"]


def test_response_error_is_raised_by_every_get(qpath):
    q = NQ(qpath, max_elements=1)
    r = q.push([b"a", b"b"])
    for _ in range(3):
        with pytest.raises(rocksq.QueueFullError):
            r.get()
    assert r.is_ready
    with pytest.raises(rocksq.QueueFullError):
        r.try_get()


def test_response_variant_fields(qpath):
    q = NQ(qpath)
    push = q.push([b"ab"]).get()
    assert (push.data, push.len, push.size) == (None, None, None)
    ln = q.len.get()
    assert (ln.data, ln.len, ln.size) == (None, 1, None)
    size = q.payload_size.get()
    assert (size.data, size.len, size.size) == (None, None, 2)
    popped = q.pop().get()
    assert (popped.data, popped.len, popped.size) == ([b"ab"], None, None)
    assert isinstance(popped, nonblocking.ResponseVariant)


def test_try_get_is_none_until_ready_then_the_result(qpath):
    q = NQ(qpath)
    seen_pending = False
    for _ in range(5):
        r = slow_pop(q)
        if r.try_get() is None:
            seen_pending = True
            assert not r.is_ready or r.try_get() is not None
            wait_for(lambda: r.is_ready, what="the pop")
            result = r.try_get()
            assert result is not None and result is r.get()
            assert result.data == [MB]
            break
        r.get()
    assert seen_pending, "every pop behind a 48 MB push was ready at once"


def test_get_with_timeout_raises_timeout_error_while_pending(qpath):
    q = NQ(qpath)
    for _ in range(5):
        r = slow_pop(q)
        try:
            r.get(timeout=0)
        except TimeoutError:
            assert r.get().data == [MB]  # still completes afterwards
            return
    pytest.fail("every pop behind a 48 MB push was ready at once")


def test_inflight_ops_is_zero_after_every_get(qpath):
    q = NQ(qpath, max_inflight_ops=1000)
    responses = [q.push([b"%d" % i]) for i in range(300)] + [q.len for _ in range(100)]
    assert 0 <= q.inflight_ops <= 400
    for r in responses:
        r.get()
    assert q.inflight_ops == 0
    assert q.len.get().len == 300
    assert q.inflight_ops == 0


def test_back_pressure_with_one_inflight_op(qpath):
    q = NQ(qpath, max_inflight_ops=1)
    seen = []
    responses = []
    for i in range(300):
        responses.append(q.push([b"%d" % i]))
        seen.append(q.inflight_ops)
    assert max(seen) <= 1
    for r in responses:
        r.get()
    assert q.pop(1000).get().data == [b"%d" % i for i in range(300)]


def test_back_pressure_blocks_the_submitter_not_the_others(qpath):
    """With max_inflight_ops=1 a thread submitting behind a pending operation
    waits for room with the GIL released: another thread runs meanwhile (it
    is the one that lets the pending operation complete)."""
    q = NQ(qpath, max_inflight_ops=1)
    hold = q._hold().__enter__()
    first = q.push([b"first"])
    with voluntary_gil_switches_only(), watchdog(30, "the room wait kept the GIL"):
        thread = release_from_another_thread(hold, main_thread_waits_in("push"))
        second = q.push([b"after"])  # waits for room
    thread.join()
    first.get()
    second.get()
    assert q.pop(5).get().data == [b"first", b"after"]


def test_get_releases_the_gil_while_waiting(qpath):
    """Another Python thread runs while get() waits: it is the one that lets
    the operation complete."""
    q = NQ(qpath)
    hold = q._hold().__enter__()
    pushed = q.push([b"a"])
    with voluntary_gil_switches_only():
        thread = release_from_another_thread(hold, main_thread_waits_in("get"))
        assert pushed.get(timeout=30).data is None  # TimeoutError if the GIL was kept
    thread.join()


def test_blocking_calls_release_the_gil(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    q.push([b"a"])
    hold = q._hold().__enter__()
    with voluntary_gil_switches_only(), watchdog(30, "the blocking call kept the GIL"):
        thread = release_from_another_thread(hold, lambda: q.inflight_ops == 1)
        assert q.pop(5) == [b"a"]
    thread.join()


def test_close_completes_pending_operations(qpath):
    q = NQ(qpath, max_inflight_ops=10)
    responses = [q.push([b"%d" % i]) for i in range(100)]
    q.close()
    for r in responses:
        assert r.is_ready
        r.get()
    with pytest.raises(rocksq.QueueClosedError):
        q.push([b"late"])
    assert blocking.PersistentQueueWithCapacity(qpath).len == 100


def test_responses_outlive_their_queue(qpath):
    q = NQ(qpath)
    push = q.push([b"a"])
    pop = q.pop()
    del q
    assert pop.get().data == [b"a"]
    assert push.get().data is None


def test_responses_from_many_threads(qpath):
    q = NQ(qpath)
    r = slow_pop(q, megabytes=8)
    results = []
    threads = [threading.Thread(target=lambda: results.append(r.get())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 8 and all(x is results[0] for x in results)
