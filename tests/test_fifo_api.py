"""Every method, property and error of PersistentQueueWithCapacity, run against
both flavours (rocksq.blocking and rocksq.nonblocking) through one face."""

import gc
import os
import re
import subprocess
import sys

import pytest

import rocksq
from rocksq import blocking, nonblocking

from helpers.fifo import FLAVOURS, HELPERS

flavours = pytest.mark.parametrize("Fifo", FLAVOURS, ids=lambda f: f.name)


def items(n, prefix=b"item-"):
    return [prefix + str(i).encode() for i in range(n)]


@flavours
def test_push_pop_keeps_order_across_batches(Fifo, qpath):
    q = Fifo(qpath)
    q.push(items(3))
    q.push([b"x", b"", b"\x00\xff"])
    assert q.pop(2) == items(2)
    assert q.pop() == [b"item-2"]
    assert q.pop(10) == [b"x", b"", b"\x00\xff"]
    assert q.pop(10) == []


@flavours
def test_len_payload_size_disk_size(Fifo, qpath):
    q = Fifo(qpath)
    assert (q.len(), q.payload_size()) == (0, 0)
    q.push([b"abc", b"", b"de"])
    assert (q.len(), q.payload_size()) == (3, 5)
    q.pop(2)
    assert (q.len(), q.payload_size()) == (1, 2)
    assert isinstance(q.disk_size(), int) and q.disk_size() > 0


@flavours
def test_bytes_like_items_and_tuples_are_accepted(Fifo, qpath):
    q = Fifo(qpath)
    q.push((b"t1", b"t2"))  # tuples are accepted by design
    q.push([bytearray(b"ba"), memoryview(b"mv"), memoryview(b"xyz")[1:]])
    assert q.pop(10) == [b"t1", b"t2", b"ba", b"mv", b"yz"]


@flavours
def test_empty_push_is_ok_and_writes_nothing(Fifo, qpath):
    q = Fifo(qpath, max_elements=1)
    q.push([b"a"])
    q.push([])  # even on a full queue
    assert q.len() == 1


@flavours
def test_pop_of_empty_queue_and_of_zero_items_returns_empty_list(Fifo, qpath):
    q = Fifo(qpath)
    assert q.pop() == []
    q.push([b"a"])
    assert q.pop(0) == []
    assert q.len() == 1


@flavours
def test_over_capacity_push_raises_queue_full_and_writes_nothing(Fifo, qpath):
    q = Fifo(qpath, max_elements=3)
    q.push([b"a", b"b"])
    with pytest.raises(rocksq.QueueFullError, match="max_elements") as info:
        q.push([b"c", b"d"])
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, rocksq.RocksqError)
    assert qpath in str(info.value)
    assert (q.len(), q.payload_size()) == (2, 2)
    q.push([b"c"])  # exactly full is fine
    with pytest.raises(rocksq.QueueFullError):
        q.push([b"d"])
    assert q.pop(10) == [b"a", b"b", b"c"]
    q.close()
    q = Fifo(qpath, max_elements=3)  # the refused pushes were not persisted either
    assert q.len() == 0


def test_error_classes():
    for cls in (rocksq.QueueFullError, rocksq.QueueClosedError, rocksq.AlreadyOpenError,
                rocksq.CorruptionError):
        assert issubclass(cls, rocksq.RocksqError)
    assert issubclass(rocksq.RocksqError, RuntimeError)


@flavours
@pytest.mark.parametrize("bad", [b"abc", "abc", None, 5, [u"text"], [1], [None], [[b"nested"]],
                                 (x for x in [b"a"]), {b"a": 1}, {b"a"}],
                         ids=lambda b: type(b).__name__ + repr(b)[:12])
def test_push_of_wrong_type_raises_type_error_at_call_time(Fifo, qpath, bad):
    q = Fifo(qpath)
    q.push([b"keep"])
    with pytest.raises(TypeError, match="items"):
        q.q.push(bad)  # the native call itself raises: no Response is made
    if not isinstance(bad, bytes):
        with pytest.raises(TypeError, match=r"items\[1\]"):
            q.q.push([b"ok", bad])
    assert q.pop(10) == [b"keep"]


@flavours
def test_push_of_non_contiguous_buffer_raises_type_error(Fifo, qpath):
    q = Fifo(qpath)
    with pytest.raises(TypeError, match=r"items\[0\].*contiguous"):
        q.q.push([memoryview(b"abcdef")[::2]])
    assert q.len() == 0


@flavours
@pytest.mark.parametrize("bad, error", [(-1, ValueError), (-(2**70), ValueError),
                                        (1.0, TypeError), ("1", TypeError), (None, TypeError),
                                        (2**64, OverflowError), (2**100, OverflowError)])
