"""rocksq: embedded persistent queues on RocksDB.

Two queues, each in a non-blocking flavour (``rocksq.nonblocking``: every call
returns a future-like ``Response``) and a blocking one (``rocksq.blocking``):

- ``PersistentQueueWithCapacity``: a FIFO queue bounded by ``max_elements``.
- ``MpmcQueue``: an append-only log with a TTL, read by any number of
  consumers, each named by a label with its own durable cursor.
"""

import sys as _sys

from . import _rocksq
from ._rocksq import (
    AlreadyOpenError,
    CorruptionError,
    DiskFullError,
    LeaseError,
    OperationInterrupted,
    OwnerLostError,
    QueueClosedError,
    QueueFullError,
    Reservation,
    RocksqError,
    StartPosition,
    remove_mpmc_queue,
    remove_queue,
    version,
)
from . import _asyncio, _signatures

# The exceptions are defined by the extension; they are rocksq's.
for _error in (AlreadyOpenError, CorruptionError, DiskFullError, LeaseError,
               OperationInterrupted, OwnerLostError, QueueClosedError, QueueFullError,
               RocksqError):
    _error.__module__ = __name__

_signatures.install(
    [_rocksq.nonblocking.PersistentQueueWithCapacity, _rocksq.nonblocking.MpmcQueue,
     _rocksq.nonblocking.Response, _rocksq.nonblocking.MpmcResponse,
     _rocksq.blocking.PersistentQueueWithCapacity, _rocksq.blocking.MpmcQueue],
    _sys.modules[__name__], ["remove_mpmc_queue", "remove_queue", "version"])
_asyncio.install(_rocksq.nonblocking.Response, _rocksq.nonblocking.MpmcResponse)

from . import blocking, nonblocking  # noqa: E402

__version__: str = version()

__all__ = [
    "AlreadyOpenError",
    "CorruptionError",
    "DiskFullError",
    "LeaseError",
    "OperationInterrupted",
    "OwnerLostError",
    "QueueClosedError",
    "QueueFullError",
    "Reservation",
    "RocksqError",
    "StartPosition",
    "blocking",
    "nonblocking",
    "remove_mpmc_queue",
    "remove_queue",
    "version",
]
