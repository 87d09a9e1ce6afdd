"""rocksq: embedded persistent queues on RocksDB."""

from . import blocking as blocking
from . import nonblocking as nonblocking
from ._rocksq import (
    AlreadyOpenError as AlreadyOpenError,
    CorruptionError as CorruptionError,
    QueueClosedError as QueueClosedError,
    QueueFullError as QueueFullError,
    RocksqError as RocksqError,
    StartPosition as StartPosition,
    remove_mpmc_queue as remove_mpmc_queue,
    remove_queue as remove_queue,
    version as version,
)

__version__: str

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
