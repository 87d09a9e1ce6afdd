"""Long random operation traces for both queue kinds, and pure-Python models
that give the result every operation must have.

A trace is a JSON-able list of operations; tests/helpers/trace_driver.py runs
it against whichever rocksq an interpreter imports (ours, or the reference
rocksq 0.3.0), and the model below predicts each result.  The traces mix what
has hidden bugs before: both flavours on one queue (each "open" picks one),
reopening with another max_elements (nothing left in memory, the head segment
partly consumed), empty pushes and empty items, repeated items, items of a
few bytes beside items of 5-55 KiB (on both sides of a small memory budget),
and pipelines: several requests submitted together (one group commit in the
non-blocking flavour) and resolved in another order.

Items travel as [key, size] pairs (see make_item) and results name items by
digest, so that traces of 55 KiB items stay small.  This module imports no
rocksq: the reference's interpreter runs it too.
"""

import hashlib
from collections import deque

FLAVOURS = ("blocking", "nonblocking")
LABELS = ("a", "b", "c", "", "\u00e9t\u00e9")
# Budgets for our queues' memory cache: from "everything fits" to "nothing
# does" (the reference has no such option).
MEMORY_BUDGETS = (16 << 20, 64 << 10, 0)


def make_item(key, size):
    """The item named [key, size]: size bytes that depend on key."""
    if size == 0:
        return b""
    unit = b"%d," % key
    return (unit * (size // len(unit) + 1))[:size]


def digest(item):
    """How results name an item: its size and a hash of its bytes."""
    return "%d:%s" % (len(item), hashlib.blake2b(item, digest_size=6).hexdigest())


def random_items(rng, next_key):
    """A batch: sometimes empty, with empty, repeated, small and large items."""
    count = rng.choice([0, 1, 1, 1, 2, 3, 5, 8, 13])
    items = []
    for _ in range(count):
        if items and rng.random() < 0.1:
            items.append(rng.choice(items))  # the same item again
            continue
        r = rng.random()
        if r < 0.1:
            size = 0
        elif r < 0.7:
            size = rng.randint(1, 100)
        elif r < 0.88:
            size = rng.randint(1000, 5000)
        else:
            size = rng.randint(5 << 10, 55 << 10)
        items.append([next_key(), size])
    return items


class _Keys:
    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 1
        return self.n


def fifo_trace(rng, count):
    """A FIFO trace of count operations (plus a final drain)."""
    keys = _Keys()

    def open_op():
        return ["open", rng.choice(FLAVOURS), rng.choice([3, 5, 20, 100, 1000, 10**6])]

    def simple_op():
        kind = rng.choices(["push", "pop", "len", "payload_size"], weights=[45, 35, 12, 8])[0]
        if kind == "push":
            return ["push", random_items(rng, keys)]
        if kind == "pop":
            # pop(0) is not generated: the reference pops everything for it.
            return ["pop", rng.choice([1, 1, 2, 3, 7, 20, 100])]
        return [kind]

    ops = [open_op()]
    for _ in range(count):
        r = rng.random()
        if r < 0.04:
            ops.append(open_op())
        elif r < 0.07:
            ops.append(["push", []])
        elif r < 0.2:
            subops = [simple_op() for _ in range(rng.randint(2, 5))]
            order = list(range(len(subops)))
            rng.shuffle(order)
            ops.append(["pipeline", subops, order])
        else:
            ops.append(simple_op())
    ops.append(["pop", 10**6])
    ops.append(["len"])
    return ops


def mpmc_trace(rng, count):
    """An MPMC trace of count operations; nothing expires (a long TTL)."""
    keys = _Keys()
    written = [False]

    def simple_op():
        kind = rng.choices(["add", "next", "labels", "remove_label", "len"],
                           weights=[30, 45, 7, 6, 12])[0]
        if kind == "add":
            items = random_items(rng, keys)
            written[0] = written[0] or bool(items)
            return ["add", items]
        if kind == "next":
            return ["next", rng.choice(LABELS), rng.choice(["oldest", "newest"]),
                    rng.choice([0, 1, 1, 2, 3, 5, 100])]
        if kind == "remove_label":
            return ["remove_label", rng.choice(LABELS)]
        return [kind]

    ops = [["open", rng.choice(FLAVOURS)]]
    for _ in range(count):
        r = rng.random()
        if r < 0.04 and written[0]:
            # Only once written: the reference hangs reading a label after
            # reopening a log that was never written to.
            ops.append(["open", rng.choice(FLAVOURS)])
        elif r < 0.17:
            subops = [simple_op() for _ in range(rng.randint(2, 5))]
            order = list(range(len(subops)))
            rng.shuffle(order)
            ops.append(["pipeline", subops, order])
        else:
            ops.append(simple_op())
    return ops


class FifoModel:
    """What each FIFO operation returns."""

    def __init__(self):
        self.items = deque()
        self.max_elements = None
        self.flavour = None

    def run(self, op):
        kind = op[0]
        if kind == "open":
            self.flavour, self.max_elements = op[1], op[2]
            return None
        if kind == "pipeline":
            return [self.run(sub) for sub in op[1]]
        if kind == "push":
            # Nothing is over capacity, even in a queue reopened with a smaller
            # max_elements than it holds.
            if op[1] and len(self.items) + len(op[1]) > self.max_elements:
                return "full"
            self.items.extend(make_item(*spec) for spec in op[1])
            return "ok"
        if kind == "pop":
            return [digest(self.items.popleft()) for _ in range(min(op[1], len(self.items)))]
        if kind == "len":
            return len(self.items)
        if kind == "payload_size":
            return sum(map(len, self.items))
        raise ValueError("unknown operation %r" % (kind,))

    def probe(self):
        """The state the driver reports after each operation: len, payload_size."""
        return [len(self.items), sum(map(len, self.items))]


class MpmcModel:
    """What each MPMC operation returns (nothing expires)."""

    def __init__(self):
        self.log = []
        self.cursors = {}
        self.flavour = None

    def run(self, op):
        kind = op[0]
        if kind == "open":
            self.flavour = op[1]
            return None
        if kind == "pipeline":
            return [self.run(sub) for sub in op[1]]
        if kind == "add":
            self.log.extend(make_item(*spec) for spec in op[1])
            return None
        if kind == "next":
            label, start, n = op[1], op[2], op[3]
            if label not in self.cursors:
                # Newest: the newest element held, or the next one added.
                self.cursors[label] = 0 if start == "oldest" else max(len(self.log) - 1, 0)
            cursor = self.cursors[label]
            read = self.log[cursor:cursor + n]
            self.cursors[label] = cursor + len(read)
            return [[digest(x) for x in read], False]
        if kind == "labels":
            return sorted(self.cursors)
        if kind == "remove_label":
            return self.cursors.pop(op[1], None) is not None
        if kind == "len":
            return len(self.log)
        raise ValueError("unknown operation %r" % (kind,))

    def probe(self):
        """The state the driver reports after each operation: len, payload_size, labels."""
        return [len(self.log), sum(map(len, self.log)), sorted(self.cursors)]


MODELS = {"fifo": FifoModel, "mpmc": MpmcModel}
TRACES = {"fifo": fifo_trace, "mpmc": mpmc_trace}


def reference_excused(kind, flavour, op, expected, got):
    """True where rocksq 0.3.0 is known to differ from what its documentation
    promises: its non-blocking push over capacity reports success and drops
    the items (ours raises QueueFullError; both store nothing, which later
    results check)."""
    return (kind == "fifo" and flavour == "nonblocking" and op[0] == "push"
            and expected == "full" and got == "ok")


def compare(kind, trace, got, model, probes=None, reference=False):
    """Checks results (and probes, if given) operation by operation against
    a fresh model; returns None or a message naming the first difference."""
    if len(got) != len(trace):
        return "%d results for %d operations" % (len(got), len(trace))
    for i, op in enumerate(trace):
        expected = model.run(op)
        result = got[i]
        if op[0] == "pipeline":
            for j, sub in enumerate(op[1]):
                if result[j] != expected[j] and not (
                        reference and reference_excused(kind, model.flavour, sub, expected[j],
                                                        result[j])):
                    return "operation %d (pipeline part %d: %r, flavour %s): got %r, expected %r" % (
                        i, j, sub[0], model.flavour, result[j], expected[j])
        elif result != expected and not (
                reference and reference_excused(kind, model.flavour, op, expected, result)):
            return "operation %d (%r, flavour %s): got %r, expected %r" % (
                i, op[0], model.flavour, result, expected)
        if probes is not None and probes[i] != model.probe():
            return "after operation %d (%r, flavour %s): state %r, expected %r" % (
                i, op[0], model.flavour, probes[i], model.probe())
    return None


def make_traces(kind, directory, seeds, count, ours, two_processes=False):
    """The trace of each seed, on a queue under directory; ours with a
    random memory budget and the state probed after every operation (and,
    with two_processes, shared by two processes that take turns)."""
    import random

    out = []
    for seed in seeds:
        rng = random.Random(seed)
        trace = {"path": "%s/q%d" % (directory, seed), "ops": TRACES[kind](rng, count)}
        if ours:
            trace.update(probe=True, options={"memory_cache_bytes": rng.choice(MEMORY_BUDGETS)})
        if two_processes:
            trace["options"]["shared"] = True
            trace["two_processes"] = True
        out.append(trace)
    return out


def check_traces(kind, python, directory, seeds, count, ours, two_processes=False):
    """Runs the traces of seeds under python and returns a list of
    "seed N: first difference from the model" messages (empty: all agree)."""
    runs = make_traces(kind, directory, seeds, count, ours, two_processes)
    outputs = run_driver(python, kind, runs)
    problems = []
    for seed, run, out in zip(seeds, runs, outputs):
        problem = compare(kind, run["ops"], out["results"], MODELS[kind](), out["probes"],
                          reference=not ours)
        if problem is not None:
            problems.append("seed %d: %s" % (seed, problem))
    return problems


def ingredients(kind, runs):
    """How often the traces hold each thing that hid a bug before (counts),
    so that a test can require every one of them."""
    seen = {"reopen": 0, "flavour switch": 0, "empty batch": 0, "empty item": 0,
            "big item": 0, "out-of-order non-blocking pipeline": 0}
    if kind == "fifo":
        seen.update({"reopen with another max_elements": 0, "refused push": 0})
    for run in runs:
        model, last_open = MODELS[kind](), None
        for op in run["ops"]:
            result = model.run(op)
            if op[0] == "open":
                if last_open:
                    seen["reopen"] += 1
                    seen["flavour switch"] += last_open[1] != op[1]
                    if kind == "fifo":
                        seen["reopen with another max_elements"] += last_open[2] != op[2]
                last_open = op
                continue
            pipeline = op[0] == "pipeline"
            if pipeline and model.flavour == "nonblocking" and op[2] != sorted(op[2]):
                seen["out-of-order non-blocking pipeline"] += 1
            for sub, res in zip(op[1] if pipeline else [op], result if pipeline else [result]):
                if sub[0] in ("push", "add"):
                    seen["empty batch"] += not sub[1]
                    seen["empty item"] += any(size == 0 for _, size in sub[1])
                    seen["big item"] += any(size >= 5 << 10 for _, size in sub[1])
                if kind == "fifo":
                    seen["refused push"] += res == "full"
    return seen


def run_driver(python, kind, traces, timeout=1800):
    """Runs traces with trace_driver.py under python; returns its output."""
    import json
    import os
    import subprocess

    driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trace_driver.py")
    done = subprocess.run([python, driver], input=json.dumps({"kind": kind, "traces": traces}),
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError("%s failed (exit %d): %s" % (driver, done.returncode,
                                                          done.stderr[-3000:]))
    return json.loads(done.stdout)
