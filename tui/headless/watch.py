"""``dms-tui watch``: one plain line per change of a project's migrations, each with an ISO
timestamp, for ``tee`` into a log during the night. Ctrl+C ends it (exit 0)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from .report import plain
from .session import EXIT_OK, Session
from .status import iso, read_status


def watch(
    session: Session,
    out: TextIO,
    *,
    interval: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    rounds: int | None = None,
) -> int:
    """Read the project's migrations every ``interval`` seconds and print each line that is new
    or different from the last one printed for that migration. ``sleep`` waits between reads
    and ``rounds`` ends it after that many (tests: the sandbox's clock, no real waiting)."""
    last: dict[str, str] = {}
    done = 0
    try:
        while rounds is None or done < rounds:
            if done:
                sleep(interval)
            done += 1
            status = read_status(session)
            stamp = iso(status.checked_at)
            current: dict[str, str] = {r.id.lower(): r.line() for r in status.migrations}
            for mid, message, code in status.missing:
                current[mid.lower()] = plain(f"{mid}: not found in Azure: {message} [{code}]")
            for mid, message, code in status.unreachable:
                current[mid.lower()] = plain(f"{mid}: could not be read: {message} [{code}]")
            if not current and done == 1:
                _emit(out, stamp, f"project {session.project.name}: no migrations started yet")
            for key, line in current.items():
                if last.get(key) != line:
                    _emit(out, stamp, line)
            last = current
    except KeyboardInterrupt:
        _emit(out, iso(session.now()), "watch ended (Ctrl+C)")
    return EXIT_OK


def _emit(out: TextIO, stamp: str, line: str) -> None:
    out.write(f"{stamp} {line}\n")
    out.flush()
