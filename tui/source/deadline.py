"""Hard deadlines on calls into the ODBC driver, which may never return on their own.

A driver's own timeouts are not enough: FreeTDS, talking to a server that accepts the TCP
connection and never answers, ignores its login timeout and blocks for minutes; a network
that drops silently leaves a statement waiting forever. So each blocking driver call runs
in a daemon thread, and the caller waits for it with a deadline. The caller gives up —
leaving the daemon thread to finish, or not, on its own — when

* the deadline passes (``timed_out()`` says what to report),
* the caller is cancelled: inside ``with cancelled_by(event):`` (a worker's cancel event),
  setting the event ends the wait within a few hundredths of a second,
* the app shuts down: ``abandon_all()`` ends every wait at once.

A daemon thread never keeps the process alive, so quitting never waits for a hung driver.
When a call finishes after it was given up on, ``late(value)`` runs in its thread (the value
is None if the call failed): that is where a connection that arrived too late is closed.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tui.source.errors import SourceError, SourceErrorKind

log = logging.getLogger(__name__)

T = TypeVar("T")

MARGIN = 1.0  # seconds past the driver's own timeout before the app gives up itself
POLL = 0.05  # how often a wait looks at its cancel event

_cancel: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "dms_tui_source_cancel", default=None
)
_lock = threading.Lock()
_waiting: set[_Call] = set()


class GaveUp(SourceError):
    """The app stopped waiting for a call; the call may still be running in the driver."""


class TimedOut(GaveUp):
    """The call's deadline passed."""


class Abandoned(GaveUp):
    """The wait was cancelled (Esc, a newer attempt, the screen closing, the app quitting)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Stopped waiting for {what}.", kind=SourceErrorKind.CANCELLED)


@contextmanager
def cancelled_by(event: threading.Event) -> Iterator[None]:
    """Calls made inside the block (and by the threads they start) end when ``event`` is set."""
    token = _cancel.set(event)
    try:
        yield
    finally:
        _cancel.reset(token)


def abandon_all() -> int:
    """End every wait in progress (the app is quitting); returns how many there were."""
    with _lock:
        calls = list(_waiting)
    for c in calls:
        c.abandon()
    return len(calls)


def waiting() -> int:
    """How many calls are being waited for right now."""
    with _lock:
        return len(_waiting)


class _Call:
    def __init__(self, fn: Callable[[], Any], late: Callable[[Any], None] | None) -> None:
        self.fn = fn
        self.late = late
        self.wake = threading.Event()  # the call finished, or the wait was abandoned
        self.lock = threading.Lock()
        self.finished = False
        self.given_up = False
        self.abandoned = False
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        value, error = None, None
        try:
            value = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            error = exc
        with self.lock:
            self.finished = True
            self.value, self.error = value, error
            late = self.given_up
        self.wake.set()
        if late and self.late is not None:
            try:
                self.late(value)
            except Exception:  # noqa: BLE001 - best effort, nobody is waiting any more
                log.debug("clean-up after an abandoned SQL Server call failed", exc_info=True)

    def abandon(self) -> None:
        self.abandoned = True
        self.wake.set()

    def give_up(self) -> bool:
        """Stop waiting; False when the result arrived first (then it is used)."""
        with self.lock:
            if self.finished:
                return False
            self.given_up = True
            return True


def call(
    fn: Callable[[], T],
    *,
    seconds: float | None,
    what: str,
    timed_out: Callable[[], GaveUp] | None = None,
    late: Callable[[Any], None] | None = None,
) -> T:
    """``fn()`` in a daemon thread; its result or error, unless the wait ends first.

    ``seconds`` None (or 0) waits without a deadline — still ended by a cancel or by
    ``abandon_all``. Raises ``timed_out()`` when the deadline passes (a ``TimedOut`` naming
    ``what`` by default) and ``Abandoned`` when cancelled.
    """
    cancel = _cancel.get()
    if cancel is not None and cancel.is_set():
        raise Abandoned(what)
    c = _Call(fn, late)
    with _lock:
        _waiting.add(c)
    try:
        thread = threading.Thread(
            target=contextvars.copy_context().run,
            args=(c.run,),
            name=f"dms-tui-sql: {what}"[:60],
            daemon=True,
        )
        thread.start()
        reason = _wait(c, seconds, cancel)
    finally:
        with _lock:
            _waiting.discard(c)
    if reason and c.give_up():
        if reason == "timeout":
            raise (
                timed_out()
                if timed_out
                else TimedOut(
                    f"No answer from SQL Server within {seconds:g} seconds while {what}.",
                    kind=SourceErrorKind.TIMEOUT,
                )
            )
        raise Abandoned(what)
    if c.error is not None:
        raise c.error
    return c.value


def _wait(c: _Call, seconds: float | None, cancel: threading.Event | None) -> str:
    """'' when the call finished, else why the wait ended: 'timeout' or 'cancelled'."""
    end = time.monotonic() + seconds if seconds else None
    while True:
        remaining = None if end is None else end - time.monotonic()
        if remaining is not None and remaining <= 0:
            return "timeout"
        step = remaining if cancel is None else min(remaining or POLL, POLL)
        if c.wake.wait(step):
            return "cancelled" if c.abandoned and not c.finished else ""
        if cancel is not None and cancel.is_set():
            return "cancelled"
