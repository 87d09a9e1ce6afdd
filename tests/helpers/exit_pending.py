"""Exits the interpreter with operations still pending and Response objects
outliving their queue, in the way argv[2] names; argv[1] is a directory."""

import os
import sys
import threading

from rocksq import blocking, nonblocking

root, mode = sys.argv[1], sys.argv[2]
keep = []  # module globals: destroyed during interpreter shutdown
q = nonblocking.PersistentQueueWithCapacity(os.path.join(root, "q"), max_inflight_ops=64)
if mode == "pending":
    keep = [q.push([b"%d" % i]) for i in range(2000)]
elif mode == "responses-outlive-queue":
    keep = [q.push([b"%d" % i]) for i in range(2000)] + [q.len, q.pop(0)]
    del q
elif mode == "thread-waiting":
    # A daemon thread waits in get() and another for room, at exit.
    q.push([b"m" * (1 << 20)] * 32)
    r = q.pop(1)
    threading.Thread(target=r.get, daemon=True).start()
    threading.Thread(target=lambda: [q.push([b"%d" % i]) for i in range(5000)],
                     daemon=True).start()
elif mode == "blocking-open":
    b = blocking.PersistentQueueWithCapacity(os.path.join(root, "b"))
    b.push([b"x"])
    keep = [q.push([b"%d" % i]) for i in range(100)]
print("exiting", flush=True)
