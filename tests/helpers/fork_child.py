"""Forks with open queues (and an operation in flight) and reports, as JSON on
stdout, what the child saw; the parent then checks its queues still work.

argv: directory"""

import json
import os
import sys

import rocksq
from rocksq import blocking, nonblocking

root = sys.argv[1]
q = nonblocking.PersistentQueueWithCapacity(os.path.join(root, "nb"))
b = blocking.PersistentQueueWithCapacity(os.path.join(root, "b"))
m = nonblocking.MpmcQueue(os.path.join(root, "log"), 3600)
bm = blocking.MpmcQueue(os.path.join(root, "blog"), 3600)
m.add([b"e"]).get()
q.push([b"a", b"b"]).get()
b.push([b"x", b"y"])
big = q.push([b"m" * (1 << 20)] * 64)  # likely still being written at fork()
pending = q.pop(1)
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(read)
    seen = {}

    def attempt(name, call):
        try:
            call()
            seen[name] = "no error"
        except rocksq.QueueClosedError as e:
            seen[name] = "QueueClosedError: " + str(e)
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            seen[name] = f"{type(e).__name__}: {e}"

    attempt("push", lambda: q.push([b"c"]))
    attempt("pop", lambda: q.pop())
    attempt("len", lambda: q.len)
    attempt("payload_size", lambda: q.payload_size)
    attempt("blocking push", lambda: b.push([b"z"]))
    attempt("blocking pop", lambda: b.pop())
    attempt("blocking len", lambda: b.len)
    attempt("mpmc next", lambda: m.next("r", rocksq.StartPosition.Oldest))
    attempt("mpmc add", lambda: m.add([b"f"]))
    attempt("blocking mpmc add", lambda: bm.add([b"f"]))
    attempt("blocking mpmc labels", lambda: bm.labels)
    if not pending.is_ready:
        attempt("pending get", lambda: pending.get())
    # A queue opened in the child works.
    with nonblocking.PersistentQueueWithCapacity(os.path.join(root, "child")) as c:
        c.push([b"child"]).get()
        seen["child queue"] = c.pop().get().data[0].decode()
    q.close()  # no-op in the child: the parent owns the database
    b.close()
    m.close()
    bm.close()
    del q, b, m, bm, big, pending
    os.write(write, json.dumps(seen).encode())
    os.close(write)
    sys.exit(7)  # a normal exit (static destructors and all), with a status
os.close(write)
with os.fdopen(read) as f:
    seen = json.loads(f.read())
_, status = os.waitpid(pid, 0)
big.get()
result = {
    "child": seen,
    "child_exit": os.waitstatus_to_exitcode(status),
    "parent_pending": pending.get().data == [b"a"],
    "parent_pop": [x.decode() for x in q.pop(1).get().data],
    "parent_blocking_pop": [x.decode() for x in b.pop(2)],
    "parent_len": q.len.get().len,
    "parent_mpmc": [x.decode() for x in m.next("r", rocksq.StartPosition.Oldest, 5).get().data[0]],
    "parent_blocking_mpmc_len": (bm.add([b"g"]), bm.len)[1],
}
m.close()
bm.close()
q.close()
b.close()
print(json.dumps(result))
