"""Guarantee 8 for the MPMC log: a hypothesis state machine drives MpmcQueue
(add/next, committing or not/commit/labels/remove_label/len/payload_size/
close+reopen, either flavour
and another memory budget after each reopen, and pipelines of non-blocking
requests resolved in any order) against a pure-Python model (a long TTL:
nothing expires here; TTL has its own tests) and checks every result."""

import shutil
import tempfile

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from rocksq import StartPosition, blocking, nonblocking

from helpers.traces import MEMORY_BUDGETS

ITEM = st.binary(max_size=30) | st.integers(5 << 10, 55 << 10).map(lambda n: b"y" * n)
LABEL = st.sampled_from(["a", "b", "c", "ünï", ""])
POSITION = st.sampled_from([StartPosition.Oldest, StartPosition.Newest])
BUDGET = st.sampled_from(MEMORY_BUDGETS)
TTL = 3600
# A pipelined request: ("add", items), ("next", (label, start, n)) or ("len", None).
REQUEST = (st.tuples(st.just("add"), st.lists(ITEM, max_size=4))
           | st.tuples(st.just("next"), st.tuples(LABEL, POSITION, st.integers(0, 6)))
           | st.tuples(st.just("len"), st.none()))


class BlockingLog:
    def __init__(self, path, budget):
        self.q = blocking.MpmcQueue(path, TTL, memory_cache_bytes=budget)

    def add(self, items):
        self.q.add(items)

    def next(self, label, start, n, commit=True):
        return self.q.next(label, start, n, commit=commit)

    def commit(self, label):
        assert self.q.commit(label) is None

    def labels(self):
        return self.q.labels

    def remove_label(self, label):
        return self.q.remove_label(label)

    def len(self):
        return self.q.len

    def payload_size(self):
        return self.q.payload_size

    def close(self):
        self.q.close()


class NonblockingLog(BlockingLog):
    def __init__(self, path, budget):
        self.q = nonblocking.MpmcQueue(path, TTL, memory_cache_bytes=budget)

    def add(self, items):
        self.q.add(items).get()

    def next(self, label, start, n, commit=True):
        return self.q.next(label, start, n, commit=commit).get().data

    def commit(self, label):
        assert self.q.commit(label).get().data is None

    def labels(self):
        return self.q.labels.get().labels

    def remove_label(self, label):
        return self.q.remove_label(label).get().removed_label

    def len(self):
        return self.q.len.get().len

    def payload_size(self):
        return self.q.payload_size.get().size


FLAVOURS = st.sampled_from([BlockingLog, NonblockingLog])


class MpmcMachine(RuleBasedStateMachine):
    @initialize(flavour=FLAVOURS, budget=BUDGET)
    def open(self, flavour, budget):
        self.dir = tempfile.mkdtemp(prefix="rocksq-model-")
        self.path = self.dir + "/log"
        self.log = []  # every element added (nothing expires)
        self.cursors = {}  # label -> index of the next element it reads
        self.durable = {}  # label -> its cursor as last committed
        self.q = flavour(self.path, budget)

    def teardown(self):
        if hasattr(self, "q"):
            self.q.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(items=st.lists(ITEM, max_size=5))
    def add(self, items):
        self.q.add(items)
        self.log.extend(items)

    def expect_next(self, label, start, n):
        """What next(label, start, n) returns, as the model moves the cursor."""
        if label not in self.cursors:
            if start == StartPosition.Oldest:
                self.cursors[label] = 0
            else:  # the newest element held, or the next one added
                self.cursors[label] = max(len(self.log) - 1, 0)
        cursor = self.cursors[label]
        expected = self.log[cursor:cursor + n]
        self.cursors[label] = cursor + len(expected)
        return (expected, False)

    @rule(label=LABEL, start=POSITION, n=st.integers(0, 6), commit=st.booleans())
    def next(self, label, start, n, commit):
        expected = self.expect_next(label, start, n)
        if commit:
            self.durable[label] = self.cursors[label]
        assert self.q.next(label, start, n, commit) == expected

    @rule(label=LABEL)
    def commit(self, label):
        if label not in self.cursors:
            try:
                self.q.commit(label)
            except ValueError:
                return
            raise AssertionError("commit of an unknown label succeeded")
        self.q.commit(label)
        self.durable[label] = self.cursors[label]

    @rule(label=LABEL, start=POSITION, n=st.integers(0, 6))
    def peek(self, label, start, n):
        """What next would return after a reopen, without its effect."""
        cursors = self.cursors
        self.cursors = dict(self.durable)
        expected = self.expect_next(label, start, n)
        self.cursors = cursors
        peeked = self.q.q.peek(label, start, n)
        if isinstance(self.q, NonblockingLog):
            peeked = peeked.get().data
        assert peeked == expected

    @rule()
    def labels(self):
        assert sorted(self.q.labels()) == sorted(self.durable)

    @rule(label=LABEL)
    def remove_label(self, label):
        assert self.q.remove_label(label) == (label in self.cursors)
        self.cursors.pop(label, None)
        self.durable.pop(label, None)

    @rule()
    def sizes(self):
        assert self.q.len() == len(self.log)
        assert self.q.payload_size() == sum(map(len, self.log))

    @rule(flavour=FLAVOURS, budget=BUDGET)
    def reopen(self, flavour, budget):
        self.q.close()
        self.cursors = dict(self.durable)  # reads not committed are delivered again
        self.q = flavour(self.path, budget)

    @rule(requests=st.lists(REQUEST, min_size=2, max_size=5), data=st.data())
    def pipeline(self, requests, data):
        """Submitted together (one group commit in the non-blocking flavour),
        resolved in a drawn order; the model runs them in submission order."""
        if not isinstance(self.q, NonblockingLog):
            return
        q = self.q.q
        started = [q.add(arg) if kind == "add" else q.next(*arg) if kind == "next" else q.len
                   for kind, arg in requests]
        expected = []
        for kind, arg in requests:
            if kind == "add":
                self.log.extend(arg)
                expected.append(None)
            elif kind == "next":
                expected.append(self.expect_next(*arg))
                self.durable[arg[0]] = self.cursors[arg[0]]
            else:
                expected.append(len(self.log))
        for i in data.draw(st.permutations(range(len(requests)))):
            kind = requests[i][0]
            value = started[i].get()
            got = None if kind == "add" else value.data if kind == "next" else value.len
            assert got == expected[i], "request %d (%s)" % (i, kind)


MpmcMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestMpmcModel = MpmcMachine.TestCase