def test_pop_with_bad_max_elements_raises_at_call_time(Fifo, qpath, bad, error):
    q = Fifo(qpath)
    q.push([b"a"])
    with pytest.raises(error, match="max_elements"):
        q.q.pop(bad)
    with pytest.raises(error, match="max_elements"):
        q.q.pop(max_elements=bad)
    assert q.len() == 1


@flavours
def test_pop_accepts_huge_max_elements(Fifo, qpath):
    q = Fifo(qpath)
    q.push([b"a", b"b"])
    assert q.pop(2**64 - 1) == [b"a", b"b"]


@flavours
def test_no_gil_false_works_the_same(Fifo, qpath):
    q = Fifo(qpath)
    q.push([b"a", b"b"], no_gil=False)
    assert q.pop(1, no_gil=False) == [b"a"]
    assert q.pop(1, no_gil=True) == [b"b"]


@pytest.mark.parametrize("writer, reader", [(w, r) for w in FLAVOURS for r in FLAVOURS],
                         ids=lambda f: f.name)
def test_items_order_len_and_payload_size_persist_across_reopen(writer, reader, qpath):
    q = writer(qpath)
    q.push(items(10))
    q.push([b"big" * 1000])
    assert q.pop(3) == items(3)
    q.close()
    q = reader(qpath)
    assert q.len() == 8
    assert q.payload_size() == sum(map(len, items(10)[3:])) + 3000
    assert q.pop(2) == items(5)[3:]
    q.close()
    q = writer(qpath)
    assert q.pop(100) == items(10)[5:] + [b"big" * 1000]
    assert (q.len(), q.payload_size()) == (0, 0)


@flavours
def test_many_reopens_keep_everything(Fifo, qpath):
    expected = []
    for round_ in range(8):
        q = Fifo(qpath)
        assert q.len() == len(expected)
        batch = items(round_ + 1, prefix=b"r%d-" % round_)
        q.push(batch)
        expected += batch
        if round_ % 2:
            assert q.pop(round_) == expected[:round_]
            del expected[:round_]
        q.close()
    assert Fifo(qpath).pop(1000) == expected


@flavours
def test_calls_after_close_raise_closed_error(Fifo, qpath):
    q = Fifo(qpath)
    q.push([b"a"])
    q.close()
    q.close()  # idempotent
    calls = [lambda: q.q.push([b"b"]), lambda: q.q.pop(), lambda: q.q.len,
             lambda: q.q.payload_size, lambda: q.q.disk_size]
    if Fifo.name == "blocking":
        calls.append(lambda: q.q.is_empty)
    for call in calls:
        with pytest.raises(rocksq.QueueClosedError, match="closed"):
            call()
    assert Fifo(qpath).pop(5) == [b"a"]


@pytest.mark.parametrize("module", [blocking, nonblocking], ids=["blocking", "nonblocking"])
def test_context_manager_closes(module, qpath):
    with module.PersistentQueueWithCapacity(qpath) as q:
        assert isinstance(q, module.PersistentQueueWithCapacity)
    with pytest.raises(RuntimeError, match="closed"):
        q.pop()
    with module.PersistentQueueWithCapacity(qpath):  # the lock was released
        pass


@pytest.mark.parametrize("module", [blocking, nonblocking], ids=["blocking", "nonblocking"])
def test_context_manager_closes_on_exception(module, qpath):
    with pytest.raises(KeyError):
        with module.PersistentQueueWithCapacity(qpath) as q:
            raise KeyError("boom")
    with pytest.raises(RuntimeError, match="closed"):
        q.pop()
    module.PersistentQueueWithCapacity(qpath).close()


@flavours
def test_dropping_last_reference_releases_the_queue(Fifo, qpath):
    q = Fifo(qpath)
    q.push([b"a"])
    del q
    gc.collect()
    assert Fifo(qpath).pop() == [b"a"]


@pytest.mark.parametrize("first", FLAVOURS, ids=lambda f: f.name)
@pytest.mark.parametrize("second", FLAVOURS, ids=lambda f: f.name)
def test_second_open_in_same_process_raises_already_open(first, second, qpath):
    q = first(qpath)
    q.push([b"a"])
    with pytest.raises(rocksq.AlreadyOpenError, match=re.escape(qpath)):
        second(qpath)
    with pytest.raises(rocksq.AlreadyOpenError):
        second(os.path.join(qpath, "..", os.path.basename(qpath)))  # the same directory
    assert q.pop() == [b"a"]


