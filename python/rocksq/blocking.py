"""Blocking queues: every method returns its result."""

from ._rocksq import blocking as _native

PersistentQueueWithCapacity = _native.PersistentQueueWithCapacity

__all__ = [
    "PersistentQueueWithCapacity",
]
