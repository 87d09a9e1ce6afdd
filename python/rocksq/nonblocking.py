"""Non-blocking queues: every method returns a future-like ``Response`` at once."""

from ._rocksq import nonblocking as _native

MpmcQueue = _native.MpmcQueue
MpmcResponse = _native.MpmcResponse
MpmcResponseVariant = _native.MpmcResponseVariant
PersistentQueueWithCapacity = _native.PersistentQueueWithCapacity
Response = _native.Response
ResponseVariant = _native.ResponseVariant

__all__ = [
    "MpmcQueue",
    "MpmcResponse",
    "MpmcResponseVariant",
    "PersistentQueueWithCapacity",
    "Response",
    "ResponseVariant",
]
