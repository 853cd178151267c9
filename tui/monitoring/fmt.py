"""Text for the monitor: sizes, durations, times, progress bars; and the terminal width from
which every column shows."""

from __future__ import annotations

from datetime import UTC, datetime

# Below this many columns the compact layouts apply (an 80x24 jump-box terminal).
WIDE = 100


def fmt_bytes(n: float | int | None) -> str:
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(value) < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover


def fmt_duration(seconds: float | int | None) -> str:
    if seconds is None:
        return "—"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def fmt_time(when: datetime | None) -> str:
    if when is None:
        return "—"
    return when.astimezone(UTC).strftime("%m-%d %H:%M")


def fmt_clock(when: datetime | None) -> str:
    """A time of this session (UTC, seconds); blank when not observed."""
    if when is None:
        return ""
    return when.astimezone(UTC).strftime("%H:%M:%S")


def bar(percent: float, width: int = 10) -> str:
    """A text progress bar that reads on any terminal: ``█████░░░░░ 52%``."""
    p = max(0.0, min(100.0, percent))
    full = int(round(p / 100 * width))
    return "█" * full + "░" * (width - full) + f" {p:3.0f}%"
