"""A pool of workers with leases: at-least-once delivery that survives a crash.

A producer fills a queue with jobs.  A worker process takes them with
reserve(), does each one (appending its id to a results file) and acks it;
it is killed with SIGKILL half-way through, holding leases.  A second pool
then reopens the queue, which gives the killed worker's reserved jobs to the
new workers (a reopen releases every lease), and finishes.  A poison job
that always fails is released each time and set aside in a dead-letter
queue on its third delivery.  At the end every job has been done at least
once, and the script says how many were done twice (the ones the killed
worker did without getting to ack).

Usage: python examples/worker_pool.py [directory]
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
from typing import List, Set

from rocksq import blocking

JOBS = 2000
WORKERS = 4
POISON = b"poison"
MAX_DELIVERIES = 3


def work(queue: blocking.PersistentQueueWithCapacity,
         dead_letters: blocking.PersistentQueueWithCapacity, results: str,
         lock: threading.Lock) -> None:
    """One worker: reserve a job, do it, ack; until the queue is empty.  One
    job per lease, so that a job that fails holds up no other."""
    while True:
        r = queue.reserve(max_elements=1, lease_seconds=30.0, timeout=0.2)
        if r.lease is None:
            if queue.len == 0:
                return
            continue  # everything left is reserved by others: wait for them
        if r.data == [POISON]:
            if r.deliveries >= MAX_DELIVERIES:
                dead_letters.push(r.data)  # set aside for a human, then forget
                queue.ack(r.lease)
            else:
                queue.release(r.lease)  # failed: let it be tried again
            continue
        with lock, open(results, "a") as f:
            f.write("".join(job.decode() + "\n" for job in r.data))
            f.flush()
            os.fsync(f.fileno())
        queue.ack(r.lease)  # done: never delivered again


def run_pool(directory: str) -> None:
    queue = blocking.PersistentQueueWithCapacity(os.path.join(directory, "jobs"))
    dead_letters = blocking.PersistentQueueWithCapacity(os.path.join(directory, "dead"))
    lock = threading.Lock()
    results = os.path.join(directory, "results.txt")
    workers = [threading.Thread(target=work, args=(queue, dead_letters, results, lock))
               for _ in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.close()
    dead_letters.close()


def done_jobs(directory: str) -> List[str]:
    try:
        with open(os.path.join(directory, "results.txt")) as f:
            return [line for line in f.read().split("\n") if line]
    except FileNotFoundError:
        return []


def main(directory: str) -> int:
    with blocking.PersistentQueueWithCapacity(os.path.join(directory, "jobs")) as queue:
        jobs = [b"job-%d" % i for i in range(JOBS)]
        queue.push(jobs[:JOBS // 2] + [POISON] + jobs[JOBS // 2:])

    # The first pool, in a process of its own, killed half-way.
    child = subprocess.Popen([sys.executable, __file__, "--pool", directory])
    while len(done_jobs(directory)) < JOBS // 2 and child.poll() is None:
        threading.Event().wait(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    print(f"first pool killed after {len(done_jobs(directory))} jobs")

    run_pool(directory)  # the second pool takes over what was reserved

    done = done_jobs(directory)
    unique: Set[str] = set(done)
    missing = [j.decode() for j in jobs if j.decode() not in unique]
    with blocking.PersistentQueueWithCapacity(os.path.join(directory, "dead")) as dead:
        dead_lettered = dead.pop(10)
    print(f"{len(unique)} of {JOBS} jobs done, {len(done) - len(unique)} twice; "
          f"dead letters: {dead_lettered}")
    if missing or dead_lettered != [POISON]:
        print(f"FAILED: missing {missing[:5]}")
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pool"]:
        run_pool(sys.argv[2])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else tmp))
