"""Azure's answers → ``tui.models`` dataclasses. The only place Azure's shapes are read: SDK
objects for DMS instances, the JSON itself for migrations (below)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui import models as m
from tui.azure_ids import kind_of_target, parse_migration_id, parse_resource_id


def _rg_of(resource_id: str) -> str:
    try:
        return parse_resource_id(resource_id).resource_group
    except ValueError:
        return ""


def migration_service(svc: Any) -> m.MigrationService:
    return m.MigrationService(
        id=svc.id or "",
        name=svc.name or "",
        resource_group=_rg_of(svc.id or ""),
        location=svc.location or "",
        provisioning_state=svc.provisioning_state or "",
        integration_runtime_state=svc.integration_runtime_state or "",
        tags=tuple(sorted((svc.tags or {}).items())),
    )


def integration_runtime(data: Any) -> m.IntegrationRuntime:
    nodes = tuple(
        m.IntegrationRuntimeNode(
            node_name=n.node_name or "",
            status=str((n.additional_properties or {}).get("status", "") or ""),
            version=str((n.additional_properties or {}).get("version", "") or ""),
            available_memory_mb=n.available_memory_in_mb,
            cpu_utilization=n.cpu_utilization,
            concurrent_jobs_running=n.concurrent_jobs_running,
            concurrent_jobs_limit=n.concurrent_jobs_limit,
            max_concurrent_jobs=n.max_concurrent_jobs,
            received_bytes=n.received_bytes,
            sent_bytes=n.sent_bytes,
        )
        for n in (data.nodes or [])
    )
    return m.IntegrationRuntime(name=data.name or "", nodes=nodes)


# --------------------------------------------------------------------------- migrations
#
# ``databaseMigrations`` are read from Azure's JSON, not through the SDK's models: a SQL
# Database migration reports every table (up to 100,000), and the SDK's model deserializer
# spent over a second on 20,000 of them per read. One pass over the JSON builds the models;
# the names are the 2025-06-30 spec's (``sqlmigration.json``), checked against Microsoft's
# examples and the SDK's own deserializer in ``tests/unit/test_convert_migrations.py``.

Json = dict[str, Any]
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)  # sorts the sets with no start time (they go last)


def _obj(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _when(value: Any) -> datetime | None:
    """An ISO 8601 time as Azure writes it (``Z``, up to 7 fractional digits); a time without
    a zone is UTC, as every ARM time is; anything else is no time at all."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _online(kind: m.TargetKind, props: Json) -> bool:
    if kind == m.TargetKind.SQL_DB:
        return False
    return not bool(_obj(props.get("offlineConfiguration")).get("offline"))


def _error(props: Json) -> m.MigrationError | None:
    err = _obj(props.get("migrationFailureError"))
    code, message = _str(err.get("code")), _str(err.get("message"))
    if code or message:
        from tui.dms_errors import explain

        return explain(code, message)
    provisioning = _str(props.get("provisioningError"))
    if provisioning:
        from tui.dms_errors import explain

        return explain("ProvisioningError", provisioning)
    return None


def _target_of(migration_id: str, props: Json) -> tuple[m.TargetKind, str, str]:
    try:
        mid = parse_migration_id(migration_id)
        return mid.kind, mid.target_id, mid.target_name
    except ValueError:
        kind = m.TargetKind.parse(_str(props.get("kind"))) or m.TargetKind.SQL_MI
        scope = _str(props.get("scope"))
        try:
            rid = parse_resource_id(scope)
            return kind_of_target(rid.namespace, rid.resource_type), scope, rid.name
        except ValueError:
            return kind, scope, ""


def _common(res: Json) -> dict[str, Any]:
    """What a migration's summary holds (the list answer's row), as keyword arguments."""
    props = _obj(res.get("properties"))
    rid, name = _str(res.get("id")), _str(res.get("name"))
    kind, target_id, target_name = _target_of(rid, props)
    return dict(
        id=rid,
        name=name,
        kind=kind,
        status=m.MigrationState.parse(_str(props.get("migrationStatus"))),
        provisioning_state=_str(props.get("provisioningState")),
        source_database=_str(props.get("sourceDatabaseName")),
        source_server=_str(props.get("sourceServerName"))
        or _str(_obj(props.get("sourceSqlConnection")).get("dataSource")),
        target_database=name,
        target_id=target_id,
        target_name=target_name,
        migration_service_id=_str(props.get("migrationService")),
        migration_operation_id=_str(props.get("migrationOperationId")),
        online=_online(kind, props),
        started_on=_when(props.get("startedOn")),
        ended_on=_when(props.get("endedOn")),
    )


def migration_summary(res: Json) -> m.MigrationSummary:
    """A row of ``listMigrations`` (or any migration) as a summary: its status details, a
    SQL Database migration's every table included, are not read."""
    return m.MigrationSummary(**_common(res))


