"""The stall detector: a managed-instance / SQL VM migration that looks busy but is not.

DMS keeps such a migration ``InProgress`` at 0% with no error: its folder holds no backup it
can use, a log backup is missing from the chain, or the last backup of an offline migration
never arrives. A migration is stalled when

* no backup file has been seen ``after`` seconds after it started,
* something is waiting to be restored and nothing moved for ``after`` seconds (no file
  restored, no byte written, no new file listed), or
* DMS reports a restore-blocking reason (an LSN gap, ...) — at once.

``StallWatch`` remembers when each migration last moved (on the monitor's clock: the sandbox's
simulated one when there is one); ``stall_of`` says whether it is stalled, what to check and
the fix. No Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tui.models import MigrationDetail, TargetKind
from tui.monitoring.fmt import fmt_duration

STALL_SECONDS = 10 * 60.0  # N minutes without a backup file or restore progress
MARK = "⚠"  # the list's marker; the word "Stalled" goes with it (never colour alone)

_DONE = {"restored", "skipped", "ignored"}


@dataclass(frozen=True)
class Stall:
    """Why a migration is stalled, what to check and the fix, in plain words."""

    kind: str  # "no-backups", "no-progress", "blocked", "last-backup-missing"
    headline: str  # e.g. "no backup file seen for 12m00s"
    check: str
    fix: str

    def text(self) -> str:
        return f"{MARK} STALLED: {self.headline}\nCheck: {self.check}\nFix: {self.fix}"


@dataclass
class _Moved:
    signature: tuple
    since: float  # seconds (the monitor's clock): when this signature was first seen


@dataclass
class StallWatch:
    """When each migration last moved, over the session. UI thread only."""

    after: float = STALL_SECONDS
    _moved: dict[str, _Moved] = field(default_factory=dict)

    def observe(self, detail: MigrationDetail, t: float) -> None:
        sig = progress_signature(detail)
        key = detail.id.lower()
        seen = self._moved.get(key)
        if seen is None or seen.signature != sig:
            self._moved[key] = _Moved(sig, t)

    def still_since(self, migration_id: str) -> float | None:
        seen = self._moved.get(migration_id.lower())
        return None if seen is None else seen.since

    def stall_of(self, detail: MigrationDetail, now: datetime) -> Stall | None:
        return stall_of(detail, now, self.still_since(detail.id), self.after)


def progress_signature(d: MigrationDetail) -> tuple:
    """What changes whenever a restore moves: the files listed, their states and bytes."""
    return (
        tuple((f.name.lower(), (f.status or "").lower(), f.data_written) for f in d.backup_files),
        d.last_restored_filename.lower(),
        d.is_full_backup_restored,
    )


def waiting(d: MigrationDetail) -> bool:
    """Something DMS has listed (or needs) is not restored yet."""
    if d.is_full_backup_restored is False or d.pending_log_backups:
        return True
    return any((f.status or "").lower() not in _DONE for f in d.backup_files)


def watched(d: MigrationDetail) -> bool:
    """Only running managed-instance / SQL VM migrations restore backups that can stall."""
    return d.kind != TargetKind.SQL_DB and d.status.is_active


def stall_of(
    d: MigrationDetail, now: datetime, still_since: float | None, after: float = STALL_SECONDS
) -> Stall | None:
    """``d``'s stall, or None. ``still_since``: when its progress last changed (seconds on
    the monitor's clock; None when never observed)."""
    if not watched(d):
        return None
    if d.blocking_reason:
        return blocked(d)
    t = now.timestamp()
    started = d.started_on.timestamp() if d.started_on is not None else still_since
    if not d.backup_files:
        if started is None or t - started < after:
            return None
        return _no_backups(d, t - started)
    if still_since is None or t - still_since < after:
        return None
    if waiting(d):
        return _no_progress(d, t - still_since)
    if d.online is False and d.last_backup_name and not _listed(d, d.last_backup_name):
        return _last_missing(d, t - still_since)
    return None


def _listed(d: MigrationDetail, name: str) -> bool:
    want = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(f.name.lower() == want for f in d.backup_files)


def _no_backups(d: MigrationDetail, idle: float) -> Stall:
    db = d.source_database
    return Stall(
        "no-backups",
        f"no backup file seen {fmt_duration(idle)} after the start",
        f"is the folder empty? {db}'s backups in a sub-folder, another database's folder "
        "or another container? Files that are no backups?",
        f"put {db}'s full backup, then its log backups, directly in its folder "
        "(DMS finds them at its next scan); b checks the folder.",
    )


def _no_progress(d: MigrationDetail, idle: float) -> Stall:
    first = next(
        (f.name for f in d.backup_files if (f.status or "").lower() not in _DONE), "the backups"
    )
    if d.is_full_backup_restored is False and not any(
        "full" in (f.backup_type or "").lower() or (f.backup_type or "").lower() == "database"
        for f in d.backup_files
    ):
        check = (
            "no full backup is in the folder: DMS restores the log backups only after a full "
            "backup of the same database."
        )
        fix = "copy the latest full backup into the folder (press b to check the folder)."
    else:
        check = (
            f"{first} is listed but not restored: a broken chain (a log backup taken "
            "elsewhere)? Another database's backup? Two files with the same name?"
        )
        fix = (
            "b checks the folder against the source's backup history; copy the missing log "
            "backup into the folder, or take a differential backup into it."
        )
    return Stall("no-progress", f"no restore progress for {fmt_duration(idle)}", check, fix)


def _last_missing(d: MigrationDetail, idle: float) -> Stall:
    name = d.last_backup_name
    return Stall(
        "last-backup-missing",
        f"every listed backup restored, but the last backup {name} not seen for "
        f"{fmt_duration(idle)}",
        f"an offline migration completes after restoring {name}: is it in the folder, "
        "with exactly that name?",
        f"copy {name} into the folder, or start the migration again naming the last "
        "backup that is there.",
    )


def blocked(d: MigrationDetail) -> Stall:
    from tui.dms_errors import hint_for

    reason = d.blocking_reason
    low = reason.lower()
    if "lsn" in low or "too recent" in low or "chain" in low:
        return Stall(
            "blocked",
            "restore blocked: the backup chain is broken (LSN gap)",
            "a log backup between the last restored one and the next is missing — often one "
            f"a maintenance job wrote to a local disk. DMS says: {reason}",
            "copy the missing log backup into the folder, or take a differential backup "
            "into it (DMS bridges the gap); b finds the missing file.",
        )
    return Stall("blocked", "restore blocked", f"DMS says: {reason}", hint_for(reason))
