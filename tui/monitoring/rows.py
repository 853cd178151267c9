"""One line of the monitor's list: its cells, its columns by terminal width, the text and
state filters, and the sort keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from tui.models import MigrationState, MigrationSummary, TargetKind
from tui.monitoring.buckets import Bucket
from tui.monitoring.fmt import WIDE, fmt_duration, fmt_time
from tui.monitoring.stall import MARK, Stall

# The Status column's words for states whose Azure name is wider than the column
_SHORT_STATES = {
    MigrationState.UPLOADING_FULL_BACKUP: "Uploading full",
    MigrationState.UPLOADING_LOG_BACKUP: "Uploading log",
}


@dataclass(frozen=True)
class MigrationRow:
    """One line of the monitor's list: a summary plus what the screen derives from it."""

    summary: MigrationSummary
    bucket: Bucket
    stall: Stall | None = None

    @property
    def key(self) -> str:
        return self.summary.id

    def mode(self) -> str:
        if self.summary.kind == TargetKind.SQL_DB:
            return "offline"
        if self.summary.online is None:
            return "?"
        return "online" if self.summary.online else "offline"

    def target(self) -> str:
        s = self.summary
        return f"{s.target_name}/{s.target_database}" if s.target_name else s.target_database

    def status_text(self) -> str:
        """The state as the counts above the list count it: a stalled migration says so
        (a marker and a word), one ready for cutover says ReadyForCutover."""
        if self.bucket == Bucket.STALLED:
            return f"{MARK} Stalled"
        if self.bucket == Bucket.READY:
            return str(MigrationState.READY_FOR_CUTOVER)
        state = self.summary.status
        return _SHORT_STATES.get(state, str(state) or "?")

    @cached_property
    def fixed_cells(self) -> tuple[str, ...]:
        """The cells that do not move with the clock, made once per row."""
        s = self.summary
        return (
            s.source_database or s.name,
            self.target(),
            s.kind.value,
            self.mode(),
            self.status_text(),
            fmt_time(s.started_on),
        )

    def cells(self, now: datetime) -> tuple[str, ...]:
        s = self.summary
        duration = fmt_duration(duration_seconds(s.started_on, s.ended_on, now))
        return (*self.fixed_cells, duration)


COLUMNS = ("Source db", "Target", "Kind", "Mode", "Status", "Started", "Duration")
# Columns whose text changes while a migration runs get fixed widths, so the list does not
# jump sideways on every refresh; the names are measured once, when their row is added.
COLUMN_WIDTHS = (None, None, 5, 7, 15, 11, 8)


def list_columns(width: int) -> tuple[int, ...]:
    """The migration list's columns for a terminal ``width`` wide: narrow terminals drop
    Target (the detail title under the list names it) so Status, Started and Duration fit."""
    if width >= WIDE:
        return tuple(range(len(COLUMNS)))
    return (0, 2, 3, 4, 5, 6)


def duration_seconds(start: datetime | None, end: datetime | None, now: datetime) -> float | None:
    if start is None:
        return None
    stop = end or now
    return max(0.0, (stop - start).total_seconds())


def row_matches(row: MigrationRow, text: str, bucket: Bucket | None) -> bool:
    if bucket is not None and row.bucket != bucket:
        return False
    if not text:
        return True
    hay = " ".join(row.cells(datetime.now(UTC))[:5]).lower()
    return all(part in hay for part in text.lower().split())


def sort_value(row: MigrationRow, column: int, now: datetime) -> Any:
    s = row.summary
    if column == 5:
        return s.started_on.timestamp() if s.started_on else 0.0
    if column == 6:
        return duration_seconds(s.started_on, s.ended_on, now) or 0.0
    return row.cells(now)[column].lower()
