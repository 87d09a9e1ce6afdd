"""atheris target: rocksq's Python API called with arbitrary arguments.

Each input is a sequence of calls (constructors, every method and property of
both queue kinds in both flavours, remove_queue, Response.get) whose
arguments are arbitrary objects: ints of any size, floats (NaN, inf), str
(with NUL bytes, surrogates), bytes, bytearray, memoryview, lists and tuples
of those, None, bool, StartPosition.  A call may only succeed or raise
TypeError, ValueError, OverflowError or a rocksq.RocksqError; anything else
(or a crash) is a bug.  Waits are bounded: a timeout of None or above 10 ms
becomes 10 ms.  Paths stay inside a scratch directory.

    .venv/bin/python fuzz/python_api.py -max_total_time=60 fuzz/corpus/python_api
"""

import math
import os
import shutil
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import rocksq
    from rocksq import blocking, nonblocking

ALLOWED = (TypeError, ValueError, OverflowError, rocksq.RocksqError)
# Exists only while an input runs: libFuzzer ends the process without
# running Python's exit handlers.
SCRATCH = os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
                       "rocksq-atheris-%d" % os.getpid())


def value(fdp, depth=0):
    """An arbitrary argument."""
    kind = fdp.ConsumeIntInRange(0, 13 if depth == 0 else 10)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-3, 70)
    if kind == 3:
        return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 12))  # up to 2**96
    if kind == 4:
        return fdp.PickValueInList([math.nan, math.inf, -math.inf, -0.0, 1e300, 0.001, 2.5])
    if kind == 5:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 20))
    if kind == 6:
        return fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 20))  # may hold surrogates
    if kind == 7:
        return fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300))
    if kind == 8:
        return bytearray(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 50)))
    if kind == 9:
        return memoryview(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 50)))
    if kind == 10:
        return fdp.PickValueInList([rocksq.StartPosition.Oldest, rocksq.StartPosition.Newest])
    if kind == 11:
        return [value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 5))]
    if kind == 12:
        return tuple(value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 5)))
    return [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 100))
            for _ in range(fdp.ConsumeIntInRange(0, 8))]  # good items, often


def path(fdp):
    if fdp.ConsumeBool():
        return os.path.join(SCRATCH, "q%d" % fdp.ConsumeIntInRange(0, 3))
    name = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 12)).replace("/", "_")
    return name if name.startswith("\0") else os.path.join(SCRATCH, "x" + name)


def bounded(timeout):
    """A timeout that cannot block for long (the others raise at once):
    None (wait forever, as documented) and positive numbers become 10 ms."""
    if timeout is None:
        return 0.01
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        if timeout > 0:
            return min(timeout, 0.01)
    return timeout


CONSTRUCTORS = [
    lambda fdp: blocking.PersistentQueueWithCapacity(path(fdp), value(fdp)),
    lambda fdp: nonblocking.PersistentQueueWithCapacity(path(fdp), value(fdp), value(fdp)),
    lambda fdp: blocking.MpmcQueue(path(fdp), value(fdp)),
    lambda fdp: nonblocking.MpmcQueue(path(fdp), value(fdp), value(fdp)),
    lambda fdp: blocking.PersistentQueueWithCapacity(
        path(fdp), durable=value(fdp), memory_cache_bytes=value(fdp)),
    lambda fdp: blocking.MpmcQueue(path(fdp), 60, memory_cache_bytes=value(fdp)),
]

METHODS = {
    "push": lambda q, fdp: q.push(value(fdp), value(fdp)),
    "add": lambda q, fdp: q.add(value(fdp)),
    "pop": lambda q, fdp: q.pop(value(fdp), value(fdp), bounded(value(fdp))),
    "peek": lambda q, fdp: q.peek(value(fdp)) if not hasattr(q, "next")
    else q.peek(value(fdp), value(fdp), value(fdp)),
    "next": lambda q, fdp: q.next(value(fdp), value(fdp), value(fdp), value(fdp),
                                  bounded(value(fdp)), value(fdp)),
    "reserve": lambda q, fdp: q.reserve(value(fdp), value(fdp), value(fdp),
                                        bounded(value(fdp))),
    "ack": lambda q, fdp: q.ack(value(fdp)),
    "release": lambda q, fdp: q.release(value(fdp)),
    "reserved": lambda q, fdp: q.reserved,
    "commit": lambda q, fdp: q.commit(value(fdp)),
    "remove_label": lambda q, fdp: q.remove_label(value(fdp)),
    "len": lambda q, fdp: q.len,
    "payload_size": lambda q, fdp: q.payload_size,
    "disk_size": lambda q, fdp: q.disk_size,
    "labels": lambda q, fdp: q.labels,
    "inflight_ops": lambda q, fdp: q.inflight_ops,
    "close": lambda q, fdp: q.close(),
}
NAMES = sorted(METHODS)


def resolve(result, fdp):
    """Gets a Response, as a caller would (bounded)."""
    get = getattr(result, "get", None)
    if get is None:
        return
    try:
        get(bounded(value(fdp)) if fdp.ConsumeBool() else None)
    except ALLOWED:
        pass
    except TimeoutError:
        pass


def test_one_input(data):
    fdp = atheris.FuzzedDataProvider(data)
    os.makedirs(SCRATCH, exist_ok=True)
    queues = []
    try:
        for _ in range(fdp.ConsumeIntInRange(1, 12)):
            action = fdp.ConsumeIntInRange(0, 9)
            try:
                if action == 0 or not queues:
                    queues.append(fdp.PickValueInList(CONSTRUCTORS)(fdp))
                elif action == 1:
                    fdp.PickValueInList([rocksq.remove_queue, rocksq.remove_mpmc_queue])(path(fdp))
                else:
                    q = fdp.PickValueInList(queues)
                    name = fdp.PickValueInList(NAMES)
                    if not hasattr(q, name) and fdp.ConsumeBool():
                        continue
                    resolve(METHODS[name](q, fdp), fdp)
            except AttributeError as e:
                if "object has no attribute" not in str(e):
                    raise
            except ALLOWED:
                pass
    finally:
        for q in queues:
            try:
                q.close()
            except ALLOWED:
                pass
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    atheris.instrument_all()  # the harness too: its branches are the API's paths
    atheris.Setup(sys.argv, test_one_input)
    try:
        atheris.Fuzz()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
