"""A consumer with leases, to be killed: reserves a few items at a time and
acks, releases or keeps each lease, logging (one line each, flushed) what it
reserved, when it starts an ack, and when the ack was acknowledged.

usage: lease_child.py QUEUE LOG SEED"""

import os
import random
import sys

from rocksq import blocking


def main():
    path, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    q = blocking.PersistentQueueWithCapacity(path)
    with open(log_path, "a", buffering=1) as log:
        print("ready", flush=True)
        while True:
            r = q.reserve(rng.randint(1, 5), lease_seconds=3600)
            if r.lease is None:
                continue  # drained: wait to be killed
            log.write("reserved %d %s\n" % (r.lease, " ".join(x.decode() for x in r.data)))
            choice = rng.random()
            if choice < 0.7:
                log.write("acking %d\n" % r.lease)
                q.ack(r.lease)
                log.write("acked %d\n" % r.lease)
            elif choice < 0.85:
                q.release(r.lease)
            # else: kept reserved until the kill


if __name__ == "__main__":
    sys.exit(main() or os.EX_OK)
