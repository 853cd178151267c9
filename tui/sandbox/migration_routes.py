"""``.../providers/Microsoft.DataMigration/databaseMigrations/{targetDbName}`` under a managed
instance, a SQL VM or a logical server: answers and long-running operations (request checks:
``migration_requests``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.models import TargetKind

from .arm import Answer, ArmError, not_found, ok, same_id
from .clock import iso
from .copy_migration import TableCopyMigration
from .migration_requests import MigrationRequests, invalid, missing
from .migrations import COMPLETE_SECONDS, Migration
from .restore_migration import BackupRestoreMigration
from .router import Req, Router
from .world import Target

if TYPE_CHECKING:
    from .sandbox import Sandbox

MIGRATION_TYPE = "Microsoft.DataMigration/databaseMigrations"
DELETE_SECONDS = 0.0
_PREFIX = {
    TargetKind.SQL_MI: "/providers/Microsoft.Sql/managedInstances/{tname}",
    TargetKind.SQL_VM: "/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines/{tname}",
    TargetKind.SQL_DB: "/providers/Microsoft.Sql/servers/{tname}",
}


# DELETE of a migration that is not finished: the 2025-06-30 spec's refusals
_DELETE_REFUSED = {
    "Creating": ("DeleteMigrationNotAllowedMigrationInProgress", "in progress"),
    "InProgress": ("DeleteMigrationNotAllowedMigrationInProgress", "in progress"),
    "Completing": ("DeleteMigrationNotAllowedCutoverInProgress", "being cutover"),
    "Canceling": ("DeleteMigrationNotAllowedCancelInProgress", "being canceled"),
}
_DELETE_ADVICE = {
    "DeleteMigrationNotAllowedMigrationInProgress": (
        "To delete the migration, please wait until the migration has completed "
        "or cancel the migration manually, and then retry deleting the migration."
    ),
    "DeleteMigrationNotAllowedCutoverInProgress": (
        "To delete the migration, please wait until the cutover operation is complete"
    ),
    "DeleteMigrationNotAllowedCancelInProgress": (
        "To delete the migration, please wait until the cancel operation is complete"
    ),
}


class MigrationRoutes:
    def __init__(self, sb: Sandbox):
        self.sb = sb
        self.world = sb.world
        self.items: dict[str, Migration] = {}
        self.requests = MigrationRequests(self)

    # ------------------------------------------------------------------ registry helpers

    def simulate(self, now: float) -> None:
        for m in list(self.items.values()):
            m.run_until(now)

    def running_jobs(self, service_id: str) -> int:
        return sum(1 for m in self.items.values() if m.active and same_id(m.service_id, service_id))

    def json_for_service(self, service_id: str) -> list[dict]:
        return [
            self.json(m, expand=True)
            for m in self.items.values()
            if same_id(m.service_id, service_id) and not m.deleting
        ]

    def by_target_database(self, name: str) -> Migration | None:
        found = [m for m in self.items.values() if m.name.lower() == name.lower()]
        active = [m for m in found if m.active]
        return (active or found)[-1] if found else None

    # ------------------------------------------------------------------ routes

    def register(self, r: Router) -> None:
        G = "/subscriptions/{sub}/resourceGroups/{rg}"
        for kind, prefix in _PREFIX.items():
            one = G + prefix + "/providers/Microsoft.DataMigration/databaseMigrations/{db}"
            r.add("GET", one, self._h(self.get, kind))
            r.add("PUT", one, self._h(self.put, kind))
            r.add("DELETE", one, self._h(self.delete, kind))
            r.add("POST", one + "/cancel", self._h(self.cancel, kind))
            if kind == TargetKind.SQL_DB:
                r.add("POST", one + "/retry", self._h(self.retry, kind))
            else:
                r.add("POST", one + "/cutover", self._h(self.cutover, kind))

    def _h(self, fn, kind: TargetKind):
        def handler(req: Req) -> Answer:
            self.sb.require_dms_api(req)
            return fn(req, kind)

        return handler

    def _target(self, req: Req, kind: TargetKind) -> Target:
        return self.sb.resources.find_target(req, kind, req.params["tname"])

    def mid(self, target: Target, name: str) -> str:
        return f"{target.id}/providers/{MIGRATION_TYPE}/{name}"

    def _find(self, req: Req, kind: TargetKind) -> tuple[Target, Migration]:
        target = self._target(req, kind)
        m = self.items.get(self.mid(target, req.params["db"]).lower())
        if m is None or m.deleting:
            raise not_found(MIGRATION_TYPE, f"{target.name}/{req.params['db']}", target.group)
        return target, m

    # ------------------------------------------------------------------ rendering

    def json(self, m: Migration, expand: bool) -> dict:
        now = self.sb.clock.now()
        p = dict(m.props)
        p.update(
            {
                "kind": m.kind.value,
                "provisioningState": m.provisioning_state,
                "migrationStatus": m.status,
                "startedOn": iso(m.started_on),
                "endedOn": iso(m.ended_on),
                "sourceServerName": self._source_server_name(m),
                "sourceDatabaseName": m.source_database,
                "migrationOperationId": m.operation_id,
            }
        )
        if m.failure:
            p["migrationFailureError"] = {
                "code": m.failure["code"],
                "message": m.failure["message"],
            }
        if expand:
            p["migrationStatusDetails"] = m.status_details(now)
        return {
            "properties": p,
            "id": m.id,
            "name": m.name,
            "type": MIGRATION_TYPE,
            "systemData": {
                "createdBy": "dba@contoso.com",
                "createdByType": "User",
                "createdAt": iso(m.created),
                "lastModifiedAt": iso(m.ended_on or m.created),
            },
        }

    def _source_server_name(self, m: Migration) -> str | None:
        if isinstance(m, BackupRestoreMigration) and m.backup_server:
            return m.backup_server
        conn = m.props.get("sourceSqlConnection") or {}
        return conn.get("dataSource") or (m.source.address if m.source is not None else None)

    # ------------------------------------------------------------------ operations

    def _operation(self, m: Migration, done) -> dict[str, str]:
        def check():
            self.sb.simulate()
            result = done()
            if result is True:
                return "Succeeded", None, None
            if isinstance(result, tuple):
                return result[0], result[1], None
            return "InProgress", None, m.eta(self.sb.clock.now())

        _, headers = self.sb.operations.start(m.target.subscription_id, m.target.location, check)
        return headers

    def get(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        op_id = req.q("migrationOperationId")
        if op_id and op_id.lower() != m.operation_id.lower():
            raise not_found(MIGRATION_TYPE, f"{m.name} (operation {op_id})", m.target.group)
        expand = (req.q("$expand") or "").lower() == "migrationstatusdetails"
        return ok(self.json(m, expand))

    def put(self, req: Req, kind: TargetKind) -> Answer:
        target = self._target(req, kind)
        name = req.params["db"]
        body = req.body if isinstance(req.body, dict) else None
        if not body or not isinstance(body.get("properties"), dict):
            raise missing("properties")
        props = body["properties"]
        m = self.requests.build(kind, target, name, props)
        rid = m.id.lower()
        existed = rid in self.items
        self.items[rid] = m
        m.run_until(self.sb.clock.now())
        headers = self._operation(m, lambda: m.status != "Creating")
        return Answer(200 if existed else 201, self.json(m, expand=False), headers)

    def delete(self, req: Req, kind: TargetKind) -> Answer:
        target = self._target(req, kind)
        rid = self.mid(target, req.params["db"]).lower()
        m = self.items.get(rid)
        if m is None:
            return Answer(204)
        if m.delete_at is not None:  # already being deleted: its operation again
            return Answer(202, None, self._delete_op(rid, m, m.delete_at))
        refused = _DELETE_REFUSED.get(m.status)
        force = (req.q("force") or "").lower() == "true"  # "cancel ongoing operations and delete"
        if refused is not None and not force:
            code, doing = refused
            raise ArmError(
                400,
                code,
                f"Database migration to the target resource '{target.name}/{m.name}' is "
                f"currently {doing}. " + _DELETE_ADVICE[code],
            )
        m.deleting = True
        if m.active:
            m.cancel(self.sb.clock.now())
        m.delete_at = due = self.sb.clock.now() + DELETE_SECONDS
        return Answer(202, None, self._delete_op(rid, m, due))

    def _delete_op(self, rid: str, m: Migration, due: float) -> dict[str, str]:
        def done():
            if self.sb.clock.now() >= due:
                if self.items.get(rid) is m:
                    del self.items[rid]
                return True
            return False

        def check():
            if done():
                return "Succeeded", None, None
            return "InProgress", None, max(due - self.sb.clock.now(), 0.0)

        _, headers = self.sb.operations.start(m.target.subscription_id, m.target.location, check)
        return headers

    def _check_op_id(self, req: Req, m: Migration) -> None:
        body = req.body if isinstance(req.body, dict) else {}
        given = body.get("migrationOperationId")
        if not given:
            raise missing("migrationOperationId")
        if str(given).lower() != m.operation_id.lower():
            raise invalid(
                "migrationOperationId",
                f"The migration operation id '{given}' does not match the "
                f"current operation of migration '{m.name}'.",
                code="InvalidMigrationOperationId",
            )

    def cutover(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        assert isinstance(m, BackupRestoreMigration)
        now = self.sb.clock.now()
        if m.status == "Completing":  # a cutover is running: a second one is refused
            raise ArmError(
                409,
                "OperationInProgress",
                "Operation in progress on resource already: the cutover "
                f"of database '{m.name}' is completing.",
            )
        if m.status == "Succeeded":
            raise ArmError(
                400,
                "CutoverNotAllowedMigrationCompleteError",
                f"Cutover is not allowed as migration for database '{m.name}' is already complete",
            )
        if not m.online:
            raise ArmError(
                400,
                "MigrationNotReadyForCutoverError",
                "This is an offline migration: it completes "
                "by itself after restoring the last backup file; there is no cutover.",
            )
        ready, why = m.ready_for_cutover(now)
        if not ready:
            raise ArmError(
                400,
                "MigrationNotReadyForCutoverError",
                f"The migration is not ready for cutover. {why}",
            )
        m.status = "Completing"
        m.complete_at = now + COMPLETE_SECONDS
        # the operation is the accepted request; the migration itself goes Completing -> Succeeded
        return Answer(202, None, self._operation(m, lambda: True))

    def cancel(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        if m.status not in ("Creating", "InProgress", "Canceling"):
            raise ArmError(
                400,
                "MigrationNotReadyForCancelError",
                "Migration cannot be canceled as it is not in a "
                f"cancelable state. Target server:'{m.target.name}', Target database: '{m.name}'.",
            )
        if m.status != "Canceling":
            m.cancel(self.sb.clock.now())
        headers = self._operation(
            m, lambda: True
        )  # accepted; the migration goes Canceling -> Canceled
        return Answer(202, None, headers)

    def retry(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        assert isinstance(m, TableCopyMigration)
        state = m.status_details(self.sb.clock.now())["migrationState"]
        if state != "WaitForRetry":
            raise ArmError(
                400,
                "MigrationRetryNotAllowed",
                "Migration is not in a retriable state. Migration must "
                f"be in state WaitForRetry. Current state: '{state}', "
                f"Target server:'{m.target.name}', "
                f"Target database: '{m.name}'.",
            )
        m.retry(self.sb.clock.now())
        headers = self._operation(m, lambda: m.status != "Creating")
        headers["Location"] = (
            f"https://management.azure.com{m.id}?api-version={req.api_version or '2025-06-30'}"
        )
        return Answer(202, self.json(m, expand=False), headers)
