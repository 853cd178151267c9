"""When a migration may be cut over — one rule, used by the Controller and the screens.

Online migrations to a managed instance or SQL VM only. Ready means: in progress, the full
backup restored, nothing blocking restores, no log backup pending, nothing still restoring
(and the last restored file set). Cutting over earlier loses every transaction in the
backups not yet restored.
"""

from __future__ import annotations

from tui.models import MigrationDetail, TargetKind

FINAL_STATES = {"succeeded", "failed", "canceled", "cancelled"}


def is_final(status: str) -> bool:
    return (status or "").lower() in FINAL_STATES


def cutover_blockers(detail: MigrationDetail) -> list[str]:
    """Plain-words reasons the migration can't be cut over now; empty when it can."""
    reasons: list[str] = []
    if detail.kind == TargetKind.SQL_DB:
        return ["Azure SQL Database migrations are offline and finish by themselves; "
                "there is no cutover."]
    if detail.online is False:
        return ["This is an offline migration: it completes by itself after the last backup "
                "is restored; there is no cutover."]
    status = (detail.status or "").lower()
    if status != "inprogress" and status != "readyforcutover":
        reasons.append(f"The migration is {detail.status or 'in an unknown state'}, "
                       "not in progress.")
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
    if detail.current_restoring_filename and \
            detail.current_restoring_filename != detail.last_restored_filename:
        reasons.append(f"{detail.current_restoring_filename} is still being restored.")
    if not detail.last_restored_filename:
        reasons.append("No backup file has been restored yet.")
    return reasons


def is_ready_for_cutover(detail: MigrationDetail) -> bool:
    return not cutover_blockers(detail)
