"""What the monitor does between two frames, with no Textual in it.

* ``PollSchedule``: when the next refresh may start — the interval, a pause, at most one
  fetch in flight, and a growing back-off after failures (longer when Azure throttles).
* ``fetch_round``: one refresh (blocking, for a thread worker): the list of migrations, and
  the full detail of the selected one only. Migrations already in a final state are not
  fetched again.
* ``History``: the session's samples per migration (pending log backups, throughput) for
  the small charts.
* Helpers the screens share: state buckets and their counts, filters and sort keys, which
  actions Azure allows now, and formatting of sizes, durations and text progress bars.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.cutover import restore_blockers
from tui.errors import DmsTuiError
from tui.models import (
    MigrationDetail,
    MigrationState,
    MigrationSummary,
    TableProgress,
    TargetKind,
)

if TYPE_CHECKING:
    from tui.controller import Controller
    from tui.sandbox import Sandbox

# --------------------------------------------------------------------------- state buckets


class Bucket(str, enum.Enum):
    """The five counts at the top of the monitor (and "other" for everything else)."""

    IN_PROGRESS = "in progress"
    READY = "ready for cutover"
    COMPLETING = "completing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    OTHER = "other"


COUNTED = (Bucket.IN_PROGRESS, Bucket.READY, Bucket.COMPLETING, Bucket.SUCCEEDED, Bucket.FAILED)


def bucket_of(state: MigrationState, detail: MigrationDetail | None = None) -> Bucket:
    if state == MigrationState.READY_FOR_CUTOVER:
        return Bucket.READY
    if state.is_active:
        if (
            detail is not None
            and detail.online
            and detail.kind != TargetKind.SQL_DB
            and not restore_blockers(detail)
        ):  # caught up: the tail-log can be taken
            return Bucket.READY
        return Bucket.IN_PROGRESS
    if state.is_ending:
        return Bucket.COMPLETING
    if state == MigrationState.SUCCEEDED:
        return Bucket.SUCCEEDED
    if state.is_final:
        return Bucket.FAILED
    return Bucket.OTHER


def count_buckets(buckets: Iterable[Bucket]) -> dict[Bucket, int]:
    counts = {b: 0 for b in Bucket}
    for b in buckets:
        counts[b] += 1
    return counts


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class MigrationRow:
    """One line of the monitor's list: a summary plus what the screen derives from it."""

    summary: MigrationSummary
    bucket: Bucket

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

    def cells(self, now: datetime) -> tuple[str, ...]:
        s = self.summary
        return (
            s.source_database or s.name,
            self.target(),
            s.kind.value,
            self.mode(),
            s.status or "?",
            fmt_time(s.started_on),
            fmt_duration(duration_seconds(s.started_on, s.ended_on, now)),
        )


COLUMNS = ("Source db", "Target", "Kind", "Mode", "Status", "Started", "Duration")
# Columns whose text changes while a migration runs get fixed widths, so the list does not
# jump sideways on every refresh; the names are measured once, when their row is added.
COLUMN_WIDTHS = (None, None, 5, 7, 15, 11, 8)
# Below this many columns the compact layouts apply (an 80x24 jump-box terminal).
WIDE = 100


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


# --------------------------------------------------------------------------- polling


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
            parts.append(f"Last refresh {self.last_ok:%H:%M:%S}")
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


@dataclass(frozen=True)
class FetchRequest:
    """What one refresh should get. Built on the UI thread, read by the worker."""

    migration_ids: tuple[str, ...] = ()  # the project's migrations
    service_id: str = ""  # the DMS instance (list call; also "show every migration")
    show_all: bool = False  # every migration of the service, not only the project's
    selected_id: str = ""  # the one whose detail is shown
    final: frozenset[str] = frozenset()  # ids already final: their cached rows stay
    selected_cached_final: bool = False  # the selected one is final and its detail is cached


