"""Guarantee 8, property-based: a hypothesis state machine drives the FIFO
queue (push/pop/len/payload_size/close+reopen, either flavour, another
max_elements and memory budget after each reopen, and pipelines: several
non-blocking requests submitted together and resolved in any order) against
a pure-Python model and checks every result."""

import shutil
import tempfile
from collections import deque

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

import rocksq

from helpers.fifo import Blocking, Nonblocking
from helpers.traces import MEMORY_BUDGETS

ITEM = (st.binary(max_size=40) | st.sampled_from([b"", b"\x00", b"x" * 3000])
        | st.integers(5 << 10, 55 << 10).map(lambda n: b"y" * n))
FLAVOUR = st.sampled_from([Blocking, Nonblocking])
MAX_ELEMENTS = st.integers(1, 12)
BUDGET = st.sampled_from(MEMORY_BUDGETS)
# A pipelined request: ("push", items), ("pop", n) or ("len", None).
REQUEST = (st.tuples(st.just("push"), st.lists(ITEM, max_size=4))
           | st.tuples(st.just("pop"), st.integers(0, 6)) | st.tuples(st.just("len"), st.none()))


class FifoMachine(RuleBasedStateMachine):
    @initialize(max_elements=MAX_ELEMENTS, flavour=FLAVOUR, budget=BUDGET)
    def open(self, max_elements, flavour, budget):
        self.dir = tempfile.mkdtemp(prefix="rocksq-model-")
        self.path = self.dir + "/q"
        self.max_elements = max_elements
        self.model = deque()
        self.q = flavour(self.path, max_elements, memory_cache_bytes=budget)

    def teardown(self):
        if hasattr(self, "q"):
            self.q.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(items=st.lists(ITEM, max_size=6) | st.tuples(ITEM, ITEM))
    def push(self, items):
        if items and len(self.model) + len(items) > self.max_elements:
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

    @rule(n=st.integers(0, 8))
    def peek(self, n):
        peeked = self.q.q.peek(n)
        if isinstance(self.q, Nonblocking):
            peeked = peeked.get().data
        assert peeked == list(self.model)[:n]

    @rule()
    def check_len(self):
        assert self.q.len() == len(self.model)

    @rule()
    def check_payload_size(self):
        assert self.q.payload_size() == sum(map(len, self.model))

    @precondition(lambda self: hasattr(self, "q"))
    @rule(flavour=FLAVOUR, max_elements=MAX_ELEMENTS, budget=BUDGET)
    def reopen(self, flavour, max_elements, budget):
        self.q.close()
        self.max_elements = max_elements  # may be below what the queue holds
        self.q = flavour(self.path, max_elements, memory_cache_bytes=budget)

    @rule(requests=st.lists(REQUEST, min_size=2, max_size=5), data=st.data())
    def pipeline(self, requests, data):
        """Submitted together (one group commit in the non-blocking flavour),
        resolved in a drawn order; the model runs them in submission order."""
        if not isinstance(self.q, Nonblocking):
            return
        q = self.q.q
        started = [q.push(arg) if kind == "push" else q.pop(arg) if kind == "pop" else q.len
                   for kind, arg in requests]
        expected = []
        for kind, arg in requests:
            if kind == "push":
                fits = not arg or len(self.model) + len(arg) <= self.max_elements
                if fits:
                    self.model.extend(bytes(x) for x in arg)
                expected.append("ok" if fits else "full")
            elif kind == "pop":
                expected.append([self.model.popleft() for _ in range(min(arg, len(self.model)))])
            else:
                expected.append(len(self.model))
        for i in data.draw(st.permutations(range(len(requests)))):
            kind = requests[i][0]
            try:
                value = started[i].get()
            except rocksq.QueueFullError:
                assert expected[i] == "full", "request %d (%s) was refused" % (i, kind)
                continue
            got = "ok" if kind == "push" else value.data if kind == "pop" else value.len
            assert got == expected[i], "request %d (%s)" % (i, kind)


FifoMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestFifoModel = FifoMachine.TestCase
