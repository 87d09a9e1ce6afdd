"""rocksq: embedded persistent queues on RocksDB.

Two queues, each in a non-blocking flavour (``rocksq.nonblocking``: every call
returns a future-like ``Response``) and a blocking one (``rocksq.blocking``):

- ``PersistentQueueWithCapacity``: a FIFO queue bounded by ``max_elements``.
- ``MpmcQueue``: an append-only log with a TTL, read by any number of
  consumers, each named by a label with its own durable cursor.
"""

from ._rocksq import (
    AlreadyOpenError,
    CorruptionError,
    QueueClosedError,
    QueueFullError,
    RocksqError,
    StartPosition,
    remove_mpmc_queue,
    remove_queue,
    version,
)
from . import blocking, nonblocking
from . import _asyncio

_asyncio.install(nonblocking.Response, nonblocking.MpmcResponse)

__version__: str = version()

__all__ = [
    "AlreadyOpenError",
    "CorruptionError",
    "QueueClosedError",
    "QueueFullError",
    "RocksqError",
    "StartPosition",
    "blocking",
    "nonblocking",
    "remove_mpmc_queue",
    "remove_queue",
    "version",
]
