"""MpmcQueue throughput: adds, then labels reading everything back.

Runs with whichever rocksq the interpreter imports, so the same script
measures this package and the reference (/tmp/refvenv/bin/python).

    python benchmarks/mpmc_throughput.py [--items 100000] [--labels 10]
"""

import argparse
import tempfile
import time

import rocksq
from rocksq import StartPosition, nonblocking


def rate(n, seconds):
    return "%9.0f/s" % (n / seconds if seconds > 0 else float("inf"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=10)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    item = b"x" * args.size
    print("rocksq", rocksq.version())
    for batch in (1, 100):
        with tempfile.TemporaryDirectory() as tmp:
            q = nonblocking.MpmcQueue(tmp + "/log", 3600)
            start = time.perf_counter()
            pending = [q.add([item] * batch) for _ in range(args.items // batch)]
            for r in pending:
                r.get()
            added = time.perf_counter() - start
            start = time.perf_counter()
            total = 0
            for label in range(args.labels):
                while True:
                    items, _ = q.next("l%d" % label, StartPosition.Oldest, batch).get().data
                    if not items:
                        break
                    total += len(items)
            read = time.perf_counter() - start
            assert total == args.items // batch * batch * args.labels
            print("batch %3d: add %s items, next %s items (%d labels)" % (
                batch, rate(args.items, added), rate(total, read), args.labels))
            if hasattr(q, "close"):
                q.close()
            del q


if __name__ == "__main__":
    main()
