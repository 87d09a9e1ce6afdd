"""asyncio support: ``await response`` for every Response and MpmcResponse.

How it works.  Each event loop that awaits gets one ``_LoopWaiters``: an
eventfd (``rocksq._rocksq._AsyncSignal``) watched with ``loop.add_reader`` and
the list of pending awaits.  Every nonblocking queue's worker thread, after
it has published the results of a group of operations, writes once to each
*armed* signal; the loop then resolves the awaits whose Response is ready.
No thread is spent per await, the worker never takes the GIL, and nothing is
written while nobody awaits.

Cancellation.  An operation is submitted when the queue method is called,
not when it is awaited; cancelling the awaiting task does not undo it.  A
``pop``/``next`` whose awaiter was cancelled still removes (or reads) its
items, and they stay available from the Response object: keep a reference
to it and call ``get()`` (or await it again) to recover them.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Generator, List, Tuple

from ._rocksq import _AsyncSignal

__all__ = ["response_await", "install"]


class _LoopWaiters:
    """The awaits pending on one event loop and the signal that wakes it."""

    __slots__ = ("_signal", "_pending", "_concurrent", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._signal = _AsyncSignal()
        self._pending: List[Tuple[Any, "asyncio.Future[None]"]] = []
        # Whether the last wake-up resolved several awaits (tasks in flight).
        self._concurrent = False
        loop.add_reader(self._signal.fileno(), self._on_signal)

    def wait(self, loop: asyncio.AbstractEventLoop, response: Any) -> "asyncio.Future[None]":
        """A future resolved (with None) once response is ready."""
        future: asyncio.Future[None] = loop.create_future()
        future.add_done_callback(self._on_done)
        self._pending.append((response, future))
        self._signal.arm()
        # A group completed before arm() wrote nothing: look once more.
        if response.is_ready:
            self._resolve_ready()
        return future

    def is_alone(self) -> bool:
        """True if no other await is pending nor was resolved with the last one."""
        return not self._pending and not self._concurrent

    def _on_signal(self) -> None:
        self._signal.drain()
        self._signal.arm()  # before looking, so no completion goes unseen
        self._resolve_ready()
        if not self._pending:
            self._signal.disarm()

    def _resolve_ready(self) -> None:
        self._concurrent = len(self._pending) > 1
        still_pending = []
        for response, future in self._pending:
            if future.done():  # the awaiting task was cancelled
                continue
            if response.is_ready:
                future.set_result(None)
            else:
                still_pending.append((response, future))
        self._pending = still_pending

    def _on_done(self, future: "asyncio.Future[None]") -> None:
        # A cancelled await must not stay pending: its future holds the loop,
        # which would then never be collected (nor its eventfd closed).
        if future.cancelled():
            self._pending = [(r, f) for r, f in self._pending if not f.done()]
            if not self._pending:
                self._signal.disarm()

    def close(self) -> None:
        self._signal.close()


# One _LoopWaiters per live loop; it dies (closing its eventfd) with the loop.
_waiters: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopWaiters]" = (
    weakref.WeakKeyDictionary()
)


# The last loop seen and its waiters: skips the dictionary on the hot path.
_last: Tuple[Any, Any] = (None, None)


def _loop_waiters(loop: asyncio.AbstractEventLoop) -> _LoopWaiters:
    global _last
    last_loop_ref, last_waiters = _last
    if last_loop_ref is not None and last_loop_ref() is loop:
        return last_waiters  # type: ignore[no-any-return]
    waiters = _waiters.get(loop)
    if waiters is None:
        waiters = _LoopWaiters(loop)
        _waiters[loop] = waiters
        weakref.finalize(loop, waiters.close)  # the eventfd dies with the loop
    _last = (weakref.ref(loop), waiters)
    return waiters


def response_await(self: Any) -> Generator[Any, None, Any]:
    """Waits for the result without blocking the event loop and returns it.

    ``await response`` suspends the awaiting task until the operation has
    completed, then returns ``response.get()`` (raising the operation's error,
    if any).  Awaiting again returns the same object.  Cancelling the
    awaiting task does not cancel the operation: its result stays available
    from this Response.
    """
    if not self.is_ready:
        loop = asyncio.get_running_loop()
        waiters = _loop_waiters(loop)
        if waiters.is_alone():
            # A lone await: the operation most likely completes within
            # microseconds, sooner than a wake-up through the event loop's
            # selector, so wait for it (at most 50 us) first.  With other tasks
            # awaiting too, the loop has work to do meanwhile (and their
            # operations join the same group commit).
            if self._ready_soon():
                return self.get()
        yield from waiters.wait(loop, self)
    return self.get()


def install(*response_types: type) -> None:
    """Makes instances of response_types awaitable."""
    for response_type in response_types:
        setattr(response_type, "__await__", response_await)
