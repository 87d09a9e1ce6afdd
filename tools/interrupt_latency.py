"""How long after SIGINT each kind of wait raises KeyboardInterrupt.

    .venv/bin/python tools/interrupt_latency.py [--rounds 50]

For each wait (Response.get(), get(timeout), waiting for room under
max_inflight_ops, a blocking call with and without no_gil, an awaited
Response), the worker is held (q._hold()) so the wait cannot end by itself,
a timer signal whose handler raises KeyboardInterrupt (as SIGINT's does)
arrives 50 ms into the wait, and the time from the signal to the exception
reaching Python is recorded.
Prints the median, p99 and maximum in milliseconds per wait.
"""

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time

import rocksq
from rocksq import blocking, nonblocking


DELAY = 0.05  # seconds from the start of a wait to the signal


def interrupt(signum, frame):
    raise KeyboardInterrupt  # as Python's own SIGINT handler does


def measure(wait, rounds):
    """Runs wait() (which blocks until interrupted) rounds times, a timer
    signal arriving DELAY after it starts; returns the delays, in ms, from
    the signal to the KeyboardInterrupt (the signal needs no other thread,
    so waits that keep the GIL are measured too)."""
    latencies = []
    for _ in range(rounds):
        fire = time.perf_counter() + DELAY
        signal.setitimer(signal.ITIMER_REAL, DELAY)
        try:
            wait()
            raise AssertionError("the wait ended without the signal")
        except KeyboardInterrupt:
            latencies.append((time.perf_counter() - fire) * 1000)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, interrupt)
    directory = tempfile.mkdtemp(prefix="rocksq-interrupt-")
    results = {}

    q = nonblocking.PersistentQueueWithCapacity(os.path.join(directory, "nb"), max_inflight_ops=1)
    with q._hold():
        pending = q.len
        results["Response.get()"] = measure(pending.get, args.rounds)
        results["Response.get(timeout=60)"] = measure(lambda: pending.get(timeout=60),
                                                     args.rounds)
        # The one slot is taken: a push waits for room.
        results["waiting for room"] = measure(lambda: q.push([b"x"]), args.rounds)

        async def awaited():
            await pending

        results["await Response"] = measure(lambda: asyncio.run(awaited()), args.rounds)
    q.close()

    b = blocking.PersistentQueueWithCapacity(os.path.join(directory, "b"))
    for no_gil in (True, False):
        with b._hold():
            def call(no_gil=no_gil):
                try:
                    b.pop(1, no_gil=no_gil)
                except rocksq.OperationInterrupted as e:
                    assert e.response is not None
                    raise KeyboardInterrupt
            results["blocking pop(no_gil=%s)" % no_gil] = measure(call, args.rounds)
    b.close()

    print("%-28s %8s %8s %8s   (ms from SIGINT to KeyboardInterrupt, %d rounds)"
          % ("wait", "median", "p99", "max", args.rounds))
    for name, values in results.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print("%-28s %8.2f %8.2f %8.2f" % (name, statistics.median(values), p99, values[-1]))


if __name__ == "__main__":
    main()
