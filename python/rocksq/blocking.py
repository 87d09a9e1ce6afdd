"""Blocking queues: every method returns its result."""

from ._rocksq import blocking as _native

MpmcQueue = _native.MpmcQueue
PersistentQueueWithCapacity = _native.PersistentQueueWithCapacity

__all__ = [
    "MpmcQueue",
    "PersistentQueueWithCapacity",
]
