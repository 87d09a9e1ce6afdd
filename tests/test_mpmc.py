"""The MPMC log end to end, both flavours (long TTLs; see test_mpmc_ttl.py)."""

import os
import threading

import pytest

import rocksq
from rocksq import StartPosition, blocking, nonblocking

Oldest = StartPosition.Oldest
Newest = StartPosition.Newest
HOUR = 3600


def data(response):
    return response.get().data


@pytest.fixture
def q(qpath):
    with nonblocking.MpmcQueue(qpath, HOUR) as queue:
        yield queue


@pytest.fixture
def bq(qpath):
    with blocking.MpmcQueue(qpath, HOUR) as queue:
        yield queue


def test_exports():
    for name in ("MpmcQueue", "MpmcResponse", "MpmcResponseVariant"):
        assert name in nonblocking.__all__ and hasattr(nonblocking, name)
    assert "MpmcQueue" in blocking.__all__
    assert callable(rocksq.remove_mpmc_queue)


def test_add_and_next_nonblocking(q):
    assert q.add([b"a", bytearray(b"b"), memoryview(b"c")]).get().data is None
    q.add([b"d"]).get()
    assert q.len.get().len == 4
    assert q.payload_size.get().size == 4
    r = q.next("x", Oldest, max_elements=3)
    v = r.get()
    assert isinstance(v, nonblocking.MpmcResponseVariant)
    assert v.data == ([b"a", b"b", b"c"], False)
    assert v.labels is None and v.len is None and v.removed_label is None and v.size is None
    assert r.is_ready and r.try_get() is v and r.get() is v
    assert data(q.next("x", Oldest, 10)) == ([b"d"], False)
    assert data(q.next("x", Oldest, 10)) == ([], False)
    assert q.len.get().len == 4  # reading removes nothing
    assert q.inflight_ops == 0


def test_default_max_elements_is_one(q):
    q.add([b"1", b"2"]).get()
    assert data(q.next("l", Oldest)) == ([b"1"], False)


def test_oldest_and_newest_on_empty_log(q):
    assert data(q.next("n", Newest, 5)) == ([], False)
    assert data(q.next("o", Oldest, 5)) == ([], False)
    q.add([b"1"]).get()
    q.add([b"2"]).get()
    assert data(q.next("n", Newest, 5)) == ([b"1", b"2"], False)
    assert data(q.next("o", Oldest, 5)) == ([b"1", b"2"], False)


def test_oldest_and_newest_on_non_empty_log(q):
    q.add([b"x", b"y"]).get()
    assert data(q.next("n", Newest, 5)) == ([b"y"], False)
    assert data(q.next("o", Oldest, 5)) == ([b"x", b"y"], False)
    q.add([b"z"]).get()
    assert data(q.next("n", Newest, 5)) == ([b"z"], False)
    assert data(q.next("late", Newest, 5)) == ([b"z"], False)


def test_start_position_ignored_for_existing_label(q):
    q.add([b"1", b"2", b"3"]).get()
    assert data(q.next("l", Oldest)) == ([b"1"], False)
    assert data(q.next("l", Newest)) == ([b"2"], False)


def test_zero_max_elements_creates_label(q):
    q.add([b"x", b"y"]).get()
    assert data(q.next("e", Newest, 0)) == ([], False)
    assert q.labels.get().labels == ["e"]
    assert data(q.next("e", Oldest, 5)) == ([b"y"], False)


def test_labels_are_independent(q):
    q.add([b"%d" % i for i in range(6)]).get()
    assert data(q.next("a", Oldest, 4))[0] == [b"0", b"1", b"2", b"3"]
    assert data(q.next("b", Oldest, 1))[0] == [b"0"]
    assert data(q.next("b", Oldest, 1))[0] == [b"1"]
    assert data(q.next("a", Oldest, 4))[0] == [b"4", b"5"]
    assert q.labels.get().labels == ["a", "b"]


def test_remove_label(q):
    q.add([b"x", b"y", b"z"]).get()
    q.next("c", Oldest, 3).get()
    v = q.remove_label("c").get()
    assert v.removed_label is True and v.data is None
    assert q.remove_label("c").get().removed_label is False
    assert q.labels.get().labels == []
    # A removed label that reads again starts afresh.
    assert data(q.next("c", Newest, 3)) == ([b"z"], False)


def test_labels_sorted_and_unicode(q):
    for label in ["zeta", "", "alpha", "é", "日本"]:
        q.next(label, Oldest, 0)
    assert q.labels.get().labels == sorted(["zeta", "", "alpha", "é", "日本"])


def test_empty_add_writes_nothing(q):
    q.add([]).get()
    q.add(()).get()
    assert q.len.get().len == 0
    assert data(q.next("n", Newest, 5)) == ([], False)


