"""Waiting reads: how soon a waiting pop returns after a push, and what idle
waiting consumers cost.

    .venv/bin/python benchmarks/waiting_reads.py [--rounds 2000] [--idle-seconds 10]

1. A consumer thread loops on blocking pop(timeout=None); the main thread
   pushes one item at a time, waiting for the consumer to have taken the
   previous one.  Prints the median and p99 of the time from push()
   returning to the consumer's pop returning.
2. Eight consumer threads wait in pop(timeout=None) on an empty queue for
   --idle-seconds; prints the CPU time the process used meanwhile.
"""

import argparse
import os
import statistics
import tempfile
import threading
import time

from rocksq import blocking


def latency(path, rounds):
    q = blocking.PersistentQueueWithCapacity(path)
    got = []
    taken = threading.Semaphore(0)

    def consumer():
        for _ in range(rounds):
            q.pop(1, timeout=None)
            got.append(time.perf_counter())
            taken.release()

    thread = threading.Thread(target=consumer)
    thread.start()
    delays = []
    for _ in range(rounds):
        while q.inflight_ops == 0:  # the consumer waits in its pop
            time.sleep(0)
        q.push([b"x"])
        pushed = time.perf_counter()
        taken.acquire()
        delays.append((got[-1] - pushed) * 1e6)
    thread.join()
    q.close()
    delays.sort()
    return statistics.median(delays), delays[int(len(delays) * 0.99)]


def idle_cpu(path, seconds):
    q = blocking.PersistentQueueWithCapacity(path)
    threads = [threading.Thread(target=q.pop, args=(1,), kwargs={"timeout": None})
               for _ in range(8)]
    for t in threads:
        t.start()
    while q.inflight_ops < 8:
        time.sleep(0.01)
    before = os.times()
    time.sleep(seconds)
    after = os.times()
    q.close()  # ends the waiting pops
    for t in threads:
        t.join()
    return (after.user - before.user) + (after.system - before.system)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--idle-seconds", type=float, default=10)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="rocksq-waiting-")
    median, p99 = latency(os.path.join(directory, "latency"), args.rounds)
    print(f"push -> waiting pop returns: median {median:.0f} us, p99 {p99:.0f} us "
          f"({args.rounds} rounds)")
    cpu = idle_cpu(os.path.join(directory, "idle"), args.idle_seconds)
    print(f"8 idle waiting consumers: {cpu * 1000:.1f} ms of CPU in {args.idle_seconds:g} s")


if __name__ == "__main__":
    main()
