"""Cursor durability: a consumer killed with SIGKILL never re-reads an element
whose next() had returned, and loses at most the batch in flight."""

import os
import signal
import subprocess
import sys
import textwrap

from rocksq import StartPosition, blocking

CONSUMER = textwrap.dedent("""
    import sys
    from rocksq import StartPosition, nonblocking
    q = nonblocking.MpmcQueue(sys.argv[1], 3600)
    print("ready", flush=True)
    while True:
        items, _ = q.next("c", StartPosition.Oldest, 7).get().data
        if not items:
            break
        print(int(items[-1]), flush=True)
        q.add([b"-1"])  # writes interleaved with the cursor updates
""")


def test_killed_consumer_never_rereads(qpath):
    total = 100_000
    with blocking.MpmcQueue(qpath, 3600) as q:
        q.add([b"%d" % i for i in range(total)])
    proc = subprocess.Popen([sys.executable, "-c", CONSUMER, qpath],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    lines = [proc.stdout.readline() for _ in range(500)]  # let it run a while
    os.kill(proc.pid, signal.SIGKILL)
    lines += proc.stdout.read().split()
    printed = [int(line) for line in lines]
    proc.wait()
    proc.stdout.close()
    last = [x for x in printed if x >= 0][-1]
    assert last < total - 1, "the consumer finished before it was killed"
    with blocking.MpmcQueue(qpath, 3600) as q:
        items, expired = q.next("c", StartPosition.Oldest, 1)
        assert not expired
        first = int(items[0])
        # Strictly after what was returned; at most the unprinted batch lost.
        assert last < first <= last + 8
