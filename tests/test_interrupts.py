"""Ctrl-C (SIGINT) interrupts every wait, and what happened to the
interrupted operation is known:

- waiting in Response.get(): KeyboardInterrupt; the operation goes on and
  the same Response gives its result later;
- waiting for room (max_inflight_ops): KeyboardInterrupt; nothing was
  submitted;
- a blocking call waiting for its operation: rocksq.OperationInterrupted (a
  KeyboardInterrupt) whose .response gives the operation's result.

The worker is held (q._hold()) so that every wait lasts until the signal:
without interruption the tests would hang.  tools/interrupt_latency.py
measures how fast the interruption is."""

import os
import signal
import sys
import threading

import pytest

import rocksq
from rocksq import StartPosition, blocking, nonblocking

from helpers.fifo import wait_for


def interrupt_main_when(condition):
    """SIGINT to the main thread once condition() holds (checked by a helper
    thread); returns the thread."""
    main = threading.main_thread().ident

    def run():
        wait_for(condition, what="the main thread to wait")
        signal.pthread_kill(main, signal.SIGINT)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


class interrupt_once_submitted:
    """Within the block, a timer signal every 10 ms raises KeyboardInterrupt
    (in the main thread, as Ctrl-C does) once queue has an operation pending:
    it needs no other thread, so it works while the main thread keeps the
    GIL (no_gil=False)."""

    def __init__(self, queue):
        self.queue = queue

    def handler(self, signum, frame):
        if self.queue.inflight_ops == 1:
            raise KeyboardInterrupt

    def __enter__(self):
        self.previous = signal.signal(signal.SIGALRM, self.handler)
        signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)


def main_thread_is_in(name):
    """True once the main thread runs the Python signature wrapper of name."""
    def check():
        frame = sys._current_frames().get(threading.main_thread().ident)
        return frame is not None and frame.f_code.co_name == name and \
            frame.f_code.co_filename.startswith("<rocksq")
    return check


@pytest.fixture(autouse=True)
def default_sigint_handler():
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_get_is_interrupted_and_the_response_stays_usable(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    with q._hold():
        pushed = q.push([b"a"])
        thread = interrupt_main_when(main_thread_is_in("get"))
        with pytest.raises(KeyboardInterrupt) as info:
            pushed.get()
        assert not isinstance(info.value, rocksq.OperationInterrupted)
        thread.join()
        assert not pushed.is_ready
    assert pushed.get(timeout=30).data is None
    assert q.pop(5).get().data == [b"a"]
    q.close()


def test_waiting_for_room_is_interrupted_and_submits_nothing(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=1)
    with q._hold():
        first = q.push([b"first"])
        assert q.inflight_ops == 1
        thread = interrupt_main_when(main_thread_is_in("push"))
        with pytest.raises(KeyboardInterrupt):
            q.push([b"second"])  # no room: waits until interrupted
        thread.join()
        assert q.inflight_ops == 1
    first.get(timeout=30)
    assert q.pop(5).get().data == [b"first"]
    q.close()


@pytest.mark.parametrize("no_gil", [True, False])
def test_blocking_pop_is_interrupted_and_its_result_kept(qpath, no_gil):
    q = blocking.PersistentQueueWithCapacity(qpath)
    q.push([b"a", b"b"])
    with q._hold(), interrupt_once_submitted(q):
        with pytest.raises(rocksq.OperationInterrupted) as info:
            q.pop(2, no_gil=no_gil)
    assert isinstance(info.value, KeyboardInterrupt)
    assert info.value.response.get(timeout=30).data == [b"a", b"b"]
    assert q.len == 0
    q.close()


def test_blocking_mpmc_next_is_interrupted_and_its_result_kept(qpath):
    log = blocking.MpmcQueue(qpath, 3600)
    log.add([b"x"])
    with log._hold():
        thread = interrupt_main_when(lambda: log.inflight_ops == 1)
        with pytest.raises(rocksq.OperationInterrupted) as info:
            log.next("reader", StartPosition.Oldest, 10)
        thread.join()
    assert info.value.response.get(timeout=30).data == ([b"x"], False)
    assert log.next("reader", StartPosition.Oldest, 10) == ([], False)  # the cursor moved
    log.close()


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_a_custom_signal_handler_exception_carries_the_response(qpath):
    class Stop(Exception):
        pass

    def handler(signum, frame):
        raise Stop()

    signal.signal(signal.SIGINT, handler)
    q = blocking.PersistentQueueWithCapacity(qpath)
    with q._hold():
        thread = interrupt_main_when(lambda: q.inflight_ops == 1)
        with pytest.raises(Stop) as info:
            q.push([b"z"])
        thread.join()
    assert info.value.response.get(timeout=30).data is None
    assert q.pop(5) == [b"z"]
    q.close()


def test_a_blocking_waiting_pop_is_interrupted_and_its_result_kept(qpath):
    """Waiting for data is a wait like the others: Ctrl-C interrupts it and
    the pop, still waiting, serves the next push."""
    q = blocking.PersistentQueueWithCapacity(qpath)
    with interrupt_once_submitted(q):
        with pytest.raises(rocksq.OperationInterrupted) as info:
            q.pop(1, timeout=None)
    q.push([b"late"])
    assert info.value.response.get(timeout=30).data == [b"late"]
    q.close()