def test_atomic_large_batch(q):
    items = [b"%06d" % i for i in range(20000)]
    q.add(items).get()
    assert q.len.get().len == 20000
    assert data(q.next("n", Newest, 5)) == ([b"019999"], False)
    assert data(q.next("o", Oldest, 100000)) == (items, False)


def test_huge_max_elements(q):
    q.add([b"a"]).get()
    assert data(q.next("l", Oldest, 2**64 - 1)) == ([b"a"], False)


def test_bad_arguments_raise_at_call_time(q):
    for bad in (b"abc", "abc", None, ["text"], [1], [[b"nested"]]):
        with pytest.raises(TypeError, match="items"):
            q.add(bad)
    for bad in (1, None, b"label"):
        with pytest.raises(TypeError, match="label"):
            q.next(bad, Oldest)
        with pytest.raises(TypeError, match="label"):
            q.remove_label(bad)
    for bad in (0, 1, None, "Oldest", True):
        with pytest.raises(TypeError, match="start_position"):
            q.next("l", bad)
    with pytest.raises(ValueError, match="max_elements"):
        q.next("l", Oldest, -1)
    with pytest.raises(TypeError, match="max_elements"):
        q.next("l", Oldest, 1.0)
    with pytest.raises(OverflowError, match="max_elements"):
        q.next("l", Oldest, 2**64)
    assert q.inflight_ops == 0
    assert q.len.get().len == 0
    assert q.labels.get().labels == []


@pytest.mark.parametrize("cls", [nonblocking.MpmcQueue, blocking.MpmcQueue])
def test_ttl_validation(qpath, cls):
    for bad, error in ((0, ValueError), (-1, ValueError), (1.5, TypeError), ("10", TypeError),
                       (None, TypeError), (2**70, OverflowError), (2**60, OverflowError)):
        with pytest.raises(error, match="ttl"):
            cls(qpath, bad)
    assert not os.path.exists(qpath)


def test_constructor_defaults_and_keywords(qpath):
    with nonblocking.MpmcQueue(path=qpath, ttl=5) as q:
        assert q.inflight_ops == 0
    with nonblocking.MpmcQueue(qpath, 5, max_inflight_ops=3, durable=True) as q:
        q.add([b"x"]).get()
    with pytest.raises(ValueError, match="max_inflight_ops"):
        nonblocking.MpmcQueue(qpath, 5, 0)
    with blocking.MpmcQueue(qpath, ttl=5, durable=True) as q:
        assert q.len == 1


def test_directory_created_with_parents(tmp_path):
    path = tmp_path / "a" / "b" / "log"
    with nonblocking.MpmcQueue(path, HOUR) as q:  # os.PathLike
        q.add([b"x"]).get()
    assert path.is_dir()


def test_already_open_names_the_path(q, qpath):
    with pytest.raises(rocksq.AlreadyOpenError, match=qpath):
        nonblocking.MpmcQueue(qpath, HOUR)
    with pytest.raises(rocksq.AlreadyOpenError, match=qpath):
        blocking.MpmcQueue(qpath, HOUR)
    with pytest.raises(rocksq.AlreadyOpenError):
        rocksq.remove_mpmc_queue(qpath)


def test_close_and_calls_after_close(qpath):
    q = nonblocking.MpmcQueue(qpath, HOUR)
    q.add([b"a"]).get()
    q.close()
    q.close()
    for call in (lambda: q.add([b"b"]), lambda: q.next("l", Oldest), lambda: q.len,
                 lambda: q.labels, lambda: q.remove_label("l"), lambda: q.disk_size,
                 lambda: q.payload_size):
        with pytest.raises(rocksq.QueueClosedError):
            call()
    b = blocking.MpmcQueue(qpath, HOUR)
    assert b.len == 1
    b.close()
    for call in (lambda: b.add([b"b"]), lambda: b.next("l", Oldest), lambda: b.len,
                 lambda: b.labels, lambda: b.remove_label("l"), lambda: b.is_empty):
        with pytest.raises(rocksq.QueueClosedError):
            call()


def test_remove_mpmc_queue(qpath):
    with blocking.MpmcQueue(qpath, HOUR) as q:
        q.add([b"x"])
    with pytest.raises(rocksq.RocksqError):
        rocksq.remove_queue(qpath)  # not a FIFO queue
    rocksq.remove_mpmc_queue(qpath)
    assert not os.path.exists(qpath)
    rocksq.remove_mpmc_queue(qpath)  # missing: nothing to do


def test_fifo_path_is_not_an_mpmc_log(qpath):
    with blocking.PersistentQueueWithCapacity(qpath) as f:
        f.push([b"x"])
    with pytest.raises(rocksq.RocksqError, match="fifo"):
        blocking.MpmcQueue(qpath, HOUR)