@dataclass(frozen=True)
class Snapshot:
    summaries: tuple[MigrationSummary, ...]
    detail: MigrationDetail | None
    errors: tuple[tuple[str, str], ...] = ()  # (migration id, message) per row that failed
    calls: int = 0


def fetch_round(controller: Controller, req: FetchRequest) -> Snapshot:
    """One refresh. Blocking: call from a thread worker. Raises ``DmsTuiError`` only when
    nothing at all could be read (so the caller backs off)."""
    summaries: dict[str, MigrationSummary] = {}
    errors: list[tuple[str, str]] = []
    calls = 0
    detail: MigrationDetail | None = None
    wanted = {i.lower(): i for i in req.migration_ids}
    final = {i.lower() for i in req.final}
    services = [req.service_id] if req.service_id else []
    if not services and not wanted:
        # neither a project nor an instance: every DMS instance the account can see
        calls += 1
        services = [s.id for s in controller.list_migration_services()]
    for service_id in services:
        calls += 1
        for s in controller.list_service_migrations(service_id):
            if req.show_all or s.id.lower() in wanted:
                summaries[s.id.lower()] = s
    missing = [i for k, i in wanted.items() if k not in summaries and k not in final]
    sel = req.selected_id.lower()
    first_error: DmsTuiError | None = None
    for mid in missing:
        try:
            calls += 1
            d = controller.get_migration(mid)
        except DmsTuiError as exc:
            first_error = first_error or exc
            errors.append((mid, exc.message))
            continue
        summaries[mid.lower()] = d.summary
        if mid.lower() == sel:
            detail = d
    if sel and detail is None and not req.selected_cached_final:
        calls += 1
        detail = controller.get_migration(req.selected_id)
        if sel in summaries or sel in wanted or req.show_all:
            summaries[sel] = detail.summary
    if first_error is not None and not summaries and detail is None:
        raise first_error
    return Snapshot(tuple(summaries.values()), detail, tuple(errors), calls)


# --------------------------------------------------------------------------- history


@dataclass
class Sample:
    t: float  # seconds (the injected clock)
    pending: int | None
    done: float  # bytes written (MI/VM) or rows copied (SQL DB), cumulative


@dataclass
class FileSeen:
    """What this session saw of one backup file. DMS does not say when a file was restored,
    so these are the refresh times at which the monitor first saw the change."""

    restoring: float | None = None  # first refresh that showed it Restoring
    restored: float | None = None  # first refresh that showed it Restored, after seeing it not
    seen_unrestored: bool = False  # seen in any state other than Restored this session


_RESTORED = {"restored"}


@dataclass
class History:
    """Per-migration samples over the session, newest last, at most ``size`` each."""

    size: int = 120
    _samples: dict[str, deque[Sample]] = field(default_factory=dict)
    _files: dict[tuple[str, str], FileSeen] = field(default_factory=dict)

    def add(self, detail: MigrationDetail, t: float) -> None:
        q = self._samples.setdefault(detail.id.lower(), deque(maxlen=self.size))
        if q and q[-1].t == t:
            q.pop()
        q.append(Sample(t, detail.pending_log_backups, work_done(detail)))
        for f in detail.backup_files:
            seen = self._files.setdefault((detail.id.lower(), f.name.lower()), FileSeen())
            status = (f.status or "").lower()
            if status in _RESTORED:
                # a file already Restored when first seen: the time is unknown, left blank
                if seen.restored is None and seen.seen_unrestored:
                    seen.restored = t
                continue
            seen.seen_unrestored = True
            if status == "restoring" and seen.restoring is None:
                seen.restoring = t

    def restore_times(
        self, migration_id: str
    ) -> dict[str, tuple[datetime | None, datetime | None]]:
        """``{file name: (first seen Restoring, first seen Restored)}`` (UTC, or None)."""
        key = migration_id.lower()
        out = {}
        for (mid, name), seen in list(self._files.items()):
            if mid == key:
                out[name] = (
                    utc_from(seen.restoring) if seen.restoring is not None else None,
                    utc_from(seen.restored) if seen.restored is not None else None,
                )
        return out

    def pending(self, migration_id: str) -> list[float]:
        return [float(s.pending or 0) for s in self._samples.get(migration_id.lower(), ())]

    def throughput(self, migration_id: str) -> list[float]:
        """Work per second between consecutive samples (bytes/s or rows/s)."""
        q = list(self._samples.get(migration_id.lower(), ()))
        out = []
        for a, b in zip(q, q[1:], strict=False):
            dt = b.t - a.t
            out.append(max(0.0, (b.done - a.done) / dt) if dt > 0 else 0.0)
        return out


