"""SDK objects → ``tui.models`` dataclasses. The only place SDK shapes are read."""

from __future__ import annotations

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


def _online(kind: m.TargetKind, props: Any) -> bool:
    if kind == m.TargetKind.SQL_DB:
        return False
    offline = getattr(props, "offline_configuration", None)
    return not bool(offline and offline.offline)


def _error(props: Any) -> m.MigrationError | None:
    err = getattr(props, "migration_failure_error", None)
    if err and (err.code or err.message):
        from tui.dms_errors import explain

        return explain(err.code or "", err.message or "")
    if getattr(props, "provisioning_error", None):
        from tui.dms_errors import explain

        return explain("ProvisioningError", props.provisioning_error)
    return None


def migration_summary(res: Any) -> m.MigrationSummary:
    detail = migration_detail(res)
    return detail.summary


def _target_of(migration_id: str, props: Any) -> tuple[m.TargetKind, str, str]:
    try:
        mid = parse_migration_id(migration_id)
        return mid.kind, mid.target_id, mid.target_name
    except ValueError:
        kind = m.TargetKind.parse(getattr(props, "kind", "")) or m.TargetKind.SQL_MI
        scope = getattr(props, "scope", "") or ""
        try:
            rid = parse_resource_id(scope)
            return kind_of_target(rid.namespace, rid.resource_type), scope, rid.name
        except ValueError:
            return kind, scope, ""


def _backup_set(info: Any) -> m.BackupSet:
    files = tuple(
        m.BackupFile(
            name=f.file_name or "",
            status=f.status or "",
            backup_type=info.backup_type or "",
            total_size=f.total_size,
            data_read=f.data_read,
            data_written=f.data_written,
            copy_throughput=f.copy_throughput,
            copy_duration=f.copy_duration,
            family_sequence_number=f.family_sequence_number,
            first_lsn=info.first_lsn or "",
            last_lsn=info.last_lsn or "",
            backup_started=info.backup_start_date,
            backup_finished=info.backup_finish_date,
        )
        for f in (info.list_of_backup_files or [])
    )
    return m.BackupSet(
        backup_set_id=info.backup_set_id or "",
        backup_type=info.backup_type or "",
        first_lsn=info.first_lsn or "",
        last_lsn=info.last_lsn or "",
        backup_start=info.backup_start_date,
        backup_finish=info.backup_finish_date,
        is_restored=bool(info.is_backup_restored),
        has_checksums=info.has_backup_checksums,
        files=files,
        ignore_reasons=tuple(info.ignore_reasons or ()),
    )


def _table(t: Any) -> m.TableProgress:
    return m.TableProgress(
        name=t.table_name or "",
        status=t.status or "",
        rows_read=t.rows_read or 0,
        rows_copied=t.rows_copied or 0,
        copied_bytes=t.data_written or 0,
        throughput=t.copy_throughput or 0.0,
        copy_duration=t.copy_duration or 0,
        parallel_copy_type=t.parallel_copy_type or "",
        used_parallel_copies=t.used_parallel_copies or 0,
        copy_start=t.copy_start,
    )


def migration_detail(res: Any) -> m.MigrationDetail:
    """A ``DatabaseMigrationSqlMi/SqlVm/SqlDb`` (expanded or not) as a ``MigrationDetail``."""
    props = res.properties
    kind, target_id, target_name = _target_of(res.id or "", props)
    details = getattr(props, "migration_status_details", None)
    sets: list[m.BackupSet] = []
    tables: tuple[m.TableProgress, ...] = ()
    extra: dict[str, Any] = {}
    if details is not None and kind != m.TargetKind.SQL_DB:
        seen: set[str] = set()
        for info in [
            getattr(details, "full_backup_set_info", None),
            *(getattr(details, "active_backup_sets", None) or []),
        ]:
            if info is None:
                continue
            key = info.backup_set_id or f"{info.first_lsn}-{info.last_lsn}"
            if key in seen:
                continue
            seen.add(key)
            sets.append(_backup_set(info))
        extra = dict(
            migration_state=details.migration_state or "",
            pending_log_backups=details.pending_log_backups_count,
            is_full_backup_restored=details.is_full_backup_restored,
            last_restored_filename=details.last_restored_filename or "",
            current_restoring_filename=details.current_restoring_filename or "",
            blocking_reason=details.restore_blocking_reason or "",
            complete_restore_error=details.complete_restore_error_message or "",
        )
    elif details is not None:
        tables = tuple(_table(t) for t in (details.list_of_copy_progress_details or []))
        extra = dict(migration_state=details.migration_state or "")
        errors = [e for e in (details.sql_data_copy_errors or []) if e]
        if errors:
            extra["blocking_reason"] = "; ".join(errors)
    sets.sort(key=lambda s: (s.backup_start is None, s.backup_start or 0, s.first_lsn))
    offline = getattr(props, "offline_configuration", None)
    return m.MigrationDetail(
        id=res.id or "",
        name=res.name or "",
        kind=kind,
        status=m.MigrationState.parse(props.migration_status),
        source_database=props.source_database_name or "",
        target_database=res.name or "",
        migration_operation_id=props.migration_operation_id or "",
        provisioning_state=props.provisioning_state or "",
        source_server=props.source_server_name
        or getattr(getattr(props, "source_sql_connection", None), "data_source", "")
        or "",
        target_id=target_id,
        target_name=target_name,
        migration_service_id=props.migration_service or "",
        online=_online(kind, props),
        started_on=props.started_on,
        ended_on=props.ended_on,
        backup_sets=tuple(sets),
        backup_files=tuple(f for s in sets for f in s.files),
        tables=tables,
        error=_error(props),
        last_backup_name=(getattr(offline, "last_backup_name", "") or "") if offline else "",
        **extra,
    )