def test_everything_persists_across_reopen(qpath):
    with nonblocking.MpmcQueue(qpath, HOUR) as q:
        q.add([b"%d" % i for i in range(10)]).get()
        q.next("a", Oldest, 3).get()
        q.next("b", Newest, 0).get()
        q.next("c", Oldest, 10).get()
    with blocking.MpmcQueue(qpath, 2 * HOUR) as q:
        assert q.len == 10 and q.payload_size == 10
        assert q.labels == ["a", "b", "c"]
        assert q.next("a", Newest, 2) == ([b"3", b"4"], False)
        assert q.next("b", Oldest, 2) == ([b"9"], False)
        assert q.next("c", Oldest, 2) == ([], False)
    with nonblocking.MpmcQueue(qpath, HOUR) as q:
        assert data(q.next("a", Oldest, 100)) == ([b"%d" % i for i in range(5, 10)], False)


def test_blocking_flavour(bq):
    assert bq.is_empty and bq.len == 0
    assert bq.add([b"x", b"yy"]) is None
    assert bq.len == 2 and not bq.is_empty and bq.payload_size == 3
    assert bq.disk_size > 0
    assert bq.next("l", Oldest, 5) == ([b"x", b"yy"], False)
    assert bq.next("n", Newest) == ([b"yy"], False)
    assert bq.labels == ["l", "n"]
    assert bq.remove_label("l") is True
    assert bq.remove_label("l") is False
    assert bq.labels == ["n"]
    assert bq.next("l", Oldest, 5, no_gil=False) == ([b"x", b"yy"], False)


def test_variant_fields(q):
    assert q.len.get().len == 0
    assert q.disk_size.get().size > 0
    v = q.labels.get()
    assert v.labels == [] and v.len is None and v.data is None


def test_no_gil_false(q):
    q.add([b"a"], no_gil=False).get()
    assert data(q.next("l", Oldest, 1, no_gil=False)) == ([b"a"], False)
    assert q.remove_label("l", no_gil=False).get().removed_label


def test_many_labels_stay_fast(q):
    q.add([b"%d" % i for i in range(10)]).get()
    labels = ["label-%04d" % i for i in range(1000)]
    responses = [q.next(label, Oldest, 3) for label in labels]
    assert all(data(r) == ([b"0", b"1", b"2"], False) for r in responses)
    for _ in range(3):
        responses = [q.next(label, Oldest, 1) for label in labels]
    assert all(data(r) == ([b"5"], False) for r in responses)
    assert q.labels.get().labels == labels
    for label in labels[::2]:
        q.remove_label(label)
    assert q.labels.get().labels == labels[1::2]


def test_concurrent_producers_and_consumers(q):
    per_thread = 500

    def produce(t):
        for i in range(per_thread):
            q.add([b"%d:%d" % (t, i)])

    threads = [threading.Thread(target=produce, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert q.len.get().len == 4 * per_thread

    results = {}

    def consume(label):
        got = []
        while True:
            items, expired = data(q.next(label, Oldest, 37))
            assert not expired
            if not items:
                break
            got.extend(items)
        results[label] = got

    consumers = [threading.Thread(target=consume, args=("c%d" % i,)) for i in range(3)]
    for t in consumers:
        t.start()
    for t in consumers:
        t.join()
    first = results["c0"]
    assert len(first) == 4 * per_thread
    assert all(results[label] == first for label in results)
    for t in range(4):  # each producer's items in its order
        mine = [x for x in first if x.startswith(b"%d:" % t)]
        assert mine == [b"%d:%d" % (t, i) for i in range(per_thread)]


def test_documented_keyword_names(qpath):
    with nonblocking.MpmcQueue(path=qpath, ttl=HOUR, max_inflight_ops=10) as q:
        q.add(items=[b"a", b"b"], no_gil=False).get()
        r = q.next(label="l", start_position=Oldest, max_elements=2, no_gil=True)
        assert isinstance(r, nonblocking.MpmcResponse)
        assert r.get().data == ([b"a", b"b"], False)
        assert q.remove_label(label="l", no_gil=True).get().removed_label
    with blocking.MpmcQueue(path=qpath, ttl=HOUR) as b:
        b.add(items=[b"c"], no_gil=True)
        assert b.next(label="l", start_position=Newest, max_elements=1, no_gil=True) == (
            [b"c"], False)
        assert b.remove_label(label="l") is True


def test_existing_label_on_reopened_empty_log(qpath):
    # The reference rocksq 0.3.0 hangs here.
    with blocking.MpmcQueue(qpath, HOUR) as q:
        q.next("a", Newest, 3)
        q.next("b", Oldest, 3)
    with blocking.MpmcQueue(qpath, HOUR) as q:
        assert q.next("a", Newest, 1) == ([], False)
        assert q.next("b", Newest, 1) == ([], False)
        q.add([b"y"])
        assert q.next("a", Oldest, 5) == ([b"y"], False)
        assert q.next("b", Oldest, 5) == ([b"y"], False)