def work_done(detail: MigrationDetail) -> float:
    if detail.kind == TargetKind.SQL_DB:
        return float(sum(t.rows_copied for t in detail.tables))
    return float(sum((f.data_written or 0) for f in detail.backup_files))


# --------------------------------------------------------------------------- SQL DB tables


@dataclass(frozen=True)
class TableTotals:
    tables: int
    rows_read: int
    rows_copied: int
    by_status: tuple[tuple[str, int], ...]
    throughput: float

    @property
    def percent(self) -> float:
        if self.rows_read <= 0:
            return 0.0 if self.tables else 100.0
        return min(100.0, 100.0 * self.rows_copied / self.rows_read)


def table_totals(tables: Iterable[TableProgress]) -> TableTotals:
    n = read = copied = 0
    tp = 0.0
    by: dict[str, int] = {}
    for t in tables:
        n += 1
        read += t.rows_read
        copied += t.rows_copied
        tp += t.throughput
        by[t.status or "?"] = by.get(t.status or "?", 0) + 1
    return TableTotals(n, read, copied, tuple(sorted(by.items())), tp)


TABLE_COLUMNS = ("Table", "Status", "Read", "Copied", "Progress", "KB/s", "Duration")


def table_columns(width: int) -> tuple[int, ...]:
    """Narrow terminals show Table, Status and Progress (the totals line above the table
    has the rows read and copied)."""
    if width >= WIDE:
        return tuple(range(len(TABLE_COLUMNS)))
    return (0, 1, 4)


def table_cells(t: TableProgress) -> tuple[str, ...]:
    return (
        t.name,
        t.status or "?",
        f"{t.rows_read:,}",
        f"{t.rows_copied:,}",
        bar(t.percent, 8),
        f"{t.throughput:,.0f}",
        fmt_duration(t.copy_duration),
    )


def table_sort_value(t: TableProgress, column: int) -> Any:
    return (
        t.name.lower(),
        t.status.lower(),
        t.rows_read,
        t.rows_copied,
        t.percent,
        t.throughput,
        t.copy_duration,
    )[column]


# --------------------------------------------------------------------------- MI / VM backups


# "Taken" is when the backup finished on the source (msdb); "Restored at" is when this
# session first saw the file Restored (DMS reports no restore time per file).
BACKUP_COLUMNS = ("File", "Type", "Status", "Size", "First LSN", "Last LSN", "Taken", "Restored at")
BACKUP_WIDTHS = (None, 4, 10, 9, None, None, 11, 11)

_SHORT_TYPES = {
    "database": "Full",
    "full": "Full",
    "transaction log": "Log",
    "transactionlog": "Log",
    "log": "Log",
    "differential database": "Diff",
    "differential": "Diff",
    "database differential": "Diff",
}


def backup_columns(width: int) -> tuple[int, ...]:
    """LSNs only on terminals at least ``WIDE`` columns wide."""
    if width >= WIDE:
        return tuple(range(len(BACKUP_COLUMNS)))
    return (0, 1, 2, 3, 6, 7)


def short_backup_type(backup_type: str) -> str:
    return _SHORT_TYPES.get((backup_type or "").strip().lower(), backup_type or "?")


