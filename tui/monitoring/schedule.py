"""When the next refresh may start: the interval, a pause, at most one fetch in flight, and a
growing back-off after failures (longer when Azure throttles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui.errors import DmsTuiError
from tui.monitoring.fmt import fmt_duration


@dataclass
class PollSchedule:
    """When the next refresh may start. Owned by one screen; not thread-safe (UI thread)."""

    interval: float = 5.0
    max_backoff: float = 120.0
    paused: bool = False
    in_flight: bool = False
    failures: int = 0
    throttled: bool = False
    last_ok: datetime | None = None
    last_error: DmsTuiError | None = None
    backoff: float = 0.0  # the delay in force after the last failure, 0 when none

    def can_start(self) -> bool:
        return not self.paused and not self.in_flight

    def started(self) -> None:
        self.in_flight = True

    def succeeded(self, when: datetime) -> float:
        self.in_flight = False
        self.failures = 0
        self.throttled = False
        self.backoff = 0.0
        self.last_error = None
        self.last_ok = when
        return self.interval

    def failed(self, error: DmsTuiError) -> float:
        """Record a failed refresh; the delay before the next try (doubles, capped)."""
        self.in_flight = False
        self.failures += 1
        self.last_error = error
        self.throttled = error.status == 429 or "toomanyrequests" in (error.code or "").lower()
        base = self.interval * (4 if self.throttled else 2)
        self.backoff = min(self.max_backoff, base * (2 ** (self.failures - 1)))
        return self.backoff

    def status_text(self) -> str:
        parts = []
        if self.last_ok is not None:
            # to the minute: a time in seconds would rewrite the line every refresh, bytes on
            # a slow link for nothing when nothing else changed
            parts.append(f"Last refresh {self.last_ok:%H:%M}")
        else:
            parts.append("Not refreshed yet")
        if self.paused:
            parts.append("PAUSED (p to resume)")
        elif self.in_flight:
            parts.append("refreshing…")
        if self.last_error is not None:
            why = "Azure is throttling" if self.throttled else "refresh failed"
            parts.append(
                f"{why}: backing off {fmt_duration(self.backoff)} (try {self.failures + 1})"
            )
        return " · ".join(parts)
