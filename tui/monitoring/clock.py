"""Now, as the monitor shows it: the sandbox's simulated clock when there is one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.sandbox import Sandbox


def utc_from(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def default_clock(sandbox: Sandbox | None = None) -> Callable[[], datetime]:
    """Now, as the monitor should show it: the sandbox's simulated clock when there is one."""
    clock = getattr(sandbox, "clock", None)
    if clock is not None and hasattr(clock, "now"):
        return lambda: utc_from(clock.now())
    return lambda: datetime.now(UTC)
