"""Runs traces (see traces.py) against whichever rocksq this interpreter
imports, ours or the reference rocksq 0.3.0, using only the API both share
(plus keyword options given for ours).

Input (JSON on stdin): {"kind": "fifo" | "mpmc",
                        "traces": [{"path": str, "ops": [...], "options": {...},
                                    "probe": bool}, ...]}
Output (JSON on stdout): one {"results": [...], "probes": [...] | null} per
trace.  With "two_processes" (ours only), the queue is opened shared by this
process and a peer (this script with --peer), and the operations alternate
between them: even ones here (the owner), odd ones in the peer (a client).  A result is what the model of traces.py returns for the operation;
an operation that raised gives ["error", type name, message] (a push refused
for capacity gives "full").  With "probe", the state after every operation
(FIFO: len and payload_size; MPMC: also the labels) is read and reported.
"""

import gc
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rocksq import StartPosition, blocking, nonblocking  # noqa: E402

from traces import digest, make_item  # noqa: E402

TTL = 3600  # nothing expires during a trace


def is_full(error):
    # Ours: QueueFullError; the reference: RuntimeError("... Queue is full").
    return type(error).__name__ == "QueueFullError" or "full" in str(error).lower()


def error_result(error):
    return ["error", type(error).__name__, str(error)]


class Runner:
    def __init__(self, kind, path, options):
        self.kind = kind
        self.path = path
        self.options = options
        self.q = None
        self.nonblocking = False

    def open(self, op):
        self.close()
        self.nonblocking = op[1] == "nonblocking"
        module = nonblocking if self.nonblocking else blocking
        if self.kind == "fifo":
            self.q = module.PersistentQueueWithCapacity(self.path, op[2], **self.options)
        else:
            self.q = module.MpmcQueue(self.path, TTL, **self.options)

    def close(self):
        if self.q is None:
            return
        close = getattr(self.q, "close", None)
        if close is not None:
            close()
            self.q = None
        else:  # the reference: dropping its queue releases the database
            self.q = None
            gc.collect()

    # submit(op) starts an operation; resolve(kind, started) gives its result.
    # In the blocking flavour submit does the whole operation.
    def submit(self, op):
        q, kind = self.q, op[0]
        if kind == "push":
            return q.push([make_item(*spec) for spec in op[1]])
        if kind == "add":
            return q.add([make_item(*spec) for spec in op[1]])
        if kind == "pop":
            return q.pop(op[1])
        if kind == "next":
            position = StartPosition.Oldest if op[2] == "oldest" else StartPosition.Newest
            return q.next(op[1], position, op[3])
        if kind == "remove_label":
            return q.remove_label(op[1])
        if kind in ("len", "payload_size", "labels"):
            return getattr(q, kind)
        raise ValueError("unknown operation %r" % (kind,))

    def resolve(self, kind, started):
        value = started.get() if self.nonblocking else started
        if kind in ("push", "add"):
            return "ok" if kind == "push" else None
        if self.nonblocking:
            value = {"pop": lambda v: v.data, "next": lambda v: v.data,
                     "len": lambda v: v.len, "payload_size": lambda v: v.size,
                     "labels": lambda v: v.labels,
                     "remove_label": lambda v: v.removed_label}[kind](value)
        if kind == "pop":
            return [digest(x) for x in value]
        if kind == "next":
            items, expired = value
            return [[digest(x) for x in items], bool(expired)]
        if kind == "labels":
            return sorted(value)
        return value

    def guarded(self, kind, step):
        try:
            return step()
        except RuntimeError as e:
            if kind == "push" and is_full(e):
                return "full"
            return error_result(e)
        except Exception as e:  # noqa: BLE001 - reported to the comparison
            return error_result(e)

    def run(self, op):
        kind = op[0]
        if kind == "open":
            self.open(op)
            return None
        if kind == "pipeline":
            subops, order = op[1], op[2]
            started = [self.guarded(sub[0], lambda sub=sub: ("started", self.submit(sub)))
                       for sub in subops]
            results = [None] * len(subops)
            for i in order:
                if isinstance(started[i], tuple):
                    results[i] = self.guarded(
                        subops[i][0], lambda i=i: self.resolve(subops[i][0], started[i][1]))
                else:
                    results[i] = started[i]  # submitting it failed
            return results
        return self.guarded(kind, lambda: self.resolve(kind, self.submit(op)))

    def probe(self):
        kinds = ["len", "payload_size"] + (["labels"] if self.kind == "mpmc" else [])
        return [self.guarded(k, lambda k=k: self.resolve(k, self.submit([k]))) for k in kinds]


class Peer:
    """The other process of a two-process trace: a Runner in a child that
    runs what it is sent (JSON lines) and answers with the results."""

    def __init__(self, kind, path, options):
        import subprocess

        self.child = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--peer"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        self.call(["init", kind, path, options])

    def call(self, message):
        self.child.stdin.write(json.dumps(message) + "\n")
        self.child.stdin.flush()
        line = self.child.stdout.readline()
        if not line:
            raise RuntimeError("the peer process died")
        return json.loads(line)

    def close(self):
        self.child.stdin.close()
        self.child.wait(timeout=60)


def serve_as_peer():
    runner = None
    for line in sys.stdin:
        message = json.loads(line)
        if message[0] == "init":
            runner = Runner(*message[1:])
            answer = None
        elif message[0] == "close":
            runner.close()
            answer = None
        else:
            answer = runner.run(message[1])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    if runner is not None:
        runner.close()


def run_trace(kind, trace):
    options = trace.get("options", {})
    runner = Runner(kind, trace["path"], options)
    peer = Peer(kind, trace["path"], options) if trace.get("two_processes") else None
    results, probes = [], [] if trace.get("probe") else None
    try:
        for i, op in enumerate(trace["ops"]):
            if peer is not None and op[0] == "open":
                # This process opens first, so it owns the queue.
                peer.call(["close"])
                results.append(runner.run(op))
                peer.call(["run", op])
            elif peer is not None and i % 2 == 1:
                results.append(peer.call(["run", op]))
            else:
                results.append(runner.run(op))
            if probes is not None:
                probes.append(runner.probe())
    finally:
        if peer is not None:
            peer.close()
        runner.close()
    return {"results": results, "probes": probes}


def main():
    if sys.argv[1:] == ["--peer"]:
        serve_as_peer()
        return
    spec = json.load(sys.stdin)
    json.dump([run_trace(spec["kind"], t) for t in spec["traces"]], sys.stdout)


if __name__ == "__main__":
    main()
