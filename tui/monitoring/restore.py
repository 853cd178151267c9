"""Managed instance / SQL VM targets: the backup files, the restore facts a DBA looks for, and
how far the restore has come."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.models import BackupFile, MigrationDetail, MigrationState
from tui.monitoring.fmt import WIDE, fmt_bytes, fmt_clock, fmt_duration, fmt_time

# "Taken" is when the backup finished on the source (msdb); "Restored" is when this
# session first saw the file Restored (DMS reports no restore time per file).
BACKUP_COLUMNS = ("File", "Type", "Status", "Size", "First LSN", "Last LSN", "Taken", "Restored")
# Status holds "Restoring 99%"; the others hold their widest value whole
BACKUP_WIDTHS = (None, 4, 13, 9, None, None, 11, 8)
NARROW_COLUMNS = (0, 1, 2, 3, 6, 7)

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
    return NARROW_COLUMNS


def name_room(width: int) -> int:
    """How many cells a file name may take on a terminal ``width`` wide so that every
    column stays on screen (LSNs counted at their usual 17 digits)."""
    fixed = sum((BACKUP_WIDTHS[i] or 17) + 2 for i in backup_columns(width) if i != 0)
    return max(12, width - 4 - fixed - 2)  # margins and a vertical scrollbar


def fit_name(name: str, room: int | None = None) -> str:
    """``name`` shortened in the middle to ``room`` cells: its end (the number, the
    extension) is what tells files apart, so it stays."""
    if room is None or len(name) <= room:
        return name
    tail = (room - 1) * 3 // 5
    return f"{name[: room - 1 - tail]}…{name[-tail:]}"


def short_backup_type(backup_type: str) -> str:
    return _SHORT_TYPES.get((backup_type or "").strip().lower(), backup_type or "?")


def file_fraction(f: BackupFile) -> float | None:
    """How far a file being uploaded or restored has come (0..1), when Azure says: bytes
    written of its size while it restores, bytes read while it uploads."""
    status = (f.status or "").lower()
    done = f.data_written if status == "restoring" else f.data_read
    if status not in ("restoring", "uploading") or not f.total_size or done is None:
        return None
    return max(0.0, min(1.0, done / f.total_size))


def file_status(f: BackupFile) -> str:
    """The file's status, with its percent while it uploads or restores (at most 99%: a
    file is done when Azure says Restored, not when its last byte is read)."""
    frac = file_fraction(f)
    status = f.status or "?"
    return status if frac is None else f"{status} {min(99, int(frac * 100))}%"


def backup_cells(
    f: Any, restored_at: datetime | None = None, room: int | None = None
) -> tuple[str, ...]:
    return (
        fit_name(f.name, room),
        short_backup_type(f.backup_type),
        file_status(f),
        fmt_bytes(f.total_size),
        f.first_lsn or "—",
        f.last_lsn or "—",
        fmt_time(f.backup_finished),
        fmt_clock(restored_at),
    )


def restore_summary(detail: MigrationDetail, *, in_flight: bool = False) -> list[str]:
    """The MI/VM facts a DBA looks for, one short line each. ``in_flight``: a line of its
    own follows for the file being restored, so the first line does not name it."""
    full = {True: "restored", False: "not restored yet", None: "unknown"}[
        detail.is_full_backup_restored
    ]
    pending = "?" if detail.pending_log_backups is None else str(detail.pending_log_backups)
    return [
        f"Full backup: {full} · Pending logs: {pending}"
        + ("" if in_flight else f" · Restoring now: {detail.restoring_now or 'nothing'}"),
        f"Last restored: {detail.last_restored_filename or '—'}",
    ]


def restore_percent(d: MigrationDetail) -> float:
    """Bytes restored — whole files, and the file being restored so far — against the bytes
    of every file the restore uses (a file DMS skips is no part of it: it counts for
    neither)."""
    used = [f for f in d.backup_files if (f.status or "").lower() not in ("skipped", "ignored")]
    total = sum(f.total_size or 0 for f in used)
    if not total:
        return 100.0 if d.status == MigrationState.SUCCEEDED else 0.0
    done = 0.0
    for f in used:
        status = (f.status or "").lower()
        if status == "restored":
            done += f.total_size or 0
        elif status == "restoring":
            done += (f.total_size or 0) * (file_fraction(f) or 0.0)
    return 100.0 * done / total


@dataclass(frozen=True)
class FileProgress:
    """The file being restored (or uploaded): how far, how fast, and when it should be done."""

    name: str
    status: str
    done: int
    total: int
    rate: float | None  # bytes per second
    rate_source: str  # "observed" (this session's refreshes) or "Azure" (copyThroughput)

    @property
    def eta(self) -> float | None:
        if not self.rate or self.rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)

    def text(self) -> str:
        pct = min(99, int(100 * self.done / self.total)) if self.total else 0
        line = (
            f"{self.status} {self.name}: {pct}% · {fmt_bytes(self.done)} of {fmt_bytes(self.total)}"
        )
        if self.rate is None or self.rate <= 0:
            return f"{line} · estimate after the next refresh"
        return (
            f"{line} · {fmt_bytes(self.rate)}/s ({self.rate_source}) · "
            f"about {fmt_duration(self.eta)} left"
        )


def file_progress(
    d: MigrationDetail, observed: Callable[[str], float | None]
) -> FileProgress | None:
    """The file in flight with its percent and an estimate, when Azure reports its sizes.
    ``observed(name)``: the rate this session measured for that file (bytes/s), or None;
    Azure's own ``copyThroughput`` (KB/s) stands in until there is one."""
    for f in d.backup_files:
        frac = file_fraction(f)
        if frac is None or not f.total_size:
            continue
        rate = observed(f.name)
        source = "observed"
        if rate is None and f.copy_throughput:
            rate, source = f.copy_throughput * 1024.0, "Azure"
        return FileProgress(f.name, f.status, int(f.total_size * frac), f.total_size, rate, source)
    return None
