"""Runs a list of FIFO operations (JSON on stdin) against whatever `rocksq` this
interpreter imports -- ours or the reference 0.3.0 -- and prints one JSON result
per operation.  Uses only the API both share.

Input: {"path": str, "flavour": "blocking"|"nonblocking", "max_elements": int,
        "ops": [["push", [hex items]] | ["pop", n] | ["len"] | ["payload_size"]
                | ["reopen"]]}
Output: a JSON list; push -> "ok" or "full", pop -> [hex items], len and
payload_size -> int, reopen -> null.
"""

import gc
import json
import sys

from rocksq import blocking, nonblocking

spec = json.load(sys.stdin)
module = blocking if spec["flavour"] == "blocking" else nonblocking


def open_queue():
    return module.PersistentQueueWithCapacity(spec["path"], spec["max_elements"])


def is_full(error):
    # Ours: QueueFullError; the reference: RuntimeError("... Queue is full").
    return type(error).__name__ == "QueueFullError" or "full" in str(error).lower()


def run(q, op):
    kind = op[0]
    if kind == "push":
        try:
            pushed = q.push([bytes.fromhex(x) for x in op[1]])
            if module is nonblocking:
                pushed.get()
            return "ok"
        except RuntimeError as e:
            if is_full(e):
                return "full"
            raise
    if module is blocking:
        if kind == "pop":
            return [x.hex() for x in q.pop(op[1])]
        if kind == "len":
            return q.len
        return q.payload_size
    if kind == "pop":
        return [x.hex() for x in q.pop(op[1]).get().data]
    if kind == "len":
        return q.len.get().len
    return q.payload_size.get().size


q = open_queue()
results = []
for op in spec["ops"]:
    if op[0] == "reopen":
        if hasattr(q, "close"):
            q.close()
        del q  # the reference has no close(): dropping it releases the database
        gc.collect()
        q = open_queue()
        results.append(None)
    else:
        results.append(run(q, op))
json.dump(results, sys.stdout)
