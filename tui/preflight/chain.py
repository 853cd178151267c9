"""The restore chain DMS follows, from the source's backup history: the latest full backup,
its differential, then every log backup after them with no LSN gap — and which of those
files a folder holds. Plain functions over ``BackupRecord``; no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from tui.models import BackupRecord


def file_key(path: str) -> str:
    """A backup file's name as the folder shows it: no path or URL, lower case."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()


def base_name(path: str) -> str:
    """The file name as written (no path or URL), for messages."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def files_of(rec: BackupRecord) -> tuple[str, ...]:
    """Every file (stripe) a backup was written to."""
    return rec.devices or ((rec.device,) if rec.device else ())


def lsn(value: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Chain:
    """The backups DMS restores, in order, from the source's history: the latest full, its
    differential when that is in the folder, then every log backup after them."""

    full: BackupRecord | None = None
    diff: BackupRecord | None = None  # the latest differential of that full (in the folder or not)
    steps: tuple[BackupRecord, ...] = ()  # what DMS restores, full first
    missing: tuple[BackupRecord, ...] = ()  # steps not (wholly) in the folder
    history_gap: tuple[int, int] | None = None  # msdb itself has no backup for this LSN range


def _is_diff_of(diff: BackupRecord, full: BackupRecord) -> bool:
    base = {full.checkpoint_lsn, full.first_lsn} - {""}
    return (
        bool(diff.differential_base_lsn) and diff.differential_base_lsn == full.checkpoint_lsn
    ) or (diff.database_backup_lsn in base)


def backup_chain(history: Iterable[BackupRecord], present: Callable[[BackupRecord], bool]) -> Chain:
    history = list(history)
    fulls = [b for b in history if b.backup_type == "full"]
    if not fulls:
        return Chain()
    full = max(fulls, key=lambda b: (lsn(b.last_lsn), b.finish or datetime.min))
    steps = [full]
    missing = [] if present(full) else [full]
    cursor = lsn(full.last_lsn)
    diffs = [
        b
        for b in history
        if b.backup_type == "diff" and _is_diff_of(b, full) and lsn(b.last_lsn) > cursor
    ]
    diff = max(diffs, key=lambda b: lsn(b.last_lsn)) if diffs else None
    if diff is not None and present(diff):
        steps.append(diff)
        cursor = lsn(diff.last_lsn)
    logs = sorted(
        (b for b in history if b.backup_type == "log" and not b.is_copy_only),
        key=lambda b: (lsn(b.first_lsn), lsn(b.last_lsn)),
    )
    gap = None
    for log in logs:
        first, last = lsn(log.first_lsn), lsn(log.last_lsn)
        if last <= cursor:
            continue  # before the full (or the differential) restored: not needed
        if first > cursor:
            gap = (cursor, first)
            break
        steps.append(log)
        if not present(log):
            missing.append(log)
        cursor = last
    return Chain(full, diff, tuple(steps), tuple(missing), gap)
