"""One face for both FIFO flavours, so that a test runs against each."""

import os
import subprocess
import sys
import time

from rocksq import blocking, nonblocking

HELPERS = os.path.dirname(os.path.abspath(__file__))


class Blocking:
    """rocksq.blocking.PersistentQueueWithCapacity as is."""

    name = "blocking"

    def __init__(self, path, max_elements=1_000_000_000, **kwargs):
        kwargs.pop("max_inflight_ops", None)
        self.q = blocking.PersistentQueueWithCapacity(path, max_elements, **kwargs)

    def push(self, items, **kw):
        self.q.push(items, **kw)

    def pop(self, n=1, **kw):
        return self.q.pop(n, **kw)

    def len(self):
        return self.q.len

    def payload_size(self):
        return self.q.payload_size

    def peek(self, n=1):
        return self.q.peek(n)

    def reserve(self, n=1, lease_seconds=3600.0, **kw):
        """(items, lease, deliveries)"""
        r = self.q.reserve(n, lease_seconds, **kw)
        return r.data, r.lease, r.deliveries

    def ack(self, lease):
        assert self.q.ack(lease) is None

    def release(self, lease):
        assert self.q.release(lease) is None

    def reserved(self):
        return self.q.reserved

    def disk_size(self):
        return self.q.disk_size

    def close(self):
        self.q.close()


class Nonblocking:
    """rocksq.nonblocking.PersistentQueueWithCapacity, each call awaited."""

    name = "nonblocking"

    def __init__(self, path, max_elements=1_000_000_000, **kwargs):
        self.q = nonblocking.PersistentQueueWithCapacity(path, max_elements, **kwargs)

    def push(self, items, **kw):
        assert self.q.push(items, **kw).get().data is None

    def pop(self, n=1, **kw):
        return self.q.pop(n, **kw).get().data

    def len(self):
        return self.q.len.get().len

    def payload_size(self):
        return self.q.payload_size.get().size

    def peek(self, n=1):
        return self.q.peek(n).get().data

    def reserve(self, n=1, lease_seconds=3600.0, **kw):
        v = self.q.reserve(n, lease_seconds, **kw).get()
        assert v.len is None and v.size is None
        return v.data, v.lease, v.deliveries

    def ack(self, lease):
        assert self.q.ack(lease).get().data is None

    def release(self, lease):
        assert self.q.release(lease).get().data is None

    def reserved(self):
        return self.q.reserved.get().len

    def disk_size(self):
        return self.q.disk_size.get().size

    def close(self):
        self.q.close()


FLAVOURS = [Blocking, Nonblocking]


def run_helper(script, *args, timeout=120, **kwargs):
    """Runs tests/helpers/<script> with this interpreter; returns the CompletedProcess."""
    return subprocess.run([sys.executable, os.path.join(HELPERS, script), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def wait_for(predicate, timeout=60.0, what="condition"):
    """Polls predicate until true; fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)
