"""Non-blocking queues: every method returns a future-like ``Response`` at once."""

from ._rocksq import nonblocking as _native

PersistentQueueWithCapacity = _native.PersistentQueueWithCapacity
Response = _native.Response
ResponseVariant = _native.ResponseVariant

__all__ = [
    "PersistentQueueWithCapacity",
    "Response",
    "ResponseVariant",
]
