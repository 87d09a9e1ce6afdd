"""Awaited round trip (await push, then await pop) against the blocking one
(push().get(), then pop().get()) on the same queue, one item at a time.

Prints round trips per second for each and their ratio (awaited / blocking).
Usage: python benchmarks/asyncio_roundtrip.py [--rounds N] [--repeat R]
"""

import argparse
import asyncio
import statistics
import tempfile
import time

from rocksq import nonblocking


def blocking_roundtrips(q, rounds):
    start = time.perf_counter()
    for _ in range(rounds):
        q.push([b"payload-0123456789"]).get()
        q.pop(1).get()
    return rounds / (time.perf_counter() - start)


async def awaited_roundtrips(q, rounds):
    start = time.perf_counter()
    for _ in range(rounds):
        await q.push([b"payload-0123456789"])
        await q.pop(1)
    return rounds / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        q = nonblocking.PersistentQueueWithCapacity(directory + "/q")
        blocking_roundtrips(q, 500)  # warm up
        blocking, awaited = [], []
        for _ in range(args.repeat):  # interleaved, so load drifts hit both
            blocking.append(blocking_roundtrips(q, args.rounds))
            awaited.append(asyncio.run(awaited_roundtrips(q, args.rounds)))
        q.close()
    b, a = statistics.median(blocking), statistics.median(awaited)
    print(f"blocking get() round trip: {b:10.0f} /s  ({1e6 / b:6.1f} us)")
    print(f"awaited round trip:        {a:10.0f} /s  ({1e6 / a:6.1f} us)")
    print(f"ratio awaited/blocking:    {a / b:10.2f}x")


if __name__ == "__main__":
    main()
