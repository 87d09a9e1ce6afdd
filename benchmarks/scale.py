"""Scale: does the per-item cost stay flat as queues grow?

    .venv/bin/python benchmarks/scale.py [--fifo 100000,1000000,20000000]
                                         [--mpmc 10000000] [--labels 1,10,100,1000]
                                         [--expire 10000000] [--dir DIR]

1. FIFO: for each size, push that many 128-byte items (batches of 100,
   pipelined), close, reopen (nothing in memory), pop 100k items at the
   head, then pop on to the last 100k and time those (the tail).  Prints
   items/s for each phase and the disk used.
2. MPMC: a log of --mpmc elements, then for each label count, that many
   labels each reading 100k elements from the oldest in batches of 100,
   round robin; prints next() elements/s per label count and the ratio to
   one label's.
3. TTL: a log of --expire elements with a 2 s TTL; after they expire, the
   CPU time the process spends removing them and how long until the disk
   is given back (the directory under 10% of its peak).

Only ours: rocksq 0.3.0 has no close() and its reopen of a 20M-item queue
is not the question here.  Needs disk: about 170 bytes per FIFO item.
"""

import argparse
import os
import resource
import shutil
import tempfile
import time

from rocksq import StartPosition, nonblocking

# Distinct random items, so that compression does not flatter the disk figures.
ITEMS = [os.urandom(128) for _ in range(1000)]
BATCHES = [ITEMS[i:i + 100] for i in range(0, 1000, 100)]


def directory_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def pipelined(submit, count, window=200):
    pending = []
    for i in range(count):
        pending.append(submit(i))
        if len(pending) >= window:
            pending.pop(0).get()
    for r in pending:
        r.get()


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fifo(path, n):
    q = nonblocking.PersistentQueueWithCapacity(path)
    start = time.perf_counter()
    pipelined(lambda i: q.push(BATCHES[i % 10]), n // 100)
    push = n / (time.perf_counter() - start)
    q.close()
    disk = directory_bytes(path)
    start = time.perf_counter()
    q = nonblocking.PersistentQueueWithCapacity(path)
    reopen = time.perf_counter() - start
    window = min(100_000, n // 2)
    start = time.perf_counter()
    pipelined(lambda i: q.pop(100), window // 100)
    head = window / (time.perf_counter() - start)
    pipelined(lambda i: q.pop(1000), (n - 2 * window) // 1000)
    start = time.perf_counter()
    pipelined(lambda i: q.pop(100), window // 100)
    tail = window / (time.perf_counter() - start)
    assert q.len.get().len == n - 2 * window - (n - 2 * window) // 1000 * 1000
    q.close()
    print(f"fifo {n:>11,} items: push {push:>10,.0f}/s  reopen {reopen * 1000:6.0f} ms  "
          f"pop at the head {head:>10,.0f}/s  at the tail {tail:>10,.0f}/s  "
          f"disk {disk / n:5.0f} B/item")


def mpmc(path, n, label_counts):
    log = nonblocking.MpmcQueue(path, 7 * 24 * 3600)
    pipelined(lambda i: log.add(BATCHES[i % 10]), n // 100)
    base = None
    for labels in label_counts:
        names = [f"l{labels}-{i}" for i in range(labels)]
        per_label = min(100_000, n)
        reads = per_label // 100
        start = time.perf_counter()
        pending = []
        for _ in range(reads):
            for name in names:
                pending.append(log.next(name, StartPosition.Oldest, 100))
                if len(pending) >= 200:
                    pending.pop(0).get()
        for r in pending:
            r.get()
        rate = labels * reads * 100 / (time.perf_counter() - start)
        base = base or rate
        print(f"mpmc {n:>11,} elements, {labels:5} labels: next {rate:>10,.0f} elements/s "
              f"({rate / base:.2f}x one label's)")
    log.close()


def expire(path, n):
    log = nonblocking.MpmcQueue(path, 2)
    start = time.perf_counter()
    pipelined(lambda i: log.add(BATCHES[i % 10]), n // 100)
    added = time.perf_counter()
    peak = directory_bytes(path)
    # From here the process does nothing but expire: its CPU time is expiry's.
    cpu0 = cpu_seconds()
    while time.perf_counter() < added + 2.5:
        time.sleep(0.1)  # let the TTL pass (a benchmark, not a test)
    wall0 = time.perf_counter()
    assert log.len.get().len == 0  # expiry runs at the latest here
    removed = time.perf_counter() - wall0
    given_back = None
    while time.perf_counter() < wall0 + 120:
        if directory_bytes(path) < peak / 10:
            given_back = time.perf_counter() - wall0
            break
        time.sleep(0.5)
    cpu = cpu_seconds() - cpu0
    log.close()
    print(f"ttl  {n:>11,} elements ({peak / 1e6:,.0f} MB, added in {added - start:.0f} s): "
          f"len 0 {removed * 1000:.0f} ms after the TTL, {cpu:.2f} s of CPU from the TTL's start until "
          f"the disk was given back, " + (f"in {given_back:.0f} s" if given_back is not None
                       else "not within 120 s"))


def sizes(text):
    return [int(x) for x in text.split(",") if x]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fifo", type=sizes, default=sizes("100000,1000000,20000000"))
    parser.add_argument("--mpmc", type=int, default=10_000_000)
    parser.add_argument("--labels", type=sizes, default=sizes("1,10,100,1000"))
    parser.add_argument("--expire", type=int, default=10_000_000)
    parser.add_argument("--dir", default=None, help="scratch directory (default: a temp dir)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="rocksq-scale-", dir=args.dir)
    try:
        for n in args.fifo:
            fifo(os.path.join(scratch, f"fifo-{n}"), n)
            shutil.rmtree(os.path.join(scratch, f"fifo-{n}"))
        if args.mpmc:
            mpmc(os.path.join(scratch, "mpmc"), args.mpmc, args.labels)
            shutil.rmtree(os.path.join(scratch, "mpmc"))
        if args.expire:
            expire(os.path.join(scratch, "ttl"), args.expire)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
