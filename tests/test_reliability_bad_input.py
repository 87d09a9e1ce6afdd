"""Guarantee 3, bad input never crashes and never damages data: each bad call
raises a clear exception (TypeError/ValueError/OverflowError or a
rocksq.RocksqError subclass) whose message names the argument (or the path
and the reason), the process goes on, and both open queues still hold every
item they held before.

Items are lists or tuples (accepted by design) of bytes-like objects: bytes,
bytearray, contiguous memoryview or any C-contiguous buffer; str is refused."""

import os
import re
import subprocess
import sys

import pytest

import rocksq
from rocksq import blocking, nonblocking

from helpers.fifo import HELPERS

NQ = nonblocking.PersistentQueueWithCapacity
BQ = blocking.PersistentQueueWithCapacity
NM = nonblocking.MpmcQueue
BM = blocking.MpmcQueue
OLDEST = rocksq.StartPosition.Oldest
ITEMS = [b"one", b"two", b"three"]


class Context:
    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.path = str(tmp_path / "nonblocking")
        self.bpath = str(tmp_path / "blocking")
        self.q = NQ(self.path)
        self.q.push(ITEMS).get()
        self.qb = BQ(self.bpath)
        self.qb.push(ITEMS)
        self.fresh = str(tmp_path / "fresh")
        self.file = tmp_path / "regular-file"
        self.file.write_bytes(b"data")
        self.closed = NQ(str(tmp_path / "closed"))
        self.closed.close()
        self.bclosed = BQ(str(tmp_path / "bclosed"))
        self.bclosed.close()
        self.mpath = str(tmp_path / "log")
        self.m = NM(self.mpath, 3600)
        self.m.add(ITEMS).get()
        self.m.next("r", OLDEST).get()  # the label "r" has read ITEMS[0]
        self.bm = BM(str(tmp_path / "blog"), 3600)
        self.mclosed = NM(str(tmp_path / "mclosed"), 3600)
        self.mclosed.close()

    def check_log(self):
        assert self.m.len.get().len == 3 and self.bm.len == 0
        assert self.m.labels.get().labels == ["r"]
        assert self.m.next("r", OLDEST, 10).get().data == (ITEMS[1:], False)
        self.m.close()
        self.bm.close()


