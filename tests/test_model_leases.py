"""Leases, property-based: a hypothesis state machine drives reserve, ack,
release, pop, peek, push, len, reserved and close+reopen (either flavour)
against a pure-Python model.  The model: every item keeps the place it was
pushed at; pop, peek and reserve see the unreserved items in that order; a
released item goes back to its place; a reopen releases every lease; an
item's delivery count survives reopens."""

import shutil
import tempfile

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, rule

import rocksq

from helpers.fifo import Blocking, Nonblocking
from helpers.traces import MEMORY_BUDGETS

ITEM = st.binary(max_size=20) | st.integers(5 << 10, 40 << 10).map(lambda n: b"y" * n)
FLAVOUR = st.sampled_from([Blocking, Nonblocking])


class LeaseMachine(RuleBasedStateMachine):
    leases = Bundle("leases")

    @initialize(flavour=FLAVOUR, budget=st.sampled_from(MEMORY_BUDGETS))
    def open(self, flavour, budget):
        self.dir = tempfile.mkdtemp(prefix="rocksq-leases-")
        self.path = self.dir + "/q"
        self.max_elements = 15
        self.pushed = 0
        self.available = {}  # place -> [item, deliveries]
        self.leased = {}     # lease -> {place: [item, deliveries]}
        self.q = flavour(self.path, self.max_elements, memory_cache_bytes=budget)

    def teardown(self):
        if hasattr(self, "q"):
            self.q.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def held(self):
        return len(self.available) + sum(map(len, self.leased.values()))

    def take(self, n):
        places = sorted(self.available)[:n]
        return {p: self.available.pop(p) for p in places}

    @rule(items=st.lists(ITEM, max_size=5))
    def push(self, items):
        if items and self.held() + len(items) > self.max_elements:
            try:
                self.q.push(items)
            except rocksq.QueueFullError:
                return
            raise AssertionError("an over-capacity push was accepted")
        self.q.push(items)
        for item in items:
            self.available[self.pushed] = [item, 0]
            self.pushed += 1

    @rule(target=leases, n=st.integers(0, 6))
    def reserve(self, n):
        items, lease, deliveries = self.q.reserve(n)
        taken = self.take(n)
        assert items == [item for item, _ in (taken[p] for p in sorted(taken))]
        if not taken:
            assert (lease, deliveries) == (None, 0)
            return -1
        for entry in taken.values():
            entry[1] += 1
        assert deliveries == max(d for _, d in taken.values())
        assert lease not in self.leased
        self.leased[lease] = taken
        return lease

    @rule(lease=leases)
    def ack(self, lease):
        if lease not in self.leased:
            try:
                self.q.ack(max(lease, 0))
            except rocksq.LeaseError:
                return
            raise AssertionError("ack of a lease not open succeeded")
        self.q.ack(lease)
        del self.leased[lease]

    @rule(lease=leases)
    def release(self, lease):
        if lease not in self.leased:
            try:
                self.q.release(max(lease, 0))
            except rocksq.LeaseError:
                return
            raise AssertionError("release of a lease not open succeeded")
        self.q.release(lease)
        self.available.update(self.leased.pop(lease))

    @rule(n=st.integers(0, 6))
    def pop(self, n):
        taken = self.take(n)
        assert self.q.pop(n) == [taken[p][0] for p in sorted(taken)]

    @rule(n=st.integers(0, 6))
    def peek(self, n):
        assert self.q.peek(n) == [self.available[p][0] for p in sorted(self.available)[:n]]

    @rule()
    def counts(self):
        assert self.q.len() == self.held()
        assert self.q.reserved() == self.held() - len(self.available)
        assert self.q.payload_size() == sum(
            len(item) for entries in [self.available, *self.leased.values()]
            for item, _ in entries.values())

    @rule(flavour=FLAVOUR, budget=st.sampled_from(MEMORY_BUDGETS))
    def reopen(self, flavour, budget):
        self.q.close()
        for taken in self.leased.values():
            self.available.update(taken)
        self.leased.clear()
        self.q = flavour(self.path, self.max_elements, memory_cache_bytes=budget)


LeaseMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestLeaseModel = LeaseMachine.TestCase
