"""TTL behaviour of the MPMC log: short TTLs, polled with a deadline."""

import os
import time

import pytest

from rocksq import StartPosition, blocking, nonblocking

Oldest = StartPosition.Oldest
Newest = StartPosition.Newest
# Expiry is due within milliseconds; this only bounds how long a test waits.
DEADLINE = 5.0
# Insertion times are stored in whole milliseconds.
CLOCK_SLACK = 0.005


def poll(condition, deadline=DEADLINE):
    """Polls condition until true; returns the monotonic time it became true."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return time.monotonic()
        time.sleep(0.002)
    assert condition(), "condition still false after %.1f s" % deadline
    return time.monotonic()


def nb_len(q):
    return q.len.get().len


def test_len_drops_after_ttl_without_reads_nonblocking(qpath):
    with nonblocking.MpmcQueue(qpath, 1) as q:
        before = time.monotonic()
        q.add([b"a", b"bb"]).get()
        after = time.monotonic()
        assert nb_len(q) == 2 and q.payload_size.get().size == 3
        gone = poll(lambda: nb_len(q) == 0)
        assert gone >= before + 1.0 - CLOCK_SLACK, "removed before its TTL ran out"
        assert gone <= after + 1.0 + 1.0, "removed more than a second late"
        assert q.payload_size.get().size == 0


def test_len_drops_after_ttl_without_reads_blocking(qpath):
    with blocking.MpmcQueue(qpath, 1) as q:
        before = time.monotonic()
        q.add([b"a"])
        assert q.len == 1 and not q.is_empty
        gone = poll(lambda: q.is_empty)
        assert gone >= before + 1.0 - CLOCK_SLACK
        assert q.len == 0 and q.payload_size == 0


def test_only_the_expired_prefix_is_removed(qpath):
    with nonblocking.MpmcQueue(qpath, 1) as q:
        q.next("l", Oldest, 0).get()
        q.add([b"old1", b"old2"]).get()
        old_added = time.monotonic()
        poll(lambda: time.monotonic() >= old_added + 0.5)  # let time pass
        q.add([b"new"]).get()
        new_added = time.monotonic()
        poll(lambda: nb_len(q) == 1)
        assert time.monotonic() < new_added + 1.0, "the newer element must still be held"
        assert q.next("l", Oldest, 10).get().data == ([b"new"], True)
        poll(lambda: nb_len(q) == 0)


def test_expired_flag(qpath):
    with nonblocking.MpmcQueue(qpath, 1) as q:
        for label in ("caught_up", "behind", "newest"):
            q.next(label, Newest, 0).get()
        q.add([b"1", b"2"]).get()
        assert q.next("caught_up", Oldest, 5).get().data == ([b"1", b"2"], False)
        assert q.next("behind", Oldest, 1).get().data == ([b"1"], False)
        poll(lambda: nb_len(q) == 0)
        # Expired elements are never returned, even before the next add.
        assert q.next("fresh", Oldest, 5).get().data == ([], False)
        q.add([b"3"]).get()
        assert q.next("behind", Oldest, 5).get().data == ([b"3"], True)
        assert q.next("newest", Oldest, 5).get().data == ([b"3"], True)
        assert q.next("caught_up", Oldest, 5).get().data == ([b"3"], False)
        # Reported once only.
        assert q.next("behind", Oldest, 5).get().data == ([], False)
        # A new label has nothing it missed.
        assert q.next("new", Oldest, 5).get().data == ([b"3"], False)


def test_expired_flag_blocking_with_nothing_left(qpath):
    with blocking.MpmcQueue(qpath, 1) as q:
        q.add([b"x"])
        q.next("l", Oldest, 0)
        poll(lambda: q.is_empty)
        assert q.next("l", Oldest, 5) == ([], True)
        assert q.next("l", Oldest, 5) == ([], False)


def test_insertion_time_survives_reopen_and_new_ttl_applies(qpath):
    with nonblocking.MpmcQueue(qpath, 1) as q:
        q.add([b"x"]).get()
        added = time.monotonic()
    with blocking.MpmcQueue(qpath, 3600) as q:
        poll(lambda: time.monotonic() >= added + 1.2)
        assert q.len == 1, "a longer TTL on reopen keeps the element"
        assert q.next("l", Oldest) == ([b"x"], False)
    with nonblocking.MpmcQueue(qpath, 1) as q:
        # Its original insertion time counts: it expired while closed.
        assert nb_len(q) == 0
        assert q.next("l", Oldest).get().data == ([], False)
        assert q.next("m", Oldest).get().data == ([], False)


def test_disk_space_of_expired_elements_is_reclaimed(qpath):
    with nonblocking.MpmcQueue(qpath, 1) as q:
        q.add([os.urandom(1000) for _ in range(20_000)]).get()  # incompressible
        full = q.disk_size.get().size
        assert full > 20_000_000
        poll(lambda: nb_len(q) == 0)
        # Compaction runs in the background, without any call.
        poll(lambda: q.disk_size.get().size < full // 4)