# (id, call, exception, regex the message must match)
BAD_CALLS = [
    # push: the items argument
    ("push-str", lambda c: c.q.push("abc"), TypeError, r"items must be a list"),
    ("push-bytes", lambda c: c.q.push(b"abc"), TypeError, r"items must be a list"),
    ("push-none", lambda c: c.q.push(None), TypeError, r"items must be a list"),
    ("push-int", lambda c: c.q.push(5), TypeError, r"items must be a list"),
    ("push-generator", lambda c: c.q.push(x for x in [b"a"]), TypeError, r"items .*generator"),
    ("push-set", lambda c: c.q.push({b"a"}), TypeError, r"items .*set"),
    ("push-dict", lambda c: c.q.push({b"a": b"b"}), TypeError, r"items .*dict"),
    ("push-item-str", lambda c: c.q.push([b"ok", "text"]), TypeError, r"items\[1\] .*str"),
    ("push-item-none", lambda c: c.q.push([None]), TypeError, r"items\[0\] .*NoneType"),
    ("push-item-int", lambda c: c.q.push([7]), TypeError, r"items\[0\] .*int"),
    ("push-nested-list", lambda c: c.q.push([[b"nested"]]), TypeError, r"items\[0\] .*list"),
    ("push-nested-tuple", lambda c: c.q.push(((b"a",),)), TypeError, r"items\[0\] .*tuple"),
    ("push-non-contiguous", lambda c: c.q.push([memoryview(b"abcdef")[::2]]), TypeError,
     r"items\[0\] .*contiguous"),
    ("push-no-gil-str", lambda c: c.q.push([b"a"], no_gil="yes"), TypeError, r"no_gil"),
    ("blocking-push-str", lambda c: c.qb.push("abc"), TypeError, r"items must be a list"),
    ("blocking-push-item-none", lambda c: c.qb.push([b"a", None]), TypeError, r"items\[1\]"),
    ("blocking-push-generator", lambda c: c.qb.push(iter([b"a"])), TypeError, r"items"),
    # pop: max_elements
    ("pop-negative", lambda c: c.q.pop(-1), ValueError, r"max_elements must be >= 0"),
    ("pop-very-negative", lambda c: c.q.pop(-(2**80)), ValueError, r"max_elements"),
    ("pop-float", lambda c: c.q.pop(1.5), TypeError, r"max_elements must be an int"),
    ("pop-str", lambda c: c.q.pop("3"), TypeError, r"max_elements must be an int"),
    ("pop-none", lambda c: c.q.pop(None), TypeError, r"max_elements must be an int"),
    ("pop-huge", lambda c: c.q.pop(2**64), OverflowError, r"max_elements is too large"),
    ("blocking-pop-negative", lambda c: c.qb.pop(-5), ValueError, r"max_elements"),
    ("blocking-pop-float", lambda c: c.qb.pop(2.0), TypeError, r"max_elements"),
    ("blocking-pop-huge", lambda c: c.qb.pop(2**100), OverflowError, r"max_elements"),
    # constructors
    ("open-max-elements-negative", lambda c: NQ(c.fresh, max_elements=-1), ValueError,
     r"max_elements"),
    ("open-max-elements-float", lambda c: NQ(c.fresh, max_elements=10.0), TypeError,
     r"max_elements"),
    ("open-max-elements-huge", lambda c: BQ(c.fresh, max_elements=2**64), OverflowError,
     r"max_elements"),
    ("open-inflight-zero", lambda c: NQ(c.fresh, max_inflight_ops=0), ValueError,
     r"max_inflight_ops"),
    ("open-inflight-negative", lambda c: NQ(c.fresh, max_inflight_ops=-3), ValueError,
     r"max_inflight_ops"),
    ("open-inflight-float", lambda c: NQ(c.fresh, max_inflight_ops=1.5), TypeError,
     r"max_inflight_ops"),
    ("open-inflight-huge", lambda c: NQ(c.fresh, max_inflight_ops=2**70), OverflowError,
     r"max_inflight_ops"),
    ("open-durable-str", lambda c: NQ(c.fresh, durable="yes"), TypeError, r"durable"),
    ("open-durable-positional", lambda c: BQ(c.fresh, 10, True), TypeError, r"durable"),
    ("open-budget-negative", lambda c: NQ(c.fresh, memory_cache_bytes=-1), ValueError,
     r"memory_cache_bytes"),
    ("open-budget-str", lambda c: BQ(c.fresh, memory_cache_bytes="1M"), TypeError,
     r"memory_cache_bytes"),
    ("open-log-budget-float", lambda c: NM(c.fresh, 10, memory_cache_bytes=1.5), TypeError,
     r"memory_cache_bytes"),
    ("open-log-budget-huge", lambda c: BM(c.fresh, 10, memory_cache_bytes=2**70), OverflowError,
     r"memory_cache_bytes"),
    ("open-path-none", lambda c: NQ(None), TypeError, r"path must be a str"),
    ("open-path-int", lambda c: BQ(42), TypeError, r"path must be a str"),
    ("open-path-bytes", lambda c: NQ(b"/tmp/q"), TypeError, r"path must be a str"),
    ("open-path-empty", lambda c: NQ(""), ValueError, r"path must not be empty"),
    ("open-path-empty-blocking", lambda c: BQ(""), ValueError, r"path"),
    ("open-inside-regular-file", lambda c: NQ(str(c.file / "q")), rocksq.RocksqError,
     r"regular-file.*Not a directory"),
    ("open-regular-file", lambda c: BQ(str(c.file)), rocksq.RocksqError,
     r"regular-file.*Not a directory"),
    # root may write anywhere on disk, but not create directories in /proc
    ("open-unwritable", lambda c: NQ("/proc/rocksq-test/queue"), rocksq.RocksqError,
     r"/proc/rocksq-test/queue"),
    ("open-same-path", lambda c: NQ(c.path), rocksq.AlreadyOpenError, r"nonblocking.*already open"),
    ("open-same-path-other-flavour", lambda c: BQ(c.path), rocksq.AlreadyOpenError,
     r"nonblocking.*already open"),
    ("open-same-path-blocking", lambda c: BQ(c.bpath), rocksq.AlreadyOpenError,
     r"blocking.*already open"),
    ("open-same-path-relative", lambda c: NQ(os.path.relpath(c.path)), rocksq.AlreadyOpenError,
     r"already open"),
    # remove_queue
    ("remove-open", lambda c: rocksq.remove_queue(c.path), rocksq.AlreadyOpenError,
     r"nonblocking.*open"),
    ("remove-open-blocking", lambda c: rocksq.remove_queue(c.bpath), rocksq.AlreadyOpenError,
     r"blocking.*open"),
    ("remove-none", lambda c: rocksq.remove_queue(None), TypeError, r"path"),
    ("remove-empty", lambda c: rocksq.remove_queue(""), ValueError, r"path"),
    ("remove-regular-file", lambda c: rocksq.remove_queue(str(c.file)), rocksq.RocksqError,
     r"regular-file.*not a queue"),
    ("remove-not-a-queue", lambda c: rocksq.remove_queue(str(c.tmp)), rocksq.RocksqError,
     r"not a queue"),
    # the MPMC log: ttl, label, start_position, max_elements, items, kinds
    ("mpmc-ttl-zero", lambda c: NM(c.fresh, 0), ValueError, r"ttl must be a positive"),
    ("mpmc-ttl-negative", lambda c: BM(c.fresh, -5), ValueError, r"ttl must be a positive"),
    ("mpmc-ttl-float", lambda c: NM(c.fresh, 1.5), TypeError, r"ttl must be an int"),
    ("mpmc-ttl-str", lambda c: BM(c.fresh, "60"), TypeError, r"ttl must be an int"),
    ("mpmc-ttl-none", lambda c: NM(c.fresh, None), TypeError, r"ttl must be an int"),
    ("mpmc-ttl-huge", lambda c: NM(c.fresh, 2**62), OverflowError, r"ttl is too large"),
    ("mpmc-inflight-zero", lambda c: NM(c.fresh, 60, max_inflight_ops=0), ValueError,
     r"max_inflight_ops"),
    ("mpmc-path-none", lambda c: BM(None, 60), TypeError, r"path must be a str"),
    ("mpmc-same-path", lambda c: BM(c.mpath, 60), rocksq.AlreadyOpenError, r"log.*already open"),
    ("mpmc-open-a-fifo", lambda c: (c.closed, BM(str(c.tmp / "closed"), 60)), rocksq.RocksqError,
     r"closed as a mpmc queue: it holds a fifo queue"),
    ("fifo-open-an-mpmc", lambda c: BQ(str(c.tmp / "mclosed")), rocksq.RocksqError,
     r"mclosed as a fifo queue: it holds a mpmc queue"),
    ("mpmc-label-int", lambda c: c.m.next(5, OLDEST), TypeError, r"label must be a str"),
    ("mpmc-label-none", lambda c: c.bm.next(None, OLDEST), TypeError, r"label must be a str"),
    ("mpmc-label-bytes", lambda c: c.m.next(b"r", OLDEST), TypeError, r"label must be a str"),
    ("mpmc-start-int", lambda c: c.m.next("r", 0), TypeError, r"start_position must be"),
    ("mpmc-start-str", lambda c: c.bm.next("r", "Oldest"), TypeError, r"start_position must be"),
    ("mpmc-start-none", lambda c: c.m.next("r", None), TypeError, r"start_position must be"),
    ("mpmc-max-negative", lambda c: c.m.next("r", OLDEST, -1), ValueError, r"max_elements"),
    ("mpmc-max-float", lambda c: c.bm.next("r", OLDEST, 2.5), TypeError, r"max_elements"),
    ("mpmc-max-huge", lambda c: c.m.next("r", OLDEST, 2**64), OverflowError, r"max_elements"),
    ("mpmc-add-str", lambda c: c.m.add("abc"), TypeError, r"items must be a list"),
    ("mpmc-add-item-none", lambda c: c.bm.add([b"a", None]), TypeError, r"items\[1\]"),
    ("mpmc-remove-label-int", lambda c: c.m.remove_label(5), TypeError, r"label must be a str"),
    ("mpmc-remove-label-none", lambda c: c.bm.remove_label(None), TypeError, r"label"),
    ("mpmc-remove-open", lambda c: rocksq.remove_mpmc_queue(c.mpath), rocksq.AlreadyOpenError,
     r"log.*open"),
    ("mpmc-remove-a-fifo", lambda c: rocksq.remove_mpmc_queue(str(c.tmp / "closed")),
     rocksq.RocksqError, r"it holds a fifo queue"),
    ("mpmc-closed-next", lambda c: c.mclosed.next("r", OLDEST), rocksq.QueueClosedError, r"closed"),
    ("mpmc-closed-add", lambda c: c.mclosed.add([b"a"]), rocksq.QueueClosedError, r"closed"),
    ("mpmc-closed-labels", lambda c: c.mclosed.labels, rocksq.QueueClosedError, r"closed"),
    # calls after close()
    ("closed-push", lambda c: c.closed.push([b"a"]), rocksq.QueueClosedError, r"closed"),
    ("closed-pop", lambda c: c.closed.pop(), rocksq.QueueClosedError, r"closed"),
    ("closed-len", lambda c: c.closed.len, rocksq.QueueClosedError, r"closed"),
    ("closed-payload-size", lambda c: c.closed.payload_size, rocksq.QueueClosedError, r"closed"),
    ("closed-disk-size", lambda c: c.closed.disk_size, rocksq.QueueClosedError, r"closed"),
    ("blocking-closed-push", lambda c: c.bclosed.push([b"a"]), rocksq.QueueClosedError, r"closed"),
    ("blocking-closed-pop", lambda c: c.bclosed.pop(), rocksq.QueueClosedError, r"closed"),
    ("blocking-closed-len", lambda c: c.bclosed.len, rocksq.QueueClosedError, r"closed"),
    ("blocking-closed-is-empty", lambda c: c.bclosed.is_empty, rocksq.QueueClosedError, r"closed"),
]


