"""Guarantee 8, property-based: a hypothesis state machine drives the FIFO
queue (push/pop/len/payload_size/close+reopen, either flavour after each
reopen) against a pure-Python model and checks every result."""

import shutil
import tempfile
from collections import deque

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import rocksq

from helpers.fifo import Blocking, Nonblocking

ITEM = st.binary(max_size=40) | st.sampled_from([b"", b"\x00", b"x" * 3000])


class FifoMachine(RuleBasedStateMachine):
    @initialize(max_elements=st.integers(1, 12), flavour=st.sampled_from([Blocking, Nonblocking]))
    def open(self, max_elements, flavour):
        self.dir = tempfile.mkdtemp(prefix="rocksq-model-")
        self.path = self.dir + "/q"
        self.max_elements = max_elements
        self.model = deque()
        self.q = flavour(self.path, max_elements)

    def teardown(self):
        if hasattr(self, "q"):
            self.q.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(items=st.lists(ITEM, max_size=6) | st.tuples(ITEM, ITEM))
    def push(self, items):
        if len(self.model) + len(items) > self.max_elements:
            try:
                self.q.push(items)
            except rocksq.QueueFullError:
                return
            raise AssertionError("an over-capacity push was accepted")
        self.q.push(items)
        self.model.extend(bytes(x) for x in items)

    @rule(n=st.integers(0, 8))
    def pop(self, n):
        expected = [self.model.popleft() for _ in range(min(n, len(self.model)))]
        assert self.q.pop(n) == expected

    @rule()
    def check_len(self):
        assert self.q.len() == len(self.model)

    @rule()
    def check_payload_size(self):
        assert self.q.payload_size() == sum(map(len, self.model))

    @precondition(lambda self: hasattr(self, "q"))
    @rule(flavour=st.sampled_from([Blocking, Nonblocking]))
    def reopen(self, flavour):
        self.q.close()
        self.q = flavour(self.path, self.max_elements)

    @invariant()
    def never_over_capacity(self):
        if hasattr(self, "q"):
            assert len(self.model) <= self.max_elements


FifoMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestFifoModel = FifoMachine.TestCase