def backup_cells(f: Any, restored_at: datetime | None = None) -> tuple[str, ...]:
    return (
        f.name,
        short_backup_type(f.backup_type),
        f.status or "?",
        fmt_bytes(f.total_size),
        f.first_lsn or "—",
        f.last_lsn or "—",
        fmt_time(f.backup_finished),
        fmt_clock(restored_at),
    )


def restore_summary(detail: MigrationDetail) -> list[str]:
    """The MI/VM facts a DBA looks for, one short line each."""
    full = {True: "restored", False: "not restored yet", None: "unknown"}[
        detail.is_full_backup_restored
    ]
    pending = "?" if detail.pending_log_backups is None else str(detail.pending_log_backups)
    return [
        f"Full backup: {full}   Pending log backups: {pending}   "
        f"Restoring now: {detail.restoring_now or 'nothing'}",
        f"Last restored: {detail.last_restored_filename or '—'}",
    ]


def problem_text(detail: MigrationDetail) -> str:
    """The restore-blocking reason or the failure, in plain words with the likely fix."""
    from tui.dms_errors import hint_for

    if detail.error is not None:
        e = detail.error
        return (
            f"Failed: {e.message} [{e.code}]\nFix: {e.hint}"
            if e.code
            else f"Failed: {e.message}\nFix: {e.hint}"
        )
    if detail.blocking_reason:
        return f"Restore blocked: {detail.blocking_reason}\nFix: {hint_for(detail.blocking_reason)}"
    if detail.complete_restore_error:
        return (
            f"Completing failed: {detail.complete_restore_error}\n"
            f"Fix: {hint_for(detail.complete_restore_error)}"
        )
    return ""


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Allowed:
    ok: bool
    reason: str = ""


def can_cancel(detail: MigrationSummary | MigrationDetail) -> Allowed:
    if detail.status.is_final:
        return Allowed(False, f"The migration is already {detail.status}.")
    if detail.status.is_ending:
        return Allowed(False, f"The migration is {detail.status}: it can no longer be canceled.")
    return Allowed(True)


def can_retry(detail: MigrationSummary | MigrationDetail) -> Allowed:
    if detail.kind != TargetKind.SQL_DB:
        return Allowed(
            False,
            "Only Azure SQL Database migrations can be retried; start a new "
            "migration for this database instead.",
        )
    migration_state = getattr(detail, "migration_state", "") or ""  # a summary has none
    state = migration_state.lower()
    if not detail.status.may_retry and state != "waitforretry":
        return Allowed(False, f"The migration is {detail.status}: retry is for failed ones.")
    if state and state != "waitforretry":
        return Allowed(
            False,
            f"The migration is {detail.status} ({migration_state}): "
            "Azure retries only a migration waiting for a retry (WaitForRetry).",
        )
    return Allowed(True)


def can_delete(detail: MigrationSummary | MigrationDetail) -> Allowed:
    if not detail.status.is_final:
        return Allowed(
            False,
            f"The migration is {detail.status}: cancel it (or let it finish) before deleting it.",
        )
    return Allowed(True)


def can_open_cutover(detail: MigrationSummary | MigrationDetail) -> Allowed:
    if detail.kind == TargetKind.SQL_DB:
        return Allowed(False, "Azure SQL Database migrations are offline: there is no cutover.")
    if detail.online is False:
        return Allowed(
            False,
            "Offline migration: it completes by itself after the last backup; there is no cutover.",
        )
    if detail.status.is_final or detail.status.is_ending:
        return Allowed(False, f"The migration is {detail.status}: cutover is over.")
    return Allowed(True)


# --------------------------------------------------------------------------- formatting


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


def utc_from(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def default_clock(sandbox: Sandbox | None = None) -> Callable[[], datetime]:
    """Now, as the monitor should show it: the sandbox's simulated clock when there is one."""
    clock = getattr(sandbox, "clock", None)
    if clock is not None and hasattr(clock, "now"):
        return lambda: utc_from(clock.now())
    return lambda: datetime.now(UTC)
