"""Producer and consumer processes sharing one queue (shared=True).

    python examples/multiprocess.py [DIRECTORY]

Four producer processes push numbered jobs, four consumer processes pop
them; the parent opens the queue first (so it owns it and serves the
others), then checks that every job was consumed exactly once.
"""

import multiprocessing
import multiprocessing.queues
import os
import sys
import tempfile

import rocksq

PRODUCERS = CONSUMERS = 4
JOBS_PER_PRODUCER = 2_000
STOP = b"stop"


def produce(path: str, first: int) -> None:
    q = rocksq.blocking.PersistentQueueWithCapacity(path, shared=True)
    for n in range(first, first + JOBS_PER_PRODUCER):
        q.push([b"%d" % n])
    q.close()


def consume(path: str, results: "multiprocessing.queues.Queue[list[int]]") -> None:
    q = rocksq.blocking.PersistentQueueWithCapacity(path, shared=True)
    got: list[bytes] = []
    while True:
        items = q.pop(64, timeout=None)  # waits in the owner, not here
        if STOP in items:
            got.extend(x for x in items if x != STOP)
            # Items after our stop belong to the others: give back the rest.
            extra = items.count(STOP) - 1
            if extra:
                q.push([STOP] * extra)
            break
        got.extend(items)
    q.close()
    results.put([int(x) for x in got])


def main() -> None:
    directory = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    path = os.path.join(directory, "jobs")
    # spawn: each child opens the queue itself (a forked copy would refuse).
    ctx = multiprocessing.get_context("spawn")
    owner = rocksq.blocking.PersistentQueueWithCapacity(path, shared=True)
    results: "multiprocessing.queues.Queue[list[int]]" = ctx.Queue()
    producers = [ctx.Process(target=produce, args=(path, i * JOBS_PER_PRODUCER))
                 for i in range(PRODUCERS)]
    consumers = [ctx.Process(target=consume, args=(path, results)) for _ in range(CONSUMERS)]
    for p in producers + consumers:
        p.start()
    for p in producers:
        p.join()
    owner.push([STOP] * CONSUMERS)  # after every job: FIFO
    consumed = [results.get() for _ in consumers]
    for p in consumers:
        p.join()
    jobs = sorted(n for part in consumed for n in part)
    expected = list(range(PRODUCERS * JOBS_PER_PRODUCER))
    print("consumed %d jobs (%s per consumer), %d left in the queue"
          % (len(jobs), "/".join(str(len(part)) for part in consumed), owner.len))
    owner.close()
    if jobs != expected:
        sys.exit("lost or duplicated jobs: %d consumed, %d distinct, %d expected"
                 % (len(jobs), len(set(jobs)), len(expected)))
    print("every job consumed exactly once")


if __name__ == "__main__":
    main()
