"""When a migration may be cut over — one rule, used by the Controller and the screens.

Online migrations to a managed instance or SQL VM only. Ready means: in progress, the full
backup restored, nothing blocking restores, no log backup pending, nothing still restoring —
**and the tail-log backup restored**: the file named as the tail-log is the last file
restored, or its last LSN is covered by what was restored. Azure's pending count alone is not
enough: DMS lists a new file only after its next scan of the backup location, minutes after
the file landed, so "pending 0" right after the tail-log means "not seen yet". Cutting over
earlier loses every transaction in the backups not yet restored.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.models import BackupFile, MigrationDetail, TargetKind


@dataclass(frozen=True)
class TailLog:
    """The tail-log backup the cutover waits for, and where its name came from."""

    file: str
    origin: str = ""  # "taken here", "from the source's backup history", "typed"


def file_name_of(path: str) -> str:
    """The file name of a backup URL, share path or bare name (what DMS lists)."""
    text = (path or "").strip().replace("\\", "/")
    return text.rsplit("/", 1)[-1].split("?", 1)[0]


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and file_name_of(a).lower() == file_name_of(b).lower()


def _lsn(text: str) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def restore_blockers(detail: MigrationDetail) -> list[str]:
    """Plain-words reasons the migration has not caught up with the backups DMS lists;
    empty when it has (the tail-log is not looked at: see :func:`cutover_blockers`)."""
    reasons: list[str] = []
    if detail.kind == TargetKind.SQL_DB:
        return [
            "Azure SQL Database migrations are offline and finish by themselves; "
            "there is no cutover."
        ]
    if detail.online is False:
        return [
            "This is an offline migration: it completes by itself after the last backup "
            "is restored; there is no cutover."
        ]
    if not detail.status.is_restoring_logs:
        reasons.append(
            f"The migration is {detail.status or 'in an unknown state'}, not in progress."
        )
        return reasons
    if not detail.is_full_backup_restored:
        reasons.append("The full backup has not been restored yet.")
    if detail.blocking_reason:
        reasons.append(f"Restores are blocked: {detail.blocking_reason}")
    pending = detail.pending_log_backups
    if pending is None:
        reasons.append("Azure has not reported the number of pending log backups yet.")
    elif pending > 0:
        word = "backup is" if pending == 1 else "backups are"
        reasons.append(f"{pending} log {word} still waiting to be restored.")
    if detail.restoring_now:
        reasons.append(f"{detail.restoring_now} is still being restored.")
    if not detail.last_restored_filename:
        reasons.append("No backup file has been restored yet.")
    return reasons


def listed_file(detail: MigrationDetail, tail_log_file: str) -> BackupFile | None:
    """The backup file DMS lists under that name (the newest entry), or None."""
    found = [f for f in detail.backup_files if _same(f.name, tail_log_file)]
    return found[-1] if found else None


def restored_lsn(detail: MigrationDetail) -> int | None:
    """How far the restored backups reach (the highest last LSN of a restored file)."""
    lsns = [_lsn(f.last_lsn) for f in detail.backup_files if (f.status or "").lower() == "restored"]
    known = [n for n in lsns if n is not None]
    return max(known) if known else None


def tail_log_restored(detail: MigrationDetail, tail_log_file: str) -> bool:
    """The tail-log is the last restored file, or its last LSN is covered by the restores."""
    if not file_name_of(tail_log_file):
        return False
    listed = listed_file(detail, tail_log_file)
    if _same(detail.last_restored_filename, tail_log_file):
        return listed is None or (listed.status or "").lower() in ("restored", "")
    if listed is None:
        return False
    end, reach = _lsn(listed.last_lsn), restored_lsn(detail)
    return end is not None and reach is not None and end <= reach


def waiting_text(detail: MigrationDetail, tail_log_file: str) -> str:
    """Why the tail-log is not restored yet, in plain words (empty when it is)."""
    name = file_name_of(tail_log_file)
    if not name:
        return (
            "The tail-log backup is not known yet: take it (ctrl+t), read it from the "
            "source's backup history, or type its file name."
        )
    if tail_log_restored(detail, tail_log_file):
        return ""
    listed = listed_file(detail, tail_log_file)
    if listed is None:
        return (
            f"Waiting for DMS to restore {name}: DMS has not listed it yet (it looks for "
            "new files in the backup location every few minutes)."
        )
    return f"Waiting for DMS to restore {name}: it is {listed.status or 'not restored yet'}."


def cutover_blockers(detail: MigrationDetail, tail_log_file: str) -> list[str]:
    """Plain-words reasons the migration can't be cut over now; empty when it can."""
    reasons = restore_blockers(detail)
    if (
        detail.kind == TargetKind.SQL_DB
        or detail.online is False
        or not detail.status.is_restoring_logs
    ):
        return reasons
    waiting = waiting_text(detail, tail_log_file)
    if waiting:
        reasons.append(waiting)
    return reasons


def route(detail: object) -> str:
    """``source db → target server/database``: how every confirmation names a migration."""
    src = getattr(detail, "source_database", "") or getattr(detail, "name", "")
    target = getattr(detail, "target_name", "")
    db = getattr(detail, "target_database", "") or getattr(detail, "name", "")
    return f"{src} → {target}/{db}" if target else f"{src} → {db}"
