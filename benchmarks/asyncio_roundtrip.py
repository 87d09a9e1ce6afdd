"""Awaited round trip (await push, then await pop) against the blocking one
(push().get(), then pop().get()) on the same queue, one item at a time.

Prints round trips per second for each and their ratio (awaited / blocking);
then the same with --concurrency tasks against as many threads.
Usage: python benchmarks/asyncio_roundtrip.py [--rounds N] [--repeat R] [--concurrency C]
"""

import argparse
import asyncio
import statistics
import tempfile
import threading
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


def threaded_roundtrips(q, rounds, threads):
    def worker():
        for _ in range(rounds // threads):
            q.push([b"payload-0123456789"]).get()
            q.pop(1).get()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return (rounds // threads) * threads / (time.perf_counter() - start)


async def concurrent_awaited_roundtrips(q, rounds, tasks):
    async def worker():
        for _ in range(rounds // tasks):
            await q.push([b"payload-0123456789"])
            await q.pop(1)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    return (rounds // tasks) * tasks / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        q = nonblocking.PersistentQueueWithCapacity(directory + "/q")
        blocking_roundtrips(q, 500)  # warm up
        blocking, awaited, threaded, tasks = [], [], [], []
        c = args.concurrency
        for _ in range(args.repeat):  # interleaved, so load drifts hit both
            blocking.append(blocking_roundtrips(q, args.rounds))
            awaited.append(asyncio.run(awaited_roundtrips(q, args.rounds)))
            threaded.append(threaded_roundtrips(q, args.rounds, c))
            tasks.append(asyncio.run(concurrent_awaited_roundtrips(q, args.rounds, c)))
        q.close()
    b, a = statistics.median(blocking), statistics.median(awaited)
    print(f"blocking get() round trip: {b:10.0f} /s  ({1e6 / b:6.1f} us)")
    print(f"awaited round trip:        {a:10.0f} /s  ({1e6 / a:6.1f} us)")
    print(f"ratio awaited/blocking:    {a / b:10.2f}x")
    t, k = statistics.median(threaded), statistics.median(tasks)
    print(f"{c} threads, blocking:      {t:10.0f} round trips/s")
    print(f"{c} tasks, awaited:         {k:10.0f} round trips/s")
    print(f"ratio tasks/threads:       {k / t:10.2f}x")


if __name__ == "__main__":
    main()
