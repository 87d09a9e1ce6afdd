"""Benchmark workloads, one per run of this script.

Runs unchanged under rocksq (ours) and the reference rocksq 0.3.0: the
interpreter that runs it decides which `rocksq` is imported.  `--impl
persistqueue` runs the round trip on persist-queue's SQLite queue instead.

    python benchmarks/workloads.py --workload fifo_roundtrip --dir /tmp/x [--quick]

Prints one JSON object: {"metrics": {name: {"value", "unit", "better"}}, ...}.
Each run is a fresh process, so peak RSS (ru_maxrss) belongs to that workload.
"""

import argparse
import collections
import json
import os
import resource
import shutil
import sys
import threading
import time

ITEM = b"x" * 128


def rate(n, seconds, unit="items/s"):
    return {"value": n / seconds, "unit": unit, "better": "higher"}


def mib(nbytes):
    return {"value": nbytes / (1 << 20), "unit": "MiB", "better": "lower"}


def peak_rss_bytes():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def fifo(path, **kwargs):
    from rocksq.nonblocking import PersistentQueueWithCapacity

    return PersistentQueueWithCapacity(path, **kwargs)


def close(q):
    # The reference has no close(): dropping the object releases it.
    if hasattr(q, "close"):
        q.close()


def pipelined(submit, count, window):
    """Calls submit(i) count times, keeping at most window results pending."""
    pending = collections.deque()
    out = 0
    for i in range(count):
        pending.append(submit(i))
        if len(pending) >= window:
            out += _settle(pending.popleft())
    while pending:
        out += _settle(pending.popleft())
    return out


def _settle(response):
    data = response.get().data
    if data is None:
        return 0
    if isinstance(data, tuple):  # MPMC next(): (items, expired)
        data = data[0]
    return len(data)


