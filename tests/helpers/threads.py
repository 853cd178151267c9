"""Threads a test leaves behind: what the autouse guard in tests/conftest.py checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

# How long the threads a test started get to end after it (a bounded join, not a sleep):
# a worker finishing its last answer, a poller seeing its resource gone. Generous, for a
# busy machine; a thread that ends sooner costs nothing.
JOIN_SECONDS = 10.0


def started_since(before: Iterable[threading.Thread]) -> list[threading.Thread]:
    """Threads alive now that were not in ``before``."""
    known = {id(t) for t in before}
    return [t for t in threading.enumerate() if id(t) not in known and t.is_alive()]


def left_running(
    before: Iterable[threading.Thread], timeout: float = JOIN_SECONDS
) -> list[threading.Thread]:
    """The threads started since ``before`` that are still alive after joining each of
    them, all within ``timeout`` seconds together."""
    before = list(before)
    end = time.monotonic() + timeout
    for thread in started_since(before):
        thread.join(max(0.0, end - time.monotonic()))
    return started_since(before)


def describe(threads: Iterable[threading.Thread]) -> str:
    return ", ".join(f"{t.name!r} (daemon={t.daemon})" for t in threads)
