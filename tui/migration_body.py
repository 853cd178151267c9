"""``MigrationSpec`` → the SDK request model for a ``databaseMigrations`` PUT."""

from __future__ import annotations

from typing import Any

from tui.models import MigrationSpec, TargetKind


def _connection(dm: Any, conn: Any) -> Any:
    return dm.SqlConnectionInformation(
        data_source=conn.data_source,
        authentication=conn.authentication,
        user_name=conn.user_name or None,
        password=conn.password or None,
        encrypt_connection=conn.encrypt_connection,
        trust_server_certificate=conn.trust_server_certificate,
    )


def _backup_configuration(dm: Any, spec: MigrationSpec) -> Any:
    if spec.blob is not None:
        blob = spec.blob
        managed = blob.auth_type.lower() == "managedidentity"
        source = dm.SourceLocation(
            azure_blob=dm.AzureBlob(
                auth_type="ManagedIdentity" if managed else "AccountKey",
                storage_account_resource_id=blob.storage_account_id,
                account_key=None if managed else (blob.account_key or None),
                blob_container_name=blob.container,
            )
        )
        return dm.BackupConfiguration(source_location=source)
    if spec.share is not None:
        share = spec.share
        source = dm.SourceLocation(
            file_share=dm.SqlFileShare(
                path=share.path, username=share.user_name or None, password=share.password or None
            )
        )
        target = dm.TargetLocation(
            storage_account_resource_id=share.storage_account_id or None,
            account_key=share.account_key or None,
        )
        return dm.BackupConfiguration(source_location=source, target_location=target)
    raise ValueError("A backup location (blob container or network share) is required.")


def last_backup_path(spec: MigrationSpec) -> str:
    """The offline ``lastBackupName``: inside the database's folder when backups are in blob."""
    name = spec.last_backup_name.strip()
    if name and spec.blob is not None and spec.blob.folder and "/" not in name:
        return f"{spec.blob.folder.strip('/')}/{name}"
    return name


def build(spec: MigrationSpec) -> Any:
    """The request model for ``begin_create_or_update`` of this spec's kind."""
    from azure.mgmt.datamigration import models as dm

    common = dict(
        scope=spec.target_id,
        source_database_name=spec.source_database,
        migration_service=spec.migration_service_id,
        source_sql_connection=_connection(dm, spec.source),
    )
    if spec.kind == TargetKind.SQL_DB:
        if spec.target_sql is None:
            raise ValueError("Azure SQL Database targets need the target's SQL login.")
        copy_props = dm.DatabaseMigrationPropertiesSqlDb(
            target_sql_connection=_connection(dm, spec.target_sql),
            table_list=list(spec.tables) or None,
            **common,
        )
        return dm.DatabaseMigrationSqlDb(properties=copy_props)
    offline = None
    if not spec.online:
        offline = dm.OfflineConfiguration(
            offline=True, last_backup_name=last_backup_path(spec) or None
        )
    backup = _backup_configuration(dm, spec)
    if spec.kind == TargetKind.SQL_MI:
        mi_props = dm.DatabaseMigrationPropertiesSqlMi(
            backup_configuration=backup, offline_configuration=offline, **common
        )
        return dm.DatabaseMigrationSqlMi(properties=mi_props)
    vm_props = dm.DatabaseMigrationPropertiesSqlVm(
        backup_configuration=backup, offline_configuration=offline, **common
    )
    return dm.DatabaseMigrationSqlVm(properties=vm_props)