def push_batches(q, n_items, batch, item=ITEM, window=200):
    items = [item] * batch
    pipelined(lambda i: q.push(items), n_items // batch, window)


def pop_batches(q, n_items, batch, window=200):
    got = pipelined(lambda i: q.pop(max_elements=batch), n_items // batch, window)
    assert got == n_items // batch * batch, (got, n_items)
    return got


# --- FIFO -----------------------------------------------------------------


def fifo_roundtrip(path, scale):
    n = 20_000 if scale == "full" else 4_000
    q = fifo(path)
    for _ in range(200):  # warm up
        q.push([ITEM]).get()
        q.pop().get()
    start = time.perf_counter()
    for _ in range(n):
        q.push([ITEM]).get()
        assert len(q.pop().get().data) == 1
    elapsed = time.perf_counter() - start
    close(q)
    return {"round trips": rate(n, elapsed, "round trips/s")}


def fifo_blocking(path, scale):
    """The blocking flavour: a push and a pop per round trip, and 4 threads
    each pushing and popping one item per call."""
    from rocksq.blocking import PersistentQueueWithCapacity

    n = 20_000 if scale == "full" else 4_000
    q = PersistentQueueWithCapacity(path)
    for _ in range(200):  # warm up
        q.push([ITEM])
        q.pop()
    start = time.perf_counter()
    for _ in range(n):
        q.push([ITEM])
        assert len(q.pop()) == 1
    roundtrips = time.perf_counter() - start

    per_thread = n // 4

    def worker():
        for _ in range(per_thread):
            q.push([ITEM])
            q.pop()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start
    assert q.len == 0
    close(q)
    return {"blocking round trips": rate(n, roundtrips, "round trips/s"),
            "blocking 4 threads": rate(per_thread * 4, threaded, "round trips/s")}


def fifo_leases(path, scale):
    """At-least-once consumption (reserve + ack) beside pop: round trips of one
    item, and batches of 100 pipelined.  The reference has no leases: it
    reports the pop figures only."""
    n = 10_000 if scale == "full" else 2_000
    batches = 200 if scale == "full" else 50
    q = fifo(path)
    has_leases = hasattr(q, "reserve")
    metrics = {}

    def timed(fn, count):
        start = time.perf_counter()
        fn(count)
        return count / (time.perf_counter() - start)

    def pop_trips(count):
        for _ in range(count):
            q.push([ITEM]).get()
            assert len(q.pop().get().data) == 1

    def lease_trips(count):
        for _ in range(count):
            q.push([ITEM]).get()
            r = q.reserve().get()
            q.ack(r.lease).get()

    batch = [ITEM] * 100

    def pop_batches(count):
        for _ in range(count):
            q.push(batch).get()
            assert len(q.pop(100).get().data) == 100

    def lease_batches(count):
        for _ in range(count):
            q.push(batch).get()
            r = q.reserve(100).get()
            q.ack(r.lease).get()

    pop_trips(200)  # warm up
    unit = {"unit": "round trips/s", "better": "higher"}
    metrics["push+pop round trips"] = {"value": timed(pop_trips, n), **unit}
    if has_leases:
        lease_trips(200)
        metrics["push+reserve+ack round trips"] = {"value": timed(lease_trips, n), **unit}
    items = {"unit": "items/s", "better": "higher"}
    metrics["batches of 100: push+pop"] = {"value": 100 * timed(pop_batches, batches), **items}
    if has_leases:
        metrics["batches of 100: push+reserve+ack"] = {
            "value": 100 * timed(lease_batches, batches), **items}
        assert q.len.get().len == 0 and q.reserved.get().len == 0
    close(q)
    return metrics


def call_overhead(path, scale):
    """What rocksq._signatures' Python signatures cost a call: try_get() of a
    completed Response (it returns the cached result) through the public
    method and through the compiled one it wraps.  Ours only (the reference
    has no such layer, and its try_get works once)."""
    import rocksq.nonblocking

    native = getattr(rocksq.nonblocking.Response.try_get, "__native__", None)
    if native is None:
        return {}
    n = 1_000_000 if scale == "full" else 200_000
    q = fifo(path)
    response = q.len
    response.get()
    timings = {}
    for name, call in (("wrapped", response.try_get), ("native", lambda: native(response))):
        start = time.perf_counter()
        for _ in range(n):
            call()
        timings[name] = (time.perf_counter() - start) / n
    close(q)
    # The lambda adds a Python call to the native figure, as the wrapper does:
    # subtracting the bare loop of a lambda leaves the wrapper's own cost.
    noop = lambda: None  # noqa: E731
    start = time.perf_counter()
    for _ in range(n):
        noop()
    loop = (time.perf_counter() - start) / n
    return {"signature layer per call": {"value": (timings["wrapped"] - (timings["native"] - loop)) * 1e9,
                                         "unit": "ns", "better": "lower"}}


def persistqueue_roundtrip(path, scale):
    import persistqueue

    n = 20_000 if scale == "full" else 4_000
    q = persistqueue.SQLiteQueue(path, auto_commit=True, multithreading=True)
    start = time.perf_counter()
    for _ in range(n):
        q.put(ITEM)
        q.get()
    elapsed = time.perf_counter() - start
    return {"round trips": rate(n, elapsed, "round trips/s")}


def fifo_batch(path, scale):
    n = 500_000 if scale == "full" else 100_000
    q = fifo(path)
    start = time.perf_counter()
    push_batches(q, n, 100)
    pushed = time.perf_counter()
    pop_batches(q, n, 100)
    popped = time.perf_counter()
    close(q)
    return {
        "batch push": rate(n, pushed - start),
        "batch pop": rate(n, popped - pushed),
    }


def fifo_threads(path, scale):
    """4 producer and 4 consumer threads, one item per call."""
    n = 100_000 if scale == "full" else 8_000
    producers = consumers = 4
    q = fifo(path)
    consumed = [0]
    lock = threading.Lock()

    def produce():
        for _ in range(n // producers):
            q.push([ITEM]).get()

    def consume():
        while True:
            with lock:
                if consumed[0] >= n:
                    return
            got = len(q.pop().get().data)
            if got:
                with lock:
                    consumed[0] += got

    threads = [threading.Thread(target=produce) for _ in range(producers)]
    threads += [threading.Thread(target=consume) for _ in range(consumers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    close(q)
    return {"4x4 threads": rate(n, elapsed)}


def reopen_and_time_pops(path, n_pop):
    q = fifo(path)
    start = time.perf_counter()
    pop_batches(q, n_pop, 100)
    return q, time.perf_counter() - start


def fifo_depth(path, scale):
    """Push 2M items, reopen (nothing in memory), pop at the head and the tail."""
    depth = 2_000_000 if scale == "full" else 400_000
    probe = 100_000 if scale == "full" else 40_000
    q = fifo(path)
    start = time.perf_counter()
    push_batches(q, depth, 1000, window=20)
    pushed = time.perf_counter() - start
    rss_full = peak_rss_bytes()
    close(q)
    del q
    q, head = reopen_and_time_pops(path, probe)
    # Consume all but the last probe items: the head moves past a long
    # consumed (deleted) prefix.
    pop_batches(q, depth - 2 * probe, 1000, window=20)
    start = time.perf_counter()
    pop_batches(q, probe, 100)
    tail = time.perf_counter() - start
    assert q.len.get().len == 0
    close(q)
    return {
        "depth push (batches of 1000)": rate(depth, pushed),
        "pop at head of deep queue": rate(probe, head),
        "pop at tail of deep queue": rate(probe, tail),
        "peak RSS at full depth": mib(rss_full),
    }


def fifo_shallow(path, scale):
    """The baseline of fifo_depth: pop 100k items from a reopened 100k queue."""
    depth = 100_000 if scale == "full" else 40_000
    q = fifo(path)
    push_batches(q, depth, 1000, window=20)
    close(q)
    del q
    q, elapsed = reopen_and_time_pops(path, depth)
    close(q)
    return {"pop at 100k depth": rate(depth, elapsed)}


def fifo_churn(path, scale):
    """Push and pop 2M items through a nearly empty queue."""
    n = 2_000_000 if scale == "full" else 400_000
    batch = 100
    q = fifo(path)
    items = [ITEM] * batch
    start = time.perf_counter()
    for _ in range(n // batch):
        q.push(items).get()
        assert len(q.pop(max_elements=batch).get().data) == batch
    elapsed = time.perf_counter() - start
    disk = q.disk_size.get().size
    close(q)
    return {
        "churn push+pop": rate(n, elapsed),
        "disk_size after churn": mib(disk),
        "peak RSS after churn": mib(peak_rss_bytes()),
    }


def fifo_item_sizes(path, scale):
    metrics = {}
    cases = [(16, 500_000), (1024, 100_000), (64 * 1024, 2_000), (1 << 20, 200)]
    for size, n in cases:
        if scale != "full":
            n //= 5
        item = b"s" * size
        sub = os.path.join(path, str(size))
        q = fifo(sub)
        start = time.perf_counter()
        batch = 100 if size < (1 << 20) else 10  # 1 MiB items: 10 MiB per push
        push_batches(q, n, batch, item=item, window=50)
        pushed = time.perf_counter()
        pop_batches(q, n, batch, window=50)
        popped = time.perf_counter()
        close(q)
        del q
        label = (f"{size} B" if size < 1024 else f"{size // 1024} KiB" if size < (1 << 20)
                 else f"{size >> 20} MiB")
        metrics[f"push {label} items"] = rate(n, pushed - start)
        metrics[f"pop {label} items"] = rate(n, popped - pushed)
    return metrics


# --- MPMC -----------------------------------------------------------------


def mpmc(path):
    from rocksq.nonblocking import MpmcQueue

    return MpmcQueue(path, 3600)


def oldest():
    from rocksq import StartPosition

    return StartPosition.Oldest


def mpmc_batch(path, scale):
    n = 500_000 if scale == "full" else 100_000
    labels = ["a", "b", "c"]
    q = mpmc(path)
    items = [ITEM] * 100
    start = time.perf_counter()
    pipelined(lambda i: q.add(items), n // 100, 200)
    added = time.perf_counter()
    pos = oldest()
    for label in labels:
        got = pipelined(lambda i: q.next(label, pos, max_elements=100), n // 100, 200)
        assert got == n, (label, got)
    read = time.perf_counter()
    close(q)
    return {
        "mpmc batch add": rate(n, added - start),
        "mpmc batch next (3 labels)": rate(n * len(labels), read - added),
    }


def mpmc_roundtrip(path, scale):
    n = 20_000 if scale == "full" else 4_000
    q = mpmc(path)
    pos = oldest()
    start = time.perf_counter()
    for _ in range(n):
        q.add([ITEM]).get()
        data = q.next("c", pos, max_elements=1).get().data
        assert len(data[0]) == 1, data
    elapsed = time.perf_counter() - start
    close(q)
    return {"mpmc round trips": rate(n, elapsed, "round trips/s")}


# --- Several processes on one queue (ours: shared=True) ---------------------


def _shares():
    """True if this rocksq opens queues shared (ours); the reference cannot,
    so its figures are those of one process (threads for the 4+4)."""
    import rocksq

    return hasattr(rocksq, "OwnerLostError")


def _hold_shared(path, ready, stop):
    """A process that owns the queue and serves the others."""
    q = fifo(path, shared=True)
    ready.set()
    stop.wait()
    close(q)


def _producer(path, n, ready, go):
    q = fifo(path, shared=True)
    ready.release()
    go.wait()
    for _ in range(n):
        q.push([ITEM]).get()
    close(q)


def _consumer(path, n_total, consumed, ready, go):
    q = fifo(path, shared=True)
    ready.release()
    go.wait()
    while consumed.value < n_total:
        got = len(q.pop(timeout=0.05).get().data)
        if got:
            with consumed.get_lock():
                consumed.value += got
    close(q)


def _roundtrip_latencies(q, n):
    for _ in range(200):  # warm up
        q.push([ITEM]).get()
        q.pop().get()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        q.push([ITEM]).get()
        q.pop().get()
        out.append(time.perf_counter() - start)
    out.sort()
    return out[len(out) // 2]


def _client_figures(q, n_rt, n_batch):
    """Round trip and batches through q: a client's, or the reference's own."""
    metrics = {"round trip, client (median)": {"value": _roundtrip_latencies(q, n_rt) * 1e9,
                                               "unit": "ns", "better": "lower"}}
    start = time.perf_counter()
    push_batches(q, n_batch, 100)
    pushed = time.perf_counter()
    pop_batches(q, n_batch, 100)
    metrics["batch push, client"] = rate(n_batch, pushed - start)
    metrics["batch pop, client"] = rate(n_batch, time.perf_counter() - pushed)
    return metrics


def fifo_processes(path, scale):
    """Clients of a queue another process owns: round trip, batches, and 4
    producer + 4 consumer processes.  The reference cannot share a queue:
    its figures are those of one process (4x4: threads)."""
    import multiprocessing

    n_rt = 5_000 if scale == "full" else 1_000
    n_batch = 200_000 if scale == "full" else 40_000
    n_procs = 40_000 if scale == "full" else 8_000
    metrics = {}
    if not _shares():
        q = fifo(path)
        metrics.update(_client_figures(q, n_rt, n_batch))
        metrics["round trip, owner (median)"] = dict(metrics["round trip, client (median)"])
        close(q)
        metrics["4+4 processes"] = fifo_threads(path + "-threads", scale)["4x4 threads"]
        return metrics
    ctx = multiprocessing.get_context("spawn")
    # The owner's own figure, for the ratio client/owner.
    q = fifo(path + "-owner")
    metrics["round trip, owner (median)"] = {"value": _roundtrip_latencies(q, n_rt) * 1e9,
                                              "unit": "ns", "better": "lower"}
    close(q)
    ready, stop = ctx.Event(), ctx.Event()
    owner = ctx.Process(target=_hold_shared, args=(path, ready, stop))
    owner.start()
    ready.wait()
    q = fifo(path, shared=True)
    metrics.update(_client_figures(q, n_rt, n_batch))
    # 4 producer and 4 consumer processes, one item per call.
    started, go = ctx.Semaphore(0), ctx.Event()
    consumed = ctx.Value("q", 0)
    workers = [ctx.Process(target=_producer, args=(path, n_procs // 4, started, go))
               for _ in range(4)]
    workers += [ctx.Process(target=_consumer, args=(path, n_procs, consumed, started, go))
                for _ in range(4)]
    for w in workers:
        w.start()
    for _ in workers:
        started.acquire()
    start = time.perf_counter()
    go.set()
    for w in workers:
        w.join()
    metrics["4+4 processes"] = rate(n_procs, time.perf_counter() - start)
    close(q)
    stop.set()
    owner.join()
    return metrics


WORKLOADS = {
    "fifo_roundtrip": fifo_roundtrip,
    "fifo_batch": fifo_batch,
    "fifo_threads": fifo_threads,
    "mpmc_batch": mpmc_batch,
    "mpmc_roundtrip": mpmc_roundtrip,
    "fifo_shallow": fifo_shallow,
    "fifo_depth": fifo_depth,
    "fifo_churn": fifo_churn,
    "fifo_item_sizes": fifo_item_sizes,
    "fifo_blocking": fifo_blocking,
    "call_overhead": call_overhead,
    "fifo_leases": fifo_leases,
    "fifo_processes": fifo_processes,
}
PERSISTQUEUE_WORKLOADS = {"fifo_roundtrip": persistqueue_roundtrip}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--impl", default="rocksq", choices=["rocksq", "persistqueue"])
    parser.add_argument("--dir", required=True, help="scratch directory (emptied first)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()

    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    path = os.path.join(args.dir, "queue")
    scale = "quick" if args.quick else "full"
    if args.impl == "persistqueue":
        fn = PERSISTQUEUE_WORKLOADS[args.workload]
        version = "persist-queue"
    else:
        import rocksq

        fn = WORKLOADS[args.workload]
        version = getattr(rocksq, "__version__", None) or str(rocksq.version())
    start = time.perf_counter()
    try:
        metrics = fn(path, scale)
    finally:
        shutil.rmtree(args.dir, ignore_errors=True)
    json.dump(
        {
            "workload": args.workload,
            "impl": args.impl,
            "version": version,
            "seconds": time.perf_counter() - start,
            "metrics": metrics,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
