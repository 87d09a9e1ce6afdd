"""Guarantee 8 for the MPMC log: a hypothesis state machine drives MpmcQueue
(add/next/labels/remove_label/len/payload_size/close+reopen, either flavour)
against a pure-Python model (a long TTL: nothing expires here; TTL has its own
tests) and checks every result."""

import shutil
import tempfile

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from rocksq import StartPosition, blocking, nonblocking

ITEM = st.binary(max_size=30)
LABEL = st.sampled_from(["a", "b", "c", "ünï", ""])
TTL = 3600


class BlockingLog:
    def __init__(self, path):
        self.q = blocking.MpmcQueue(path, TTL)

    def add(self, items):
        self.q.add(items)

    def next(self, label, start, n):
        return self.q.next(label, start, n)

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
    def __init__(self, path):
        self.q = nonblocking.MpmcQueue(path, TTL)

    def add(self, items):
        self.q.add(items).get()

    def next(self, label, start, n):
        return self.q.next(label, start, n).get().data

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
    @initialize(flavour=FLAVOURS)
    def open(self, flavour):
        self.dir = tempfile.mkdtemp(prefix="rocksq-model-")
        self.path = self.dir + "/log"
        self.log = []  # every element added (nothing expires)
        self.cursors = {}  # label -> index of the next element it reads
        self.q = flavour(self.path)

    def teardown(self):
        if hasattr(self, "q"):
            self.q.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(items=st.lists(ITEM, max_size=5))
    def add(self, items):
        self.q.add(items)
        self.log.extend(items)

    @rule(label=LABEL, start=st.sampled_from([StartPosition.Oldest, StartPosition.Newest]),
          n=st.integers(0, 6))
    def next(self, label, start, n):
        if label not in self.cursors:
            if start == StartPosition.Oldest:
                self.cursors[label] = 0
            else:  # the newest element held, or the next one added
                self.cursors[label] = max(len(self.log) - 1, 0)
        cursor = self.cursors[label]
        expected = self.log[cursor:cursor + n]
        self.cursors[label] = cursor + len(expected)
        assert self.q.next(label, start, n) == (expected, False)

    @rule()
    def labels(self):
        assert sorted(self.q.labels()) == sorted(self.cursors)

    @rule(label=LABEL)
    def remove_label(self, label):
        assert self.q.remove_label(label) == (label in self.cursors)
        self.cursors.pop(label, None)

    @rule()
    def sizes(self):
        assert self.q.len() == len(self.log)
        assert self.q.payload_size() == sum(map(len, self.log))

    @rule(flavour=FLAVOURS)
    def reopen(self, flavour):
        self.q.close()
        self.q = flavour(self.path)


MpmcMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestMpmcModel = MpmcMachine.TestCase