def test_at_least_40_bad_calls():
    assert len(BAD_CALLS) >= 40


@pytest.mark.parametrize("call, exception, pattern", [c[1:] for c in BAD_CALLS],
                         ids=[c[0] for c in BAD_CALLS])
def test_bad_call_raises_clearly_and_damages_nothing(tmp_path, call, exception, pattern):
    c = Context(tmp_path)
    with pytest.raises(exception) as info:
        call(c)
    assert re.search(pattern, str(info.value), re.S), str(info.value)
    assert c.q.inflight_ops == 0
    c.check_log()
    # Both queues still hold exactly what they held, and still work.
    assert c.q.len.get().len == 3 and c.qb.len == 3
    assert c.q.pop(10).get().data == ITEMS and c.qb.pop(10) == ITEMS
    c.q.push([b"after"]).get()
    c.qb.push([b"after"])
    c.q.close()
    c.qb.close()
    assert NQ(c.path).pop(10).get().data == [b"after"]
    assert not os.path.exists(c.fresh) or os.listdir(c.fresh) == [] or exception is rocksq.RocksqError


def test_open_held_by_another_process_damages_nothing(tmp_path):
    path = str(tmp_path / "held")
    with BQ(path) as q:
        q.push(ITEMS)
    holder = subprocess.Popen([sys.executable, os.path.join(HELPERS, "hold_queue.py"), path,
                               "nonblocking"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for call in (lambda: NQ(path), lambda: BQ(path), lambda: rocksq.remove_queue(path)):
            with pytest.raises(rocksq.AlreadyOpenError, match=re.escape(path)):
                call()
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    assert BQ(path).pop(10) == ITEMS


def test_every_bad_call_in_one_process_survives(tmp_path):
    """All of them in a row in one fresh interpreter: it exits normally."""
    done = subprocess.run([sys.executable, "-c", f"""
import sys, pathlib
sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
from test_reliability_bad_input import BAD_CALLS, Context, ITEMS
c = Context(pathlib.Path({str(tmp_path)!r}))
for name, call, exception, pattern in BAD_CALLS:
    try:
        call(c)
    except exception:
        pass
    else:
        sys.exit("no exception from " + name)
assert c.q.pop(10).get().data == ITEMS and c.qb.pop(10) == ITEMS
c.check_log()
print("survived", len(BAD_CALLS))
"""], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("survived")
