"""A tour of rocksq: a FIFO queue and an MPMC log, blocking and non-blocking."""

import tempfile
from pathlib import Path

import rocksq
from rocksq import blocking, nonblocking


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)

        # Non-blocking FIFO: every call returns a Response; get() waits for it.
        q = nonblocking.PersistentQueueWithCapacity(root / "fifo", max_elements=1000)
        pushes = [q.push([f"job-{i}".encode()]) for i in range(5)]
        for r in pushes:
            r.get()
        print("fifo len:", q.len.get().len, "payload bytes:", q.payload_size.get().size)
        print("popped:", q.pop(max_elements=3).get().data)
        q.close()

        # Reopen with the blocking API: the remaining items are still there.
        with blocking.PersistentQueueWithCapacity(root / "fifo") as bq:
            print("after reopen:", bq.pop(10))

        # A full queue refuses a push instead of dropping it.
        small = blocking.PersistentQueueWithCapacity(root / "small", max_elements=2)
        small.push([b"a", b"b"])
        try:
            small.push([b"c"])
        except rocksq.QueueFullError as e:
            print("refused:", e)
        small.close()

        # MPMC log: two consumers read the same elements, each at its own pace.
        log = nonblocking.MpmcQueue(root / "log", ttl=60)
        log.add([b"e1", b"e2", b"e3"]).get()
        for label in ("billing", "audit"):
            data = log.next(label, rocksq.StartPosition.Oldest, max_elements=2).get().data
            assert data is not None
            items, expired = data
            print(f"{label} read {items} (expired before reading: {expired})")
        print("labels:", log.labels.get().labels, "len:", log.len.get().len)
        log.close()

    print("rocksq", rocksq.__version__)


if __name__ == "__main__":
    main()
