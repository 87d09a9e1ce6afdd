"""Blocking queues: every method returns its result."""

from types import TracebackType
from typing import List, Optional, Tuple, Type

from typing_extensions import Self, disjoint_base

from . import StartPosition
from ._rocksq import _Items, _NanobindType, _StrPath

__all__ = [
    "MpmcQueue",
    "PersistentQueueWithCapacity",
]

@disjoint_base
class PersistentQueueWithCapacity(metaclass=_NanobindType):
    """A persistent FIFO queue with a fixed capacity (blocking)."""

    def __init__(
        self,
        path: _StrPath,
        max_elements: int = 1_000_000_000,
        *,
        durable: bool = False,
        memory_cache_bytes: int = 16777216,
    ) -> None: ...
    def push(self, items: _Items, no_gil: bool = True) -> None: ...
    def pop(self, max_elements: int = 1, no_gil: bool = True) -> List[bytes]: ...
    @property
    def len(self) -> int: ...
    @property
    def is_empty(self) -> bool: ...
    @property
    def payload_size(self) -> int: ...
    @property
    def disk_size(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...

@disjoint_base
class MpmcQueue(metaclass=_NanobindType):
    """A persistent log with a TTL read by labelled consumers (blocking)."""

    def __init__(
        self, path: _StrPath, ttl: int, *, durable: bool = False, memory_cache_bytes: int = 16777216
    ) -> None: ...
    def add(self, items: _Items, no_gil: bool = True) -> None: ...
    def next(
        self,
        label: str,
        start_position: StartPosition,
        max_elements: int = 1,
        no_gil: bool = True,
    ) -> Tuple[List[bytes], bool]: ...
    def remove_label(self, label: str, no_gil: bool = True) -> bool: ...
    @property
    def labels(self) -> List[str]: ...
    @property
    def len(self) -> int: ...
    @property
    def is_empty(self) -> bool: ...
    @property
    def payload_size(self) -> int: ...
    @property
    def disk_size(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
