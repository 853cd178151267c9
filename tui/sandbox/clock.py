"""Simulated time for the sandbox.

Two clocks share one interface: ``now()`` gives simulated seconds since the Unix epoch and
``sleep(seconds)`` is what the Azure SDK's pollers and retry policy call between requests
(through the transport).

* ``ManualClock``: time moves only with ``advance``. ``sleep`` waits a few real milliseconds
  whatever was asked (a poller re-checks quickly; it sees progress once the test advances time).
* ``RealClock``: wall-clock time, optionally accelerated by ``speed``; ``sleep`` really sleeps.

Both can be held at a given moment (``hold(t)``) and let go (``resume()``): a saved world is
rebuilt by replaying what happened at the moments it happened (``tui.sandbox.journal``).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

# The seeded world starts on this (simulated) morning.
MANUAL_POLL_SECONDS = 0.02

EPOCH = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC).timestamp()


class ManualClock:
    manual = True

    def __init__(self, start: float = EPOCH):
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        with self._lock:
            self._now += float(seconds)
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(min(float(seconds), MANUAL_POLL_SECONDS))

    def hold(self, at: float) -> None:
        """Simulated time is ``at`` (earlier or later) until time is advanced again."""
        with self._lock:
            self._now = float(at)

    def resume(self) -> None:
        """A manual clock moves only with ``advance``: nothing to let go."""

    def real_seconds(self, simulated: float) -> float:
        """How long a client should wait (``Retry-After``) for ``simulated`` seconds to pass."""
        return simulated


class RealClock:
    manual = False

    def __init__(self, speed: float = 1.0, start: float | None = None):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = float(speed)
        self._start = EPOCH if start is None else float(start)
        self._t0 = time.monotonic()
        self._offset = 0.0
        self._held: float | None = None
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            if self._held is not None:
                return self._held
            return self._start + self._offset + (time.monotonic() - self._t0) * self.speed

    def hold(self, at: float) -> None:
        """Simulated time stands still at ``at`` until :meth:`resume`."""
        with self._lock:
            self._held = float(at)

    def resume(self) -> None:
        """Time runs on from where it was held."""
        with self._lock:
            if self._held is None:
                return
            self._start, self._offset, self._t0 = self._held, 0.0, time.monotonic()
            self._held = None

    def advance(self, seconds: float) -> float:
        """Jump ahead (on top of the running wall clock)."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        with self._lock:
            if self._held is not None:
                self._held += float(seconds)
            else:
                self._offset += float(seconds)
        return self.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def real_seconds(self, simulated: float) -> float:
        return simulated / self.speed


def iso(ts: float | None) -> str | None:
    """ARM's timestamp format (UTC, 'Z', 7 fractional digits trimmed to microseconds)."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_datetime(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)
