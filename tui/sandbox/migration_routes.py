"""``.../providers/Microsoft.DataMigration/databaseMigrations/{targetDbName}`` under a managed
instance, a SQL VM or a logical server: request validation, answers, long-running operations."""

from __future__ import annotations

import ntpath
from typing import TYPE_CHECKING

from tui.models import TargetKind

from .arm import Answer, ArmError, not_found, ok, parse_id, same_id
from .clock import iso
from .copy_migration import TableCopyMigration
from .migrations import COMPLETE_SECONDS, Migration
from .restore_migration import BackupRestoreMigration
from .router import Req, Router
from .sqlserver import SimTable
from .world import BlobFile, Target

if TYPE_CHECKING:
    from .sandbox import Sandbox

MIGRATION_TYPE = "Microsoft.DataMigration/databaseMigrations"
DELETE_SECONDS = 0.0
_PREFIX = {
    TargetKind.SQL_MI: "/providers/Microsoft.Sql/managedInstances/{tname}",
    TargetKind.SQL_VM: "/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines/{tname}",
    TargetKind.SQL_DB: "/providers/Microsoft.Sql/servers/{tname}",
}
_SECRET_KEYS = {"password", "accountkey"}


def _missing(field: str) -> ArmError:
    return ArmError(400, "MissingRequiredProperty", f"The request is missing the required property '{field}'.",
                    target=field)


def _invalid(field: str, message: str, code: str = "InvalidParameterValue") -> ArmError:
    return ArmError(400, code, message, target=field)


