"""What every ``databaseMigrations`` resource has, whatever the target.

A migration's state at simulated time ``t`` does not depend on how often it was looked at:
``run_until(now)`` replays whatever happened since the last look. The two kinds live in
``restore_migration`` (SqlMi, SqlVm: backup and restore) and ``copy_migration`` (SqlDb).
"""

from __future__ import annotations

from tui.models import TargetKind

from .sqlserver import SimulatedSqlServer
from .world import Target

TERMINAL = ("Succeeded", "Failed", "Canceled")
PROVISION_SECONDS = 0.0  # validation is synchronous; the migration starts at once
COMPLETE_SECONDS = 30.0  # cutover: final restore with RECOVERY
CANCEL_SECONDS = 10.0


class Migration:
    """What every ``databaseMigrations`` resource has."""

    def __init__(
        self,
        *,
        rid: str,
        name: str,
        kind: TargetKind,
        target: Target,
        service_id: str,
        source_database: str,
        props: dict,
        now: float,
        source: SimulatedSqlServer | None,
        operation_id: str,
    ):
        self.id = rid
        self.name = name
        self.kind = kind
        self.target = target
        self.service_id = service_id
        self.source_database = source_database
        self.props = props  # what the request set (secrets removed), echoed back
        self.source = source
        self.operation_id = operation_id
        self.created = now
        self.started_on = now
        self.ready_at = now + PROVISION_SECONDS
        self.ended_on: float | None = None
        self.status = "Creating"
        self.failure: dict | None = None
        self.cancel_done_at: float | None = None
        self.complete_at: float | None = None
        self.deleting = False
        self.delete_at: float | None = None

    @property
    def provisioning_state(self) -> str:
        if self.status == "Creating":
            return "Provisioning"
        if (
            self.status == "Failed"
            and self.failure
            and self.failure.get("during") == "provisioning"
        ):
            return "Failed"
        return "Succeeded"

    @property
    def active(self) -> bool:
        return self.status not in TERMINAL

    def fail(self, at: float, code: str, message: str) -> None:
        if not self.active:
            return
        self.status = "Failed"
        self.failure = {"code": code, "message": message}
        self.ended_on = at

    def cancel(self, now: float) -> None:
        self.status = "Canceling"
        self.cancel_done_at = now + CANCEL_SECONDS

    def run_until(self, now: float) -> None:
        if self.status == "Creating" and now >= self.ready_at:
            self.status = "InProgress"
        if (
            self.status == "Canceling"
            and self.cancel_done_at is not None
            and now >= self.cancel_done_at
        ):
            self.status = "Canceled"
            self.ended_on = self.cancel_done_at

    def status_details(self, now: float) -> dict:
        raise NotImplementedError

    def eta(self, now: float) -> float | None:
        """Simulated seconds until the next state change an operation may wait for."""
        for t in (
            self.ready_at if self.status == "Creating" else None,
            self.cancel_done_at if self.status == "Canceling" else None,
            self.complete_at if self.status == "Completing" else None,
        ):
            if t is not None:
                return max(t - now, 0.0)
        return None

    def running_job(self) -> bool:
        return self.active