def _backup_set(info: Json) -> m.BackupSet:
    backup_type = _str(info.get("backupType"))
    first_lsn, last_lsn = _str(info.get("firstLSN")), _str(info.get("lastLSN"))
    started, finished = _when(info.get("backupStartDate")), _when(info.get("backupFinishDate"))
    files = tuple(
        m.BackupFile(
            name=_str(f.get("fileName")),
            status=_str(f.get("status")),
            backup_type=backup_type,
            total_size=_int(f.get("totalSize")),
            data_read=_int(f.get("dataRead")),
            data_written=_int(f.get("dataWritten")),
            copy_throughput=_float(f.get("copyThroughput")),
            copy_duration=_int(f.get("copyDuration")),
            family_sequence_number=_int(f.get("familySequenceNumber")),
            first_lsn=first_lsn,
            last_lsn=last_lsn,
            backup_started=started,
            backup_finished=finished,
        )
        for f in map(_obj, _list(info.get("listOfBackupFiles")))
    )
    return m.BackupSet(
        backup_set_id=_str(info.get("backupSetId")),
        backup_type=backup_type,
        first_lsn=first_lsn,
        last_lsn=last_lsn,
        backup_start=started,
        backup_finish=finished,
        is_restored=bool(info.get("isBackupRestored")),
        has_checksums=_bool(info.get("hasBackupChecksums")),
        files=files,
        ignore_reasons=tuple(_str(r) for r in _list(info.get("ignoreReasons"))),
    )


def _table(t: Json) -> m.TableProgress:
    return m.TableProgress(
        name=_str(t.get("tableName")),
        status=_str(t.get("status")),
        rows_read=_int(t.get("rowsRead")) or 0,
        rows_copied=_int(t.get("rowsCopied")) or 0,
        copied_bytes=_int(t.get("dataWritten")) or 0,
        throughput=_float(t.get("copyThroughput")) or 0.0,
        copy_duration=_int(t.get("copyDuration")) or 0,
        parallel_copy_type=_str(t.get("parallelCopyType")),
        used_parallel_copies=_int(t.get("usedParallelCopies")) or 0,
        copy_start=_when(t.get("copyStart")),
    )


def _restore_details(details: Json) -> tuple[list[m.BackupSet], dict[str, Any]]:
    """Managed instance and SQL VM: the backup sets (the full one first, each set once) and
    the restore's state."""
    sets: list[m.BackupSet] = []
    seen: set[str] = set()
    for info in [details.get("fullBackupSetInfo"), *_list(details.get("activeBackupSets"))]:
        if not isinstance(info, dict):
            continue
        key = _str(info.get("backupSetId")) or f"{info.get('firstLSN')}-{info.get('lastLSN')}"
        if key in seen:
            continue
        seen.add(key)
        sets.append(_backup_set(info))
    sets.sort(key=lambda s: (s.backup_start is None, s.backup_start or _EPOCH, s.first_lsn))
    return sets, dict(
        migration_state=_str(details.get("migrationState")),
        pending_log_backups=_int(details.get("pendingLogBackupsCount")),
        is_full_backup_restored=_bool(details.get("isFullBackupRestored")),
        last_restored_filename=_str(details.get("lastRestoredFilename")),
        current_restoring_filename=_str(details.get("currentRestoringFilename")),
        blocking_reason=_str(details.get("restoreBlockingReason")),
        complete_restore_error=_str(details.get("completeRestoreErrorMessage")),
    )


def _copy_details(details: Json) -> tuple[tuple[m.TableProgress, ...], dict[str, Any]]:
    """SQL Database: every table's copy progress, and the copy's state."""
    tables = tuple(
        _table(t) for t in _list(details.get("listOfCopyProgressDetails")) if isinstance(t, dict)
    )
    extra: dict[str, Any] = dict(migration_state=_str(details.get("migrationState")))
    errors = [_str(e) for e in _list(details.get("sqlDataCopyErrors")) if e]
    if errors:
        extra["blocking_reason"] = "; ".join(errors)
    return tables, extra


def migration_detail(res: Json) -> m.MigrationDetail:
    """A migration as Azure answers it (``$expand=MigrationStatusDetails`` or not) as a
    ``MigrationDetail``, in one pass over the JSON."""
    common = _common(res)
    props = _obj(res.get("properties"))
    details = props.get("migrationStatusDetails")
    sets: list[m.BackupSet] = []
    tables: tuple[m.TableProgress, ...] = ()
    extra: dict[str, Any] = {}
    if isinstance(details, dict) and common["kind"] != m.TargetKind.SQL_DB:
        sets, extra = _restore_details(details)
    elif isinstance(details, dict):
        tables, extra = _copy_details(details)
    offline = _obj(props.get("offlineConfiguration"))
    return m.MigrationDetail(
        **common,
        backup_sets=tuple(sets),
        backup_files=tuple(f for s in sets for f in s.files),
        tables=tables,
        error=_error(props),
        last_backup_name=_str(offline.get("lastBackupName")),
        **extra,
    )