@pytest.mark.parametrize("holder", ["blocking", "nonblocking"])
@pytest.mark.parametrize("Fifo", FLAVOURS, ids=lambda f: f.name)
def test_open_held_by_another_process_raises_already_open(holder, Fifo, qpath):
    child = subprocess.Popen([sys.executable, os.path.join(HELPERS, "hold_queue.py"), qpath, holder],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(rocksq.AlreadyOpenError, match=re.escape(qpath)) as info:
            Fifo(qpath)
        assert "another process" in str(info.value)
    finally:
        child.stdin.close()
        assert child.wait(timeout=60) == 0
    Fifo(qpath).close()  # free again once the other process is gone


@flavours
def test_open_failures_raise_runtime_error_with_the_reason(Fifo, tmp_path):
    regular = tmp_path / "file"
    regular.write_bytes(b"x")
    with pytest.raises(RuntimeError, match="Not a directory") as info:
        Fifo(str(regular / "queue"))
    assert str(regular) in str(info.value)
    with pytest.raises(RuntimeError, match="Not a directory"):
        Fifo(str(regular))  # a file where the directory should be
    # A directory RocksDB cannot use: its CURRENT file is a directory.
    weird = tmp_path / "weird"
    (weird / "CURRENT").mkdir(parents=True)
    with pytest.raises(RuntimeError) as info:
        Fifo(str(weird))
    assert str(weird) in str(info.value)
    assert not isinstance(info.value, rocksq.AlreadyOpenError)
    # Its LOCK file is a directory: not "already open", but RocksDB's reason.
    locked = tmp_path / "locked"
    (locked / "LOCK").mkdir(parents=True)
    (locked / "CURRENT").write_bytes(b"")
    with pytest.raises(RuntimeError, match="Is a directory") as info:
        Fifo(str(locked))
    assert not isinstance(info.value, rocksq.AlreadyOpenError)


@flavours
def test_path_may_be_path_like(Fifo, tmp_path):
    q = Fifo(tmp_path / "q")
    q.push([b"a"])
    q.close()
    assert Fifo(str(tmp_path / "q")).pop() == [b"a"]


def test_remove_queue(qpath):
    rocksq.remove_queue(qpath)  # missing: nothing to do
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.push([b"a"]).get()
    with pytest.raises(rocksq.AlreadyOpenError, match=re.escape(qpath)):
        rocksq.remove_queue(qpath)
    assert q.pop().get().data == [b"a"]  # still usable
    q.close()
    rocksq.remove_queue(qpath)
    assert not os.path.exists(qpath)
    rocksq.remove_queue(qpath)
    assert blocking.PersistentQueueWithCapacity(qpath).len == 0  # a fresh queue


def test_remove_queue_open_in_another_process_raises(qpath):
    child = subprocess.Popen([sys.executable, os.path.join(HELPERS, "hold_queue.py"), qpath,
                              "blocking"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(rocksq.AlreadyOpenError):
            rocksq.remove_queue(qpath)
        assert os.path.exists(os.path.join(qpath, "CURRENT"))
    finally:
        child.stdin.close()
        child.wait(timeout=60)
    rocksq.remove_queue(qpath)
    assert not os.path.exists(qpath)


def test_remove_queue_refuses_what_is_not_a_queue(tmp_path):
    regular = tmp_path / "file"
    regular.write_bytes(b"keep")
    with pytest.raises(rocksq.RocksqError, match="not a queue"):
        rocksq.remove_queue(str(regular))
    other = tmp_path / "dir"
    other.mkdir()
    (other / "precious").write_bytes(b"keep")
    with pytest.raises(rocksq.RocksqError, match="not a queue"):
        rocksq.remove_queue(other)
    assert regular.read_bytes() == b"keep" and (other / "precious").read_bytes() == b"keep"
    with pytest.raises(TypeError, match="path"):
        rocksq.remove_queue(None)
    with pytest.raises(ValueError, match="path"):
        rocksq.remove_queue("")


def test_version_and_start_position():
    assert rocksq.version() == rocksq.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", rocksq.version())
    oldest, newest = rocksq.StartPosition.Oldest, rocksq.StartPosition.Newest
    assert oldest != newest and oldest.name == "Oldest" and newest.name == "Newest"
    assert {oldest: 1, newest: 2}[newest] == 2
    assert rocksq.StartPosition.Oldest == oldest


def test_blocking_is_empty(qpath):
    q = blocking.PersistentQueueWithCapacity(qpath)
    assert q.is_empty
    q.push([b"a"])
    assert not q.is_empty
    q.pop()
    assert q.is_empty


def test_constructor_arguments_by_keyword(qpath):
    q = nonblocking.PersistentQueueWithCapacity(path=qpath, max_elements=2, max_inflight_ops=3,
                                                durable=True)
    q.push(items=[b"a", b"b"]).get()
    with pytest.raises(rocksq.QueueFullError):
        q.push([b"c"]).get()
    assert q.pop(max_elements=5).get().data == [b"a", b"b"]
    q.close()
    b = blocking.PersistentQueueWithCapacity(path=qpath, max_elements=1, durable=True)
    b.push(items=[b"x"])
    assert b.pop(max_elements=1) == [b"x"]
