"""Non-blocking queues: every method returns a future-like ``Response`` at once."""

from types import TracebackType
from typing import Any, Generator, List, Optional, Tuple, Type

from typing_extensions import Self, disjoint_base, final

from . import StartPosition
from ._rocksq import _Items, _NanobindType, _StrPath

__all__ = [
    "MpmcQueue",
    "MpmcResponse",
    "MpmcResponseVariant",
    "PersistentQueueWithCapacity",
    "Response",
    "ResponseVariant",
]

@final
class ResponseVariant(metaclass=_NanobindType):
    """The result of a PersistentQueueWithCapacity operation."""

    @property
    def data(self) -> Optional[List[bytes]]: ...
    @property
    def len(self) -> Optional[int]: ...
    @property
    def size(self) -> Optional[int]: ...

@final
class Response(metaclass=_NanobindType):
    """The future-like result of one PersistentQueueWithCapacity operation."""

    def get(self, timeout: Optional[float] = None) -> ResponseVariant: ...
    def try_get(self) -> Optional[ResponseVariant]: ...
    @property
    def is_ready(self) -> bool: ...
    def __await__(self) -> Generator[Any, None, ResponseVariant]: ...

@disjoint_base
class PersistentQueueWithCapacity(metaclass=_NanobindType):
    """A persistent FIFO queue with a fixed capacity (non-blocking)."""

    def __init__(
        self,
        path: _StrPath,
        max_elements: int = 1_000_000_000,
        max_inflight_ops: int = 1000,
        *,
        durable: bool = False,
        memory_cache_bytes: int = 16777216,
    ) -> None: ...
    def push(self, items: _Items, no_gil: bool = True) -> Response: ...
    def pop(self, max_elements: int = 1, no_gil: bool = True) -> Response: ...
    @property
    def len(self) -> Response: ...
    @property
    def payload_size(self) -> Response: ...
    @property
    def disk_size(self) -> Response: ...
    @property
    def inflight_ops(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...

@final
class MpmcResponseVariant(metaclass=_NanobindType):
    """The result of an MpmcQueue operation."""

    @property
    def data(self) -> Optional[Tuple[List[bytes], bool]]: ...
    @property
    def labels(self) -> Optional[List[str]]: ...
    @property
    def len(self) -> Optional[int]: ...
    @property
    def removed_label(self) -> Optional[bool]: ...
    @property
    def size(self) -> Optional[int]: ...

@final
class MpmcResponse(metaclass=_NanobindType):
    """The future-like result of one MpmcQueue operation."""

    def get(self, timeout: Optional[float] = None) -> MpmcResponseVariant: ...
    def try_get(self) -> Optional[MpmcResponseVariant]: ...
    @property
    def is_ready(self) -> bool: ...
    def __await__(self) -> Generator[Any, None, MpmcResponseVariant]: ...

@disjoint_base
class MpmcQueue(metaclass=_NanobindType):
    """A persistent log with a TTL read by labelled consumers (non-blocking)."""

    def __init__(
        self,
        path: _StrPath,
        ttl: int,
        max_inflight_ops: int = 1000,
        *,
        durable: bool = False,
        memory_cache_bytes: int = 16777216,
    ) -> None: ...
    def add(self, items: _Items, no_gil: bool = True) -> MpmcResponse: ...
    def next(
        self,
        label: str,
        start_position: StartPosition,
        max_elements: int = 1,
        no_gil: bool = True,
    ) -> MpmcResponse: ...
    def remove_label(self, label: str, no_gil: bool = True) -> MpmcResponse: ...
    @property
    def labels(self) -> MpmcResponse: ...
    @property
    def len(self) -> MpmcResponse: ...
    @property
    def payload_size(self) -> MpmcResponse: ...
    @property
    def disk_size(self) -> MpmcResponse: ...
    @property
    def inflight_ops(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