def _scrub(value):
    """The request as Azure echoes it: secrets never come back."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k.lower() not in _SECRET_KEYS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _table_key(name: str) -> str:
    return name.replace("[", "").replace("]", "").strip().lower()


class MigrationRoutes:
    def __init__(self, sb: "Sandbox"):
        self.sb = sb
        self.world = sb.world
        self.items: dict[str, Migration] = {}

    # ------------------------------------------------------------------ registry helpers

    def simulate(self, now: float) -> None:
        for m in list(self.items.values()):
            m.run_until(now)

    def running_jobs(self, service_id: str) -> int:
        return sum(1 for m in self.items.values() if m.active and same_id(m.service_id, service_id))

    def json_for_service(self, service_id: str) -> list[dict]:
        return [self.json(m, expand=True) for m in self.items.values()
                if same_id(m.service_id, service_id) and not m.deleting]

    def by_target_database(self, name: str) -> Migration | None:
        found = [m for m in self.items.values() if m.name.lower() == name.lower()]
        active = [m for m in found if m.active]
        return (active or found or [None])[-1]

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

    def _mid(self, target: Target, name: str) -> str:
        return f"{target.id}/providers/{MIGRATION_TYPE}/{name}"

    def _find(self, req: Req, kind: TargetKind) -> tuple[Target, Migration]:
        target = self._target(req, kind)
        m = self.items.get(self._mid(target, req.params["db"]).lower())
        if m is None or m.deleting:
            raise not_found(MIGRATION_TYPE, f"{target.name}/{req.params['db']}", target.group)
        return target, m

    # ------------------------------------------------------------------ rendering

    def json(self, m: Migration, expand: bool) -> dict:
        now = self.sb.clock.now()
        p = dict(m.props)
        p.update({
            "kind": m.kind.value, "provisioningState": m.provisioning_state, "migrationStatus": m.status,
            "startedOn": iso(m.started_on), "endedOn": iso(m.ended_on),
            "sourceServerName": self._source_server_name(m), "sourceDatabaseName": m.source_database,
            "migrationOperationId": m.operation_id,
        })
        if m.failure:
            p["migrationFailureError"] = {"code": m.failure["code"], "message": m.failure["message"]}
        if expand:
            p["migrationStatusDetails"] = m.status_details(now)
        return {"properties": p, "id": m.id, "name": m.name, "type": MIGRATION_TYPE,
                "systemData": {"createdBy": "dba@contoso.com", "createdByType": "User",
                               "createdAt": iso(m.created), "lastModifiedAt": iso(m.ended_on or m.created)}}

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
            raise _missing("properties")
        props = body["properties"]
        m = self._validate_and_build(req, kind, target, name, props)
        rid = m.id.lower()
        existed = rid in self.items
        self.items[rid] = m
        m.run_until(self.sb.clock.now())
        headers = self._operation(m, lambda: m.status != "Creating")
        return Answer(200 if existed else 201, self.json(m, expand=False), headers)

    def _validate_and_build(self, req: Req, kind: TargetKind, target: Target, name: str, props: dict) -> Migration:
        world, now = self.world, self.sb.clock.now()
        for field in ("kind", "scope", "sourceDatabaseName", "migrationService"):
            if not props.get(field):
                raise _missing(f"properties.{field}")
        if str(props["kind"]).lower() != kind.value.lower():
            raise _invalid("properties.kind", f"The migration kind '{props['kind']}' does not match the target: "
                           f"a migration under '{target.namespace_type}' must have kind '{kind.value}'.",
                           code="InvalidMigrationKind")
        if not same_id(props["scope"], target.id):
            raise _invalid("properties.scope", f"The scope '{props['scope']}' must be the id of the target "
                           f"'{target.id}' the migration is created under.", code="InvalidScope")
        service = self.sb.services.find(props["migrationService"])
        if service is None:
            raise _invalid("properties.migrationService",
                           f"The Database Migration Service '{props['migrationService']}' was not found.",
                           code="MigrationServiceNotFound")
        if service.state != "Succeeded":
            raise _invalid("properties.migrationService", f"The Database Migration Service '{service.name}' is "
                           f"in the '{service.state}' state; wait until it is Succeeded.",
                           code="MigrationServiceNotReady")
        if kind == TargetKind.SQL_MI and target.state != "Ready":
            raise ArmError(409, "ManagedInstanceNotReady", f"The managed instance '{target.name}' is in the "
                           f"'{target.state}' state. Migrations need a Ready managed instance.",
                           target="properties.scope")
        if kind == TargetKind.SQL_VM and target.sql_management != "Full":
            raise ArmError(400, "SqlVmNotInFullMode", f"The SQL IaaS Agent extension of '{target.name}' runs in "
                           f"'{target.sql_management}' mode. Database migrations need the 'Full' management mode.",
                           target="properties.scope")
        existing = self.items.get(self._mid(target, name).lower())
        if existing is not None and existing.active and not existing.deleting:
            raise ArmError(409, "MigrationAlreadyExists", f"A migration to '{name}' on '{target.name}' is already "
                           f"{existing.status}. Cancel it or wait for it to finish.")
        conn = props.get("sourceSqlConnection")
        source = world.server(conn["dataSource"]) if isinstance(conn, dict) and conn.get("dataSource") else None
        common = dict(rid=self._mid(target, name), name=name, kind=kind, target=target, service_id=service.id,
                      source_database=props["sourceDatabaseName"], now=now,
                      operation_id=self.sb.new_id("migration-operation"))
        if kind == TargetKind.SQL_DB:
            return self._build_sqldb(props, target, name, conn, source, common)
        if target.engine.get(name) is not None:
            raise ArmError(409, "DatabaseAlreadyExists", f"The database '{name}' already exists on '{target.name}'. "
                           "Migrations do not overwrite a database: choose another target database name.",
                           target="targetDbName")
        return self._build_restore(props, target, service, conn, source, common)

    def _build_restore(self, props, target, service, conn, source, common) -> BackupRestoreMigration:
        world = self.world
        backup = props.get("backupConfiguration")
        if not isinstance(backup, dict) or not isinstance(backup.get("sourceLocation"), dict):
            raise _missing("properties.backupConfiguration.sourceLocation")
        loc = backup["sourceLocation"]
        offline_cfg = props.get("offlineConfiguration") or {}
        offline = bool(offline_cfg.get("offline"))
        last_backup = offline_cfg.get("lastBackupName") or ""
        echo = _scrub({k: v for k, v in props.items() if k not in ("kind",)})
        if isinstance(loc.get("azureBlob"), dict):
            blob = loc["azureBlob"]
            acct_ref = blob.get("storageAccountResourceId")
            if not acct_ref:
                raise _missing("properties.backupConfiguration.sourceLocation.azureBlob.storageAccountResourceId")
            acct = self._account(acct_ref, "properties.backupConfiguration.sourceLocation.azureBlob.storageAccountResourceId")
            auth = (blob.get("authType") or "AccountKey")
            if auth.lower() == "accountkey":
                if not blob.get("accountKey"):
                    raise _missing("properties.backupConfiguration.sourceLocation.azureBlob.accountKey")
                if blob["accountKey"] not in acct.keys:
                    raise _invalid("properties.backupConfiguration.sourceLocation.azureBlob.accountKey",
                                   f"The account key is not valid for storage account '{acct.name}'.",
                                   code="InvalidStorageAccountKey")
            elif auth.lower() != "managedidentity":
                raise _invalid("properties.backupConfiguration.sourceLocation.azureBlob.authType",
                               f"Unknown authType '{auth}'. Use 'AccountKey' or 'ManagedIdentity'.")
            cname = blob.get("blobContainerName") or ""
            if not cname:
                raise _missing("properties.backupConfiguration.sourceLocation.azureBlob.blobContainerName")
            container_name, _, folder = cname.partition("/")
            container = acct.containers.get(container_name)
            if container is None:
                raise _invalid("properties.backupConfiguration.sourceLocation.azureBlob.blobContainerName",
                               f"The container '{container_name}' does not exist in storage account '{acct.name}'.",
                               code="BlobContainerNotFound")
            if offline and not last_backup:
                raise _missing("properties.offlineConfiguration.lastBackupName")
            if not folder and "/" in last_backup.replace("\\", "/"):
                folder = last_backup.replace("\\", "/").rsplit("/", 1)[0].strip("/")
            if not folder:
                wanted = common["source_database"].lower()
                folder = wanted if any(b.folder.lower() == wanted for b in container.blobs) else ""
            folder_l = folder

            def list_files(container=container, folder=folder_l):
                return container.files_in(folder)

            storage_type, container_label = "AzureBlob", cname
            if source is None:
                heads = container.files_in(folder_l)
                source = world.servers.get(heads[0].server.lower()) if heads else world.source
        elif isinstance(loc.get("fileShare"), dict):
            share = loc["fileShare"]
            for f in ("path", "username", "password"):
                if not share.get(f):
                    raise _missing(f"properties.backupConfiguration.sourceLocation.fileShare.{f}")
            if not isinstance(conn, dict):
                raise _missing("properties.sourceSqlConnection")
            tgt = backup.get("targetLocation") or {}
            if not tgt.get("storageAccountResourceId"):
                raise _missing("properties.backupConfiguration.targetLocation.storageAccountResourceId")
            self._account(tgt["storageAccountResourceId"], "properties.backupConfiguration.targetLocation.storageAccountResourceId")
            if source is None:
                source = world.source
            path = share["path"]

            def list_files(path=path, source=source):
                return self._share_files(source, path)

            storage_type, container_label = "FileShare", ""
        else:
            raise _missing("properties.backupConfiguration.sourceLocation.azureBlob")
        echo.setdefault("backupConfiguration", {})
        echo["backupConfiguration"] = dict(echo["backupConfiguration"])
        echo["backupConfiguration"]["sourceLocation"] = dict(echo["backupConfiguration"].get("sourceLocation") or {})
        echo["backupConfiguration"]["sourceLocation"]["fileStorageType"] = storage_type
        if offline_cfg:
            echo["offlineConfiguration"] = {"offline": offline, "lastBackupName": last_backup or None}
        m = BackupRestoreMigration(
            online=not offline, last_backup_name=last_backup, storage_type=storage_type, list_files=list_files,
            ir_online_since=lambda: self._ir_online_since(service), container_name=container_label,
            props=echo, source=source, **common)
        return m

    def _ir_online_since(self, service) -> float | None:
        self.sb.services.progress(service)
        now = self.sb.clock.now()
        times = [n.online_at for n in service.nodes if n.online_at <= now]
        return min(times) if times else None

    def _account(self, ref: str, field: str):
        rid = parse_id(ref)
        name = rid.name if rid else ref.split(".")[0].strip("/")
        acct = self.world.storage_by_name(name)
        if acct is None:
            raise _invalid(field, f"The storage account '{ref}' was not found.", code="StorageAccountNotFound")
        return acct

    def _share_files(self, source, path: str) -> list[BlobFile]:
        want = self.sb.share_to_local(path)
        out = []
        if source is None:
            return out
        for name in source.names():
            db = source.get(name)
            for rec in db.backups:
                dev = self.sb.share_to_local(ntpath.dirname(rec.device))
                if dev != want or rec.backup_type not in ("full", "log"):
                    continue
                out.append(BlobFile(path=rec.device.replace("\\", "/"), database=rec.database,
                                    backup_type=rec.backup_type, first_lsn=int(rec.first_lsn),
                                    last_lsn=int(rec.last_lsn), size=rec.size_bytes, has_checksum=rec.has_checksum,
                                    backup_start=rec.start.timestamp(), backup_finish=rec.finish.timestamp(),
                                    created=rec.finish.timestamp(), server=source.address))
        return out

    def _build_sqldb(self, props, target, name, conn, source, common) -> TableCopyMigration:
        if not isinstance(conn, dict):
            raise _missing("properties.sourceSqlConnection")
        tconn = props.get("targetSqlConnection")
        if not isinstance(tconn, dict):
            raise _missing("properties.targetSqlConnection")
        for f in ("dataSource", "userName", "password"):
            if not tconn.get(f):
                raise _missing(f"properties.targetSqlConnection.{f}")
        target_db = target.engine.get(name)
        if target_db is None or target_db.is_system:
            raise ArmError(400, "TargetDatabaseNotFound", f"The database '{name}' does not exist on '{target.name}'. "
                           "Create the target database (and its schema) before migrating to Azure SQL Database.",
                           target="targetDbName")
        if props.get("offlineConfiguration") and props["offlineConfiguration"].get("offline") is False:
            raise _invalid("properties.offlineConfiguration.offline",
                           "Azure SQL Database migrations are offline only.")
        problem = None
        tables: list[SimTable] | None = None
        src_db = source.get(common["source_database"]) if source is not None else None
        if source is None:
            problem = ("SourceConnectionFailed",
                       f"A network-related or instance-specific error occurred while establishing a connection to "
                       f"SQL Server '{conn.get('dataSource')}'. The server was not found or was not accessible "
                       "from the self-hosted integration runtime.")
        elif src_db is None:
            problem = ("SourceDatabaseNotFound", f"Cannot open database \"{common['source_database']}\" requested "
                       f"by the login. The login failed. (Msg 4060)")
        else:
            wanted = props.get("tableList") or []
            if wanted:
                index = {t.full_name.lower(): t for t in src_db.tables}
                tables = []
                for w in wanted:
                    t = index.get(_table_key(w))
                    if t is None:
                        raise _invalid("properties.tableList", f"The table '{w}' was not found in source database "
                                       f"'{src_db.name}'.", code="TableNotFound")
                    tables.append(t)
            else:
                tables = list(src_db.tables)
        echo = _scrub({k: v for k, v in props.items() if k not in ("kind", "offlineConfiguration")})
        echo["offlineConfiguration"] = {"offline": True}
        return TableCopyMigration(tables=tables, target_db=target_db, seed=self.sb.seed, source_problem=problem,
                                  props=echo, source=source, **common)

    def delete(self, req: Req, kind: TargetKind) -> Answer:
        target = self._target(req, kind)
        rid = self._mid(target, req.params["db"]).lower()
        m = self.items.get(rid)
        if m is None or m.deleting:
            return Answer(204) if m is None else Answer(202, None, self._delete_op(rid, m))
        m.deleting = True
        if m.active:
            m.cancel(self.sb.clock.now())
        m.delete_at = self.sb.clock.now() + DELETE_SECONDS
        return Answer(202, None, self._delete_op(rid, m))

    def _delete_op(self, rid: str, m: Migration) -> dict[str, str]:
        def done():
            if self.sb.clock.now() >= m.delete_at:
                if self.items.get(rid) is m:
                    del self.items[rid]
                return True
            return False
        def check():
            if done():
                return "Succeeded", None, None
            return "InProgress", None, max(m.delete_at - self.sb.clock.now(), 0.0)
        _, headers = self.sb.operations.start(m.target.subscription_id, m.target.location, check)
        return headers

    def _check_op_id(self, req: Req, m: Migration) -> None:
        body = req.body if isinstance(req.body, dict) else {}
        given = body.get("migrationOperationId")
        if not given:
            raise _missing("migrationOperationId")
        if str(given).lower() != m.operation_id.lower():
            raise _invalid("migrationOperationId", f"The migration operation id '{given}' does not match the "
                           f"current operation of migration '{m.name}'.", code="InvalidMigrationOperationId")

    def cutover(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        assert isinstance(m, BackupRestoreMigration)
        now = self.sb.clock.now()
        if m.status == "Completing":  # the cutover was accepted before: nothing more to do
            return Answer(202, None, self._operation(m, lambda: True))
        if not m.online:
            raise ArmError(400, "MigrationNotReadyForCutoverError", "This is an offline migration: it completes "
                           "by itself after restoring the last backup file; there is no cutover.")
        ready, why = m.ready_for_cutover(now)
        if not ready:
            raise ArmError(400, "MigrationNotReadyForCutoverError", f"The migration is not ready for cutover. {why}")
        m.status = "Completing"
        m.complete_at = now + COMPLETE_SECONDS
        # the operation is the accepted request; the migration itself goes Completing -> Succeeded
        return Answer(202, None, self._operation(m, lambda: True))

    def cancel(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        if m.status not in ("Creating", "InProgress", "Canceling"):
            raise ArmError(400, "MigrationCannotBeCanceled", f"The migration is {m.status} and cannot be canceled.")
        if m.status != "Canceling":
            m.cancel(self.sb.clock.now())
        headers = self._operation(m, lambda: True)  # accepted; the migration goes Canceling -> Canceled
        return Answer(202, None, headers)

    def retry(self, req: Req, kind: TargetKind) -> Answer:
        _, m = self._find(req, kind)
        self._check_op_id(req, m)
        assert isinstance(m, TableCopyMigration)
        if m.status != "Failed":
            raise ArmError(400, "MigrationCannotBeRetried", f"Only a failed migration can be retried; this one is "
                           f"{m.status}.")
        m.retry(self.sb.clock.now())
        headers = self._operation(m, lambda: m.status != "Creating")
        headers["Location"] = f"https://management.azure.com{m.id}?api-version={req.api_version or '2025-06-30'}"
        return Answer(202, self.json(m, expand=False), headers)
