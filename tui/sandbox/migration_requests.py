"""The body of a ``databaseMigrations`` PUT: checked field by field the way DMS checks it (an
ARM error naming the field), then turned into a migration of the right kind."""

from __future__ import annotations

import ntpath
from typing import TYPE_CHECKING

from tui.models import TargetKind

from .arm import ArmError, parse_id, same_id
from .copy_migration import TableCopyMigration
from .migrations import Migration
from .restore_migration import BackupRestoreMigration
from .sqlserver import SimTable
from .world import BlobFile, Target

if TYPE_CHECKING:
    from .migration_routes import MigrationRoutes

_SECRET_KEYS = {"password", "accountkey"}


def missing(field: str) -> ArmError:
    return ArmError(
        400,
        "MissingRequiredProperty",
        f"The request is missing the required property '{field}'.",
        target=field,
    )


def invalid(field: str, message: str, code: str = "InvalidParameterValue") -> ArmError:
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


class MigrationRequests:
    def __init__(self, routes: MigrationRoutes):
        self.routes = routes
        self.sb = routes.sb
        self.world = routes.world

    def build(self, kind: TargetKind, target: Target, name: str, props: dict) -> Migration:
        """Validate a PUT body the way DMS does and make the migration it asks for."""
        world, now = self.world, self.sb.clock.now()
        for field in ("kind", "scope", "sourceDatabaseName", "migrationService"):
            if not props.get(field):
                raise missing(f"properties.{field}")
        if str(props["kind"]).lower() != kind.value.lower():
            raise invalid(
                "properties.kind",
                f"The migration kind '{props['kind']}' does not match the target: "
                f"a migration under '{target.namespace_type}' must have kind '{kind.value}'.",
                code="InvalidMigrationKind",
            )
        if not same_id(props["scope"], target.id):
            raise invalid(
                "properties.scope",
                f"The scope '{props['scope']}' must be the id of the target "
                f"'{target.id}' the migration is created under.",
                code="InvalidScope",
            )
        service = self.sb.services.find(props["migrationService"])
        if service is None:
            raise invalid(
                "properties.migrationService",
                f"The Database Migration Service '{props['migrationService']}' was not found.",
                code="MigrationServiceNotFound",
            )
        if service.state != "Succeeded":
            raise invalid(
                "properties.migrationService",
                f"The Database Migration Service '{service.name}' is "
                f"in the '{service.state}' state; wait until it is Succeeded.",
                code="MigrationServiceNotReady",
            )
        if kind == TargetKind.SQL_MI and target.state != "Ready":
            raise ArmError(
                409,
                "ManagedInstanceNotReady",
                f"The managed instance '{target.name}' is in the "
                f"'{target.state}' state. Migrations need a Ready managed instance.",
                target="properties.scope",
            )
        if kind == TargetKind.SQL_VM and target.sql_management != "Full":
            raise ArmError(
                400,
                "SqlVmNotInFullMode",
                f"The SQL IaaS Agent extension of '{target.name}' runs in "
                f"'{target.sql_management}' mode. "
                "Database migrations need the 'Full' management mode.",
                target="properties.scope",
            )
        existing = self.routes.items.get(self.routes.mid(target, name).lower())
        if existing is not None and existing.active and not existing.deleting:
            raise ArmError(
                409,
                "MigrationAlreadyExists",
                f"A migration to '{name}' on '{target.name}' is already "
                f"{existing.status}. Cancel it or wait for it to finish.",
            )
        conn = props.get("sourceSqlConnection")
        source = (
            world.server(conn["dataSource"])
            if isinstance(conn, dict) and conn.get("dataSource")
            else None
        )
        common = dict(
            rid=self.routes.mid(target, name),
            name=name,
            kind=kind,
            target=target,
            service_id=service.id,
            source_database=props["sourceDatabaseName"],
            now=now,
            operation_id=self.sb.new_id("migration-operation"),
        )
        if kind == TargetKind.SQL_DB:
            return self._build_sqldb(props, target, name, conn, source, common)
        if target.engine.get(name) is not None:
            raise ArmError(
                409,
                "DatabaseAlreadyExists",
                f"The database '{name}' already exists on '{target.name}'. "
                "Migrations do not overwrite a database: choose another target database name.",
                target="targetDbName",
            )
        return self._build_restore(props, target, service, conn, source, common)

    def _build_restore(
        self, props, target, service, conn, source, common
    ) -> BackupRestoreMigration:
        world = self.world
        backup = props.get("backupConfiguration")
        if not isinstance(backup, dict) or not isinstance(backup.get("sourceLocation"), dict):
            raise missing("properties.backupConfiguration.sourceLocation")
        loc = backup["sourceLocation"]
        offline_cfg = props.get("offlineConfiguration") or {}
        offline = bool(offline_cfg.get("offline"))
        last_backup = offline_cfg.get("lastBackupName") or ""
        echo = _scrub({k: v for k, v in props.items() if k not in ("kind",)})
        if isinstance(loc.get("azureBlob"), dict):
            blob = loc["azureBlob"]
            acct_ref = blob.get("storageAccountResourceId")
            if not acct_ref:
                raise missing(
                    "properties.backupConfiguration.sourceLocation.azureBlob.storageAccountResourceId"
                )
            acct = self._account(
                acct_ref,
                "properties.backupConfiguration.sourceLocation.azureBlob.storageAccountResourceId",
            )
            auth = blob.get("authType") or "AccountKey"
            if auth.lower() == "accountkey":
                if not blob.get("accountKey"):
                    raise missing(
                        "properties.backupConfiguration.sourceLocation.azureBlob.accountKey"
                    )
                if blob["accountKey"] not in acct.keys:
                    raise invalid(
                        "properties.backupConfiguration.sourceLocation.azureBlob.accountKey",
                        f"The account key is not valid for storage account '{acct.name}'.",
                        code="InvalidStorageAccountKey",
                    )
            elif auth.lower() != "managedidentity":
                raise invalid(
                    "properties.backupConfiguration.sourceLocation.azureBlob.authType",
                    f"Unknown authType '{auth}'. Use 'AccountKey' or 'ManagedIdentity'.",
                )
            cname = blob.get("blobContainerName") or ""
            if not cname:
                raise missing(
                    "properties.backupConfiguration.sourceLocation.azureBlob.blobContainerName"
                )
            container_name, _, folder = cname.partition("/")
            container = acct.containers.get(container_name)
            if container is None:
                raise invalid(
                    "properties.backupConfiguration.sourceLocation.azureBlob.blobContainerName",
                    f"The container '{container_name}' does not exist "
                    f"in storage account '{acct.name}'.",
                    code="BlobContainerNotFound",
                )
            if offline and not last_backup:
                raise missing("properties.offlineConfiguration.lastBackupName")
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
                    raise missing(f"properties.backupConfiguration.sourceLocation.fileShare.{f}")
            if not isinstance(conn, dict):
                raise missing("properties.sourceSqlConnection")
            tgt = backup.get("targetLocation") or {}
            if not tgt.get("storageAccountResourceId"):
                raise missing(
                    "properties.backupConfiguration.targetLocation.storageAccountResourceId"
                )
            self._account(
                tgt["storageAccountResourceId"],
                "properties.backupConfiguration.targetLocation.storageAccountResourceId",
            )
            if source is None:
                source = world.source
            path = share["path"]

            def list_files(path=path, source=source):
                return self._share_files(source, path)

            storage_type, container_label = "FileShare", ""
        else:
            raise missing("properties.backupConfiguration.sourceLocation.azureBlob")
        echo.setdefault("backupConfiguration", {})
        echo["backupConfiguration"] = dict(echo["backupConfiguration"])
        echo["backupConfiguration"]["sourceLocation"] = dict(
            echo["backupConfiguration"].get("sourceLocation") or {}
        )
        echo["backupConfiguration"]["sourceLocation"]["fileStorageType"] = storage_type
        if offline_cfg:
            echo["offlineConfiguration"] = {
                "offline": offline,
                "lastBackupName": last_backup or None,
            }
        m = BackupRestoreMigration(
            online=not offline,
            last_backup_name=last_backup,
            storage_type=storage_type,
            list_files=list_files,
            ir_online_since=lambda: self._ir_online_since(service),
            container_name=container_label,
            props=echo,
            source=source,
            **common,
        )
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
            raise invalid(
                field, f"The storage account '{ref}' was not found.", code="StorageAccountNotFound"
            )
        return acct

    def _share_files(self, source, path: str) -> list[BlobFile]:
        want = self.sb.share_to_local(path)
        out: list[BlobFile] = []
        if source is None:
            return out
        for name in source.names():
            db = source.get(name)
            for rec in db.backups:
                dev = self.sb.share_to_local(ntpath.dirname(rec.device))
                if dev != want or rec.backup_type not in ("full", "log"):
                    continue
                out.append(
                    BlobFile(
                        path=rec.device.replace("\\", "/"),
                        database=rec.database,
                        backup_type=rec.backup_type,
                        first_lsn=int(rec.first_lsn),
                        last_lsn=int(rec.last_lsn),
                        size=rec.size_bytes,
                        has_checksum=rec.has_checksum,
                        backup_start=rec.start.timestamp(),
                        backup_finish=rec.finish.timestamp(),
                        created=rec.finish.timestamp(),
                        server=source.address,
                    )
                )
        return out

    def _build_sqldb(self, props, target, name, conn, source, common) -> TableCopyMigration:
        if not isinstance(conn, dict):
            raise missing("properties.sourceSqlConnection")
        tconn = props.get("targetSqlConnection")
        if not isinstance(tconn, dict):
            raise missing("properties.targetSqlConnection")
        for f in ("dataSource", "userName", "password"):
            if not tconn.get(f):
                raise missing(f"properties.targetSqlConnection.{f}")
        target_db = target.engine.get(name)
        if target_db is None or target_db.is_system:
            raise ArmError(
                400,
                "TargetDatabaseNotFound",
                f"The database '{name}' does not exist on '{target.name}'. "
                "Create the target database (and its schema) "
                "before migrating to Azure SQL Database.",
                target="targetDbName",
            )
        if (
            props.get("offlineConfiguration")
            and props["offlineConfiguration"].get("offline") is False
        ):
            raise invalid(
                "properties.offlineConfiguration.offline",
                "Azure SQL Database migrations are offline only.",
            )
        problem = None
        tables: list[SimTable] | None = None
        src_db = source.get(common["source_database"]) if source is not None else None
        if source is None:
            problem = (
                "SourceConnectionFailed",
                "A network-related or instance-specific error occurred while establishing "
                f"a connection to SQL Server '{conn.get('dataSource')}'. The server was not "
                "found or was not accessible from the self-hosted integration runtime.",
            )
        elif src_db is None:
            problem = (
                "SourceDatabaseNotFound",
                f'Cannot open database "{common["source_database"]}" requested '
                f"by the login. The login failed. (Msg 4060)",
            )
        else:
            wanted = props.get("tableList") or []
            if wanted:
                index = {t.full_name.lower(): t for t in src_db.tables}
                tables = []
                for w in wanted:
                    t = index.get(_table_key(w))
                    if t is None:
                        raise invalid(
                            "properties.tableList",
                            f"The table '{w}' was not found in source database '{src_db.name}'.",
                            code="TableNotFound",
                        )
                    tables.append(t)
            else:
                tables = list(src_db.tables)
        echo = _scrub({k: v for k, v in props.items() if k not in ("kind", "offlineConfiguration")})
        echo["offlineConfiguration"] = {"offline": True}
        return TableCopyMigration(
            tables=tables,
            target_db=target_db,
            seed=self.sb.seed,
            source_problem=problem,
            props=echo,
            source=source,
            **common,
        )
