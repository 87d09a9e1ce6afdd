"""The FIFO queue end to end, both flavours."""

import pytest

import rocksq
from rocksq import blocking, nonblocking


def test_push_pop_roundtrip_nonblocking(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    assert q.push([b"a", bytearray(b"b"), memoryview(b"c")]).get().data is None
    assert q.len.get().len == 3
    assert q.payload_size.get().size == 3
    assert q.pop(max_elements=2).get().data == [b"a", b"b"]
    assert q.pop().get().data == [b"c"]
    assert q.pop().get().data == []
    assert q.inflight_ops == 0


def test_blocking_mirrors_nonblocking(tmp_path):
    """The same calls on both flavours give the same results (the
    non-blocking ones inside their Response's variant)."""
    b = blocking.PersistentQueueWithCapacity(str(tmp_path / "b"), max_elements=3)
    n = nonblocking.PersistentQueueWithCapacity(str(tmp_path / "n"), max_elements=3)

    def both(call, field):
        try:
            got_b = ("ok", call(b))
        except rocksq.RocksqError as e:
            got_b = ("error", type(e))
        try:
            got_n = ("ok", getattr(call(n).get(), field) if field else call(n).get() and None)
        except rocksq.RocksqError as e:
            got_n = ("error", type(e))
        assert got_b == got_n, (got_b, got_n)
        return got_b

    assert both(lambda q: q.push([b"x", b"yy"]), None) == ("ok", None)
    assert both(lambda q: q.push([b"1", b"2"]), None) == ("error", rocksq.QueueFullError)
    assert both(lambda q: q.len, "len") == ("ok", 2)
    assert both(lambda q: q.payload_size, "size") == ("ok", 3)
    assert both(lambda q: q.peek(1), "data") == ("ok", [b"x"])
    assert both(lambda q: q.pop(5), "data") == ("ok", [b"x", b"yy"])
    assert both(lambda q: q.pop(5), "data") == ("ok", [])
    assert both(lambda q: q.len, "len") == ("ok", 0)
    assert b.is_empty
    assert b.disk_size > 0 and n.disk_size.get().size > 0


def test_full_queue_raises_and_keeps_data(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_elements=2)
    q.push([b"1"]).get()
    with pytest.raises(rocksq.QueueFullError):
        q.push([b"2", b"3"]).get()
    assert q.len.get().len == 1
    assert isinstance(rocksq.QueueFullError("x"), RuntimeError)


def test_persists_across_reopen(qpath):
    with nonblocking.PersistentQueueWithCapacity(qpath) as q:
        q.push([b"a", b"b", b"c"]).get()
        q.pop().get()
    with blocking.PersistentQueueWithCapacity(qpath) as q:
        assert q.len == 2
        assert q.pop(10) == [b"b", b"c"]


def test_closed_queue_raises(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.close()
    with pytest.raises(RuntimeError, match="closed"):
        q.push([b"a"])


def test_bad_items_raise_type_error(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    for bad in (b"abc", "abc", None, [u"text"], [1], [[b"nested"]]):
        with pytest.raises(TypeError, match="items"):
            q.push(bad)
    assert q.inflight_ops == 0
    assert q.len.get().len == 0


def test_version_and_start_position():
    assert rocksq.version() == rocksq.__version__
    assert rocksq.StartPosition.Oldest.name == "Oldest"
    assert {rocksq.StartPosition.Oldest: 1}[rocksq.StartPosition.Oldest] == 1
