"""Which actions Azure allows on a migration now (cancel, retry, delete, cutover), and why not."""

from __future__ import annotations

from dataclasses import dataclass

from tui.models import MigrationDetail, MigrationSummary, TargetKind


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
    shown = getattr(detail, "migration_state", "") or ""  # a summary has none
    state = shown.lower()
    if not detail.status.may_retry and state != "waitforretry":
        return Allowed(False, f"The migration is {detail.status}: retry is for failed ones.")
    if state and state != "waitforretry":
        return Allowed(
            False,
            f"The migration is {detail.status} ({shown}): "
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
