"""One process of a queue shared by several (tests/test_shared.py).

    shared_child.py ROLE KIND PATH LOG STOPFILE [FIRST_ID]

Opens the queue at PATH shared, prints "ready", then plays ROLE until
STOPFILE exists (then closes the queue cleanly) or it is killed:

- owner: opens first, does nothing else (it serves the others);
- producer: pushes (FIFO) or adds (MPMC) one item at a time, numbered from
  FIRST_ID; logs "ack ID TIME" once acknowledged, "lost ID" if the owner
  died meanwhile (OwnerLostError: it may or may not be stored);
- consumer: pops up to 4 items (FIFO) or reads label "shared" (MPMC), logs
  "got ID ID ... TIME" once acknowledged, "lost" after an OwnerLostError.

Every line is written whole and flushed, so a killed process's log holds
only what it was told.
"""

import os
import sys
import time

import rocksq

TTL = 3600
BATCH = 4


def main():
    role, kind, path, log_path, stop_file = sys.argv[1:6]
    first_id = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    if kind == "fifo":
        q = rocksq.blocking.PersistentQueueWithCapacity(path, shared=True)
    else:
        q = rocksq.blocking.MpmcQueue(path, TTL, shared=True)
    print("ready", flush=True)
    with open(log_path, "a", buffering=1) as log:
        n = first_id
        while not os.path.exists(stop_file):
            try:
                if role == "owner":
                    time.sleep(0.005)  # it serves the others on its own thread
                elif role == "producer":
                    item = str(n).encode()
                    try:
                        q.push([item]) if kind == "fifo" else q.add([item])
                        log.write("ack %d %.6f\n" % (n, time.monotonic()))
                    except rocksq.OwnerLostError:
                        log.write("lost %d\n" % n)
                    n += 1
                else:
                    try:
                        if kind == "fifo":
                            items = q.pop(BATCH)
                        else:
                            items = q.next("shared", rocksq.StartPosition.Oldest, BATCH)[0]
                        if items:
                            log.write("got %s %.6f\n" % (" ".join(x.decode() for x in items),
                                                          time.monotonic()))
                    except rocksq.OwnerLostError:
                        log.write("lost\n")
            except rocksq.RocksqError as e:
                log.write("error %s: %s\n" % (type(e).__name__, e))
                raise
    q.close()


if __name__ == "__main__":
    main()
