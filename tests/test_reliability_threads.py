"""Guarantee 2, concurrency: 6 producer and 6 consumer threads on one queue,
max_inflight_ops=16 so back-pressure is exercised, both flavours, no_gil mixed:
every item delivered exactly once, each producer's order kept, no deadlock
(every thread must finish before a deadline)."""

import threading
import time

import pytest

from rocksq import blocking, nonblocking

PRODUCERS = 6
CONSUMERS = 6
PER_PRODUCER = 10000
DEADLINE = 120.0


def run_within_deadline(threads):
    """Starts threads and joins them; fails if any still runs after DEADLINE.
    Returns the seconds they took."""
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, start + DEADLINE - time.monotonic()))
    assert not [t for t in threads if t.is_alive()], "deadlock: threads still running at the deadline"
    return time.monotonic() - start


def storm(push, pop, inflight=None):
    total = PRODUCERS * PER_PRODUCER
    received = [[] for _ in range(CONSUMERS)]
    consumed = [0]
    lock = threading.Lock()
    errors = []
    max_inflight = [0]

    def producer(p):
        try:
            n = 0
            while n < PER_PRODUCER:
                size = 1 + (n % 7)
                batch = [b"%d:%d" % (p, i) for i in range(n, min(n + size, PER_PRODUCER))]
                push(batch, no_gil=(p % 2 == 0))
                n += len(batch)
                if inflight:
                    max_inflight[0] = max(max_inflight[0], inflight())
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    def consumer(c):
        try:
            while True:
                with lock:
                    if consumed[0] >= total:
                        return
                items = pop(1 + c % 5, no_gil=(c % 2 == 1))
                if items:
                    received[c].extend(items)
                    with lock:
                        consumed[0] += len(items)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=producer, args=(p,), daemon=True) for p in range(PRODUCERS)]
    threads += [threading.Thread(target=consumer, args=(c,), daemon=True) for c in range(CONSUMERS)]
    elapsed = run_within_deadline(threads)
    assert not errors, errors
    # Exactly once.
    everything = [x for r in received for x in r]
    assert len(everything) == total and len(set(everything)) == total
    # Each consumer sees each producer's items in the order pushed.
    for r in received:
        last = {}
        for x in r:
            p, i = map(int, x.split(b":"))
            assert i > last.get(p, -1), f"producer {p}'s order broken"
            last[p] = i
    print(f"{total} items through {PRODUCERS}+{CONSUMERS} threads in {elapsed:.2f} s "
          f"({total / elapsed:,.0f} items/s)")
    return max_inflight[0]


def test_thread_storm_nonblocking(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=16)
    seen = storm(lambda items, no_gil: q.push(items, no_gil=no_gil).get(),
                 lambda n, no_gil: q.pop(n, no_gil=no_gil).get().data,
                 inflight=lambda: q.inflight_ops)
    assert seen <= 16
    assert q.len.get().len == 0 and q.inflight_ops == 0


def test_thread_storm_nonblocking_pipelined(qpath):
    """Producers do not wait for each push: 16 in flight is the real limit."""
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=16)
    local = threading.local()

    def push(items, no_gil):
        pending = getattr(local, "pending", None)
        if pending is None:
            pending = local.pending = []
        pending.append(q.push(items, no_gil=no_gil))
        if len(pending) > 8:
            pending.pop(0).get()
        if items[-1].endswith(b":%d" % (PER_PRODUCER - 1)):
            for r in pending:
                r.get()

    seen = storm(push, lambda n, no_gil: q.pop(n, no_gil=no_gil).get().data,
                 inflight=lambda: q.inflight_ops)
    assert 1 <= seen <= 16


def test_thread_storm_blocking(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    storm(lambda items, no_gil: q.push(items, no_gil=no_gil),
          lambda n, no_gil: q.pop(n, no_gil=no_gil))
    assert q.len == 0


@pytest.mark.parametrize("module", [blocking, nonblocking], ids=["blocking", "nonblocking"])
def test_thread_storm_mpmc(qpath, module):
    """6 producers add, 6 labels each read by its own thread: every label sees
    every element exactly once, each producer's order kept, no deadlock."""
    from rocksq import StartPosition

    per_producer = 3000
    total = PRODUCERS * per_producer
    kwargs = {"max_inflight_ops": 16} if module is nonblocking else {}
    q = module.MpmcQueue(qpath, 3600, **kwargs)
    wait = (lambda r: r.get()) if module is nonblocking else (lambda r: r)
    read = ((lambda label, n, no_gil: q.next(label, StartPosition.Oldest, n,
                                                no_gil=no_gil).get().data[0])
            if module is nonblocking else
            (lambda label, n, no_gil: q.next(label, StartPosition.Oldest, n, no_gil=no_gil)[0]))
    received = {f"reader-{c}": [] for c in range(CONSUMERS)}
    errors = []

    def producer(p):
        try:
            for n in range(0, per_producer, 5):
                wait(q.add([b"%d:%d" % (p, i) for i in range(n, n + 5)], no_gil=p % 2 == 0))
        except BaseException as e:
            errors.append(e)

    def reader(c):
        label = f"reader-{c}"
        try:
            while len(received[label]) < total:
                received[label].extend(read(label, 1 + c % 7, c % 2 == 1))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=producer, args=(p,), daemon=True) for p in range(PRODUCERS)]
    threads += [threading.Thread(target=reader, args=(c,), daemon=True) for c in range(CONSUMERS)]
    elapsed = run_within_deadline(threads)
    assert not errors, errors
    for label, got in received.items():
        assert len(got) == total and len(set(got)) == total, label
        last = {}
        for x in got:
            p, i = map(int, x.split(b":"))
            assert i > last.get(p, -1), f"{label}: producer {p}'s order broken"
            last[p] = i
    print(f"MPMC: {total} elements added by {PRODUCERS} threads, read by {CONSUMERS} labels, "
          f"in {elapsed:.2f} s")
    q.close()
