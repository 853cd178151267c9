"""Managed instance / SQL VM targets: the backup files, the restore facts a DBA looks for, and
how far the restore has come."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.models import MigrationDetail, MigrationState
from tui.monitoring.fmt import WIDE, fmt_bytes, fmt_clock, fmt_time

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


def restore_percent(d: MigrationDetail) -> float:
    """Bytes of the files restored (or skipped) against all listed, in percent."""
    total = sum(f.total_size or 0 for f in d.backup_files)
    if not total:
        return 100.0 if d.status == MigrationState.SUCCEEDED else 0.0
    done = sum(
        f.total_size or 0
        for f in d.backup_files
        if (f.status or "").lower() in ("restored", "skipped", "ignored")
    )
    return 100.0 * done / total
