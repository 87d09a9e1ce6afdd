"""An MPMC consumer that commits later, to be killed: reads a few elements
at a time with commit=False and commits every few reads, logging (one line
each, flushed) the last element read when it starts a commit and when the
commit was acknowledged.

usage: commit_child.py LOG_PATH READ_LOG SEED"""

import random
import sys

from rocksq import StartPosition, blocking


def main():
    path, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    log = blocking.MpmcQueue(path, 3600)
    last = None
    with open(log_path, "a", buffering=1) as out:
        print("ready", flush=True)
        while True:
            items, _ = log.next("worker", StartPosition.Oldest, rng.randint(1, 5), commit=False)
            if items:
                last = int(items[-1])
            if last is not None and rng.random() < 0.3:
                out.write("committing %d\n" % last)
                log.commit("worker")
                out.write("committed %d\n" % last)


if __name__ == "__main__":
    sys.exit(main())
