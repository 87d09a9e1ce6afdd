"""Typed use of the public API: mypy --strict checks this file against the
stubs (tools/typecheck.sh) and pytest runs it, so each assert_type below is
both a static and a runtime claim."""

import asyncio
import pathlib
from typing import List, Optional, Tuple

from typing_extensions import assert_type

import rocksq
from rocksq import blocking, nonblocking


def test_nonblocking_fifo_types(tmp_path: pathlib.Path) -> None:
    with nonblocking.PersistentQueueWithCapacity(tmp_path / "q", 10, 100, durable=False) as q:
        assert_type(q, nonblocking.PersistentQueueWithCapacity)
        push = q.push([b"a", bytearray(b"b"), memoryview(b"c")])
        assert_type(push, nonblocking.Response)
        assert_type(push.get(timeout=5.0), nonblocking.ResponseVariant)
        assert_type(push.is_ready, bool)
        popped = q.pop(max_elements=2, no_gil=True).get()
        assert_type(popped.data, Optional[List[bytes]])
        assert popped.data == [b"a", b"b"]
        length = q.len.try_get()
        assert_type(length, Optional[nonblocking.ResponseVariant])
        assert_type(q.payload_size.get().size, Optional[int])
        assert_type(q.disk_size.get().size, Optional[int])
        assert_type(q.inflight_ops, int)


def test_awaited_fifo_types(tmp_path: pathlib.Path) -> None:
    async def main() -> Optional[List[bytes]]:
        q = nonblocking.PersistentQueueWithCapacity(str(tmp_path / "q"))
        await q.push([b"x"])
        variant = await q.pop(10)
        assert_type(variant, nonblocking.ResponseVariant)
        q.close()
        return variant.data

    assert asyncio.run(main()) == [b"x"]


def test_blocking_fifo_types(tmp_path: pathlib.Path) -> None:
    with blocking.PersistentQueueWithCapacity(str(tmp_path / "q"), durable=True) as q:
        q.push((b"a",))
        assert_type(q.pop(1), List[bytes])
        assert_type(q.len, int)
        assert_type(q.is_empty, bool)
        assert_type(q.payload_size, int)
        assert_type(q.disk_size, int)


def test_lease_types(tmp_path: pathlib.Path) -> None:
    with nonblocking.PersistentQueueWithCapacity(tmp_path / "q") as q:
        q.push([b"a", b"b"]).get()
        variant = q.reserve(1, lease_seconds=5.0, timeout=None).get()
        assert_type(variant.data, Optional[List[bytes]])
        assert_type(variant.lease, Optional[int])
        assert_type(variant.deliveries, Optional[int])
        assert variant.lease is not None
        assert_type(q.ack(variant.lease), nonblocking.Response)
        assert_type(q.reserved.get().len, Optional[int])
    with blocking.PersistentQueueWithCapacity(tmp_path / "q") as b:
        r = b.reserve(2)
        assert_type(r, rocksq.Reservation)
        assert_type(r.data, List[bytes])
        assert_type(r.lease, Optional[int])
        assert_type(r.deliveries, int)
        assert r.data == [b"b"] and r.lease is not None
        assert_type(b.release(r.lease), None)
        assert_type(b.reserved, int)


def test_mpmc_types(tmp_path: pathlib.Path) -> None:
    with nonblocking.MpmcQueue(tmp_path / "log", ttl=60, max_inflight_ops=10) as q:
        assert_type(q.add([b"a"]), nonblocking.MpmcResponse)
        data = q.next("reader", rocksq.StartPosition.Oldest, max_elements=5).get().data
        assert_type(data, Optional[Tuple[List[bytes], bool]])
        assert data == ([b"a"], False)
        assert_type(q.labels.get().labels, Optional[List[str]])
        assert_type(q.remove_label("reader").get().removed_label, Optional[bool])
        assert_type(q.len.try_get(), Optional[nonblocking.MpmcResponseVariant])

        async def awaited() -> Optional[int]:
            variant = await q.len
            assert_type(variant, nonblocking.MpmcResponseVariant)
            return variant.len

        assert asyncio.run(awaited()) == 1
    with blocking.MpmcQueue(str(tmp_path / "blocking-log"), 60, durable=False) as bq:
        bq.add([b"x"])
        assert_type(bq.next("r", rocksq.StartPosition.Newest), Tuple[List[bytes], bool])
        assert_type(bq.labels, List[str])
        assert_type(bq.remove_label("r"), bool)
        assert_type(bq.len, int)
        assert_type(bq.is_empty, bool)


def test_exceptions_are_runtime_errors() -> None:
    errors: List[type] = [
        rocksq.RocksqError,
        rocksq.QueueFullError,
        rocksq.QueueClosedError,
        rocksq.AlreadyOpenError,
        rocksq.CorruptionError,
        rocksq.DiskFullError,
    ]
    assert all(issubclass(e, RuntimeError) for e in errors)
    assert_type(rocksq.version(), str)
    assert_type(rocksq.__version__, str)
