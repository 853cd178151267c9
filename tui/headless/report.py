"""One migration as the headless commands report it: its state, pending log backups, last
restored file, readiness for cutover, and what needs attention (failed, blocked, stalled) —
as plain data for ``--json`` and as one plain line of text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.cutover import restore_blockers
from tui.models import MigrationDetail, MigrationState, TargetKind

# a running MI/VM migration that has listed no backup file this long after it started is stalled
# (DMS scans the folder within minutes: an empty or misnamed folder is the usual cause)
STALL_MINUTES = 15


@dataclass(frozen=True)
class MigrationReport:
    id: str
    source_database: str
    target_database: str
    target: str
    kind: str
    mode: str  # online, offline
    state: str
    pending_log_backups: int | None
    full_backup_restored: bool | None
    last_restored_file: str
    restoring_now: str
    tables: dict[str, int] | None  # SQL Database: {"done": n, "total": n}
    ready_for_cutover: bool
    readiness: tuple[str, ...]  # why it is not ready for cutover, in plain words
    attention: tuple[str, ...]  # failed, blocked, stalled: in plain words, with the fix
    error: dict[str, str] | None  # Azure's failure: {"code", "message"}

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["readiness"] = list(self.readiness)
        data["attention"] = list(self.attention)
        return data

    def line(self) -> str:
        """One plain line: what changed shows as a different line."""
        parts = [f"{self.source_database} -> {self.target}/{self.target_database}", self.state]
        if self.kind == TargetKind.SQL_DB.value:
            if self.tables is not None:
                parts.append(f"tables {self.tables['done']}/{self.tables['total']} copied")
        else:
            pending = "?" if self.pending_log_backups is None else str(self.pending_log_backups)
            parts.append(f"pending log backups {pending}")
            parts.append(f"last restored {self.last_restored_file or '-'}")
            if self.restoring_now:
                parts.append(f"restoring {self.restoring_now}")
            if self.mode == "online" and MigrationState.parse(self.state).is_restoring_logs:
                parts.append("ready for cutover" if self.ready_for_cutover else "not ready")
        if self.attention:
            parts.append("ATTENTION: " + " ".join(self.attention))
        return plain(" | ".join(parts))


def report_of(detail: MigrationDetail, now: datetime) -> MigrationReport:
    mode = "offline" if detail.online is False or detail.kind == TargetKind.SQL_DB else "online"
    tables = None
    if detail.kind == TargetKind.SQL_DB and detail.tables:
        done = sum(1 for t in detail.tables if t.status.lower() in ("succeeded", "copyfinished"))
        tables = {"done": done, "total": len(detail.tables)}
    readiness = tuple(restore_blockers(detail))
    ready = (
        mode == "online"
        and detail.kind != TargetKind.SQL_DB
        and detail.status.is_restoring_logs
        and not readiness
    )
    error = None
    if detail.error is not None:
        error = {"code": detail.error.code, "message": plain(detail.error.message)}
    return MigrationReport(
        id=detail.id,
        source_database=detail.source_database,
        target_database=detail.target_database or detail.name,
        target=detail.target_name,
        kind=detail.kind.value,
        mode=mode,
        state=detail.status.value,
        pending_log_backups=detail.pending_log_backups,
        full_backup_restored=detail.is_full_backup_restored,
        last_restored_file=detail.last_restored_filename,
        restoring_now=detail.restoring_now,
        tables=tables,
        ready_for_cutover=ready,
        readiness=tuple(plain(r) for r in readiness),
        attention=tuple(plain(a) for a in attention(detail, now)),
        error=error,
    )


def attention(detail: MigrationDetail, now: datetime) -> list[str]:
    """What a DBA must look at: a failure, a blocked restore, a stalled migration."""
    from tui.dms_errors import hint_for

    out: list[str] = []
    if detail.error is not None:
        e = detail.error
        code = f" [{e.code}]" if e.code else ""
        out.append(f"Failed: {e.message}{code}" + (f" Fix: {e.hint}" if e.hint else ""))
    elif detail.status in (MigrationState.FAILED, MigrationState.RETRIABLE):
        out.append(f"The migration is {detail.status.value}.")
    if detail.blocking_reason:
        out.append(
            f"Restore blocked: {detail.blocking_reason} Fix: {hint_for(detail.blocking_reason)}"
        )
    if detail.complete_restore_error:
        out.append(f"Completing failed: {detail.complete_restore_error}")
    stalled = stalled_for(detail, now)
    if stalled is not None:
        out.append(
            f"Stalled: no backup file seen {stalled} minutes after the migration started. "
            "Check that the folder holds the database's backups (a full backup, then its "
            "log backups), named as DMS expects, and that the integration runtime is online."
        )
    return out


def stalled_for(detail: MigrationDetail, now: datetime) -> int | None:
    """Minutes since a running MI/VM migration started without listing any backup file."""
    if detail.kind == TargetKind.SQL_DB or not detail.status.is_active:
        return None
    if detail.backup_files or detail.backup_sets or detail.started_on is None:
        return None
    minutes = int((now - detail.started_on).total_seconds() // 60)
    return minutes if minutes >= STALL_MINUTES else None


def plain(text: str) -> str:
    """Text for a log file: no escape codes or other control characters, one line."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(cleaned.split())
