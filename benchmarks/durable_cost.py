"""What durable=True (fsync of the write-ahead log on every write) costs.

Prints pushes per second with durable=False and durable=True for:
  - blocking push of one item, one caller (one fsync per push);
  - non-blocking pushes pipelined from one caller (group commit: one fsync
    per group of pending pushes);
  - blocking pushes from 8 threads.
The figures depend on the disk's fsync latency.

    .venv/bin/python benchmarks/durable_cost.py [--seconds 2]
"""

import argparse
import os
import tempfile
import threading
import time

from rocksq import blocking, nonblocking


def rate(run, seconds):
    """Calls run() until seconds have passed; returns pushes per second."""
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += run()
    return done / (time.perf_counter() - start)


def single(path, durable, seconds):
    with blocking.PersistentQueueWithCapacity(path, durable=durable) as q:
        def run():
            for _ in range(10):
                q.push([b"x" * 100])
            return 10
        return rate(run, seconds)


def pipelined(path, durable, seconds):
    with nonblocking.PersistentQueueWithCapacity(path, durable=durable) as q:
        def run():
            responses = [q.push([b"x" * 100]) for _ in range(200)]
            for r in responses:
                r.get()
            return 200
        return rate(run, seconds)


def threads(path, durable, seconds, count=8):
    with blocking.PersistentQueueWithCapacity(path, durable=durable) as q:
        stop = time.perf_counter() + seconds
        counts = [0] * count

        def work(i):
            while time.perf_counter() < stop:
                q.push([b"x" * 100])
                counts[i] += 1

        start = time.perf_counter()
        pool = [threading.Thread(target=work, args=(i,)) for i in range(count)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return sum(counts) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    args = parser.parse_args()
    print(f"{'scenario':<38}{'durable=False':>15}{'durable=True':>15}{'cost':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, bench in [("blocking push, 1 caller", single),
                            ("non-blocking, 200 pipelined pushes", pipelined),
                            ("blocking push, 8 threads", threads)]:
            fast = bench(os.path.join(tmp, name + "-0"), False, args.seconds)
            safe = bench(os.path.join(tmp, name + "-1"), True, args.seconds)
            print(f"{name:<38}{fast:>12,.0f}/s{safe:>12,.0f}/s{fast / safe:>7.1f}x")


if __name__ == "__main__":
    main()
