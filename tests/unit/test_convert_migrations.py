"""Migrations are read from Azure's JSON in one pass (``tui.convert``), not through the SDK's
models: what that pass reads must be what Microsoft's own deserializer reads, field for field,
on the spec's examples and on the sandbox's answers (backup sets being restored, tables being
copied); the list answer's rows are read as summaries only."""

from __future__ import annotations

import pytest
from azure.mgmt.datamigration import models as dm

from tests.helpers.examples import load_example
from tests.helpers.sandbox_migrations import advance_until, start
from tests.helpers.sandbox_support import Clients
from tui import convert
from tui.azure_ids import parse_migration_id
from tui.models import MigrationDetail, MigrationState, MigrationSummary, TargetKind

SDK_TYPE = {
    TargetKind.SQL_MI: dm.DatabaseMigrationSqlMi,
    TargetKind.SQL_VM: dm.DatabaseMigrationSqlVm,
    TargetKind.SQL_DB: dm.DatabaseMigrationSqlDb,
}


def example(name: str) -> dict:
    return load_example(name)["responses"]["200"]["body"]


def summary_fields(d: MigrationSummary | MigrationDetail, res) -> None:
    """``d`` says what the SDK's model ``res`` says, for every field of a summary."""
    p = res.properties
    assert d.id == res.id and d.name == d.target_database == res.name
    assert d.status == MigrationState.parse(p.migration_status)
    assert d.provisioning_state == (p.provisioning_state or "")
    assert d.source_database == (p.source_database_name or "")
    assert d.source_server == (
        p.source_server_name or getattr(p.source_sql_connection, "data_source", "") or ""
    )
    assert d.migration_service_id == (p.migration_service or "")
    assert d.migration_operation_id == (p.migration_operation_id or "")
    assert d.started_on == p.started_on and d.ended_on == p.ended_on
    mid = parse_migration_id(res.id)
    assert (d.kind, d.target_id, d.target_name) == (mid.kind, mid.target_id, mid.target_name)
    offline = getattr(p, "offline_configuration", None)
    assert d.online == (d.kind != TargetKind.SQL_DB and not (offline and offline.offline))


def detail_fields(d: MigrationDetail, res) -> None:
    """``d`` says what the SDK's model ``res`` says, status details included."""
    summary_fields(d, res)
    p = res.properties
    details = p.migration_status_details
    if d.kind == TargetKind.SQL_DB:
        assert d.backup_sets == ()
        copies = (details.list_of_copy_progress_details or []) if details else []
        assert len(d.tables) == len(copies)
        for t, c in zip(d.tables, copies, strict=True):
            assert (t.name, t.status) == (c.table_name, c.status)
            assert (t.rows_read, t.rows_copied) == (c.rows_read or 0, c.rows_copied or 0)
            assert t.copied_bytes == (c.data_written or 0)
            assert t.throughput == (c.copy_throughput or 0.0)
            assert t.copy_duration == (c.copy_duration or 0)
            assert t.parallel_copy_type == (c.parallel_copy_type or "")
            assert t.used_parallel_copies == (c.used_parallel_copies or 0)
            assert t.copy_start == c.copy_start
        errors = [e for e in (details.sql_data_copy_errors or []) if e] if details else []
        assert d.blocking_reason == "; ".join(errors)
        return
    assert d.tables == ()
    if details is None:
        assert d.backup_sets == () and d.pending_log_backups is None
        return
    assert d.migration_state == (details.migration_state or "")
    assert d.pending_log_backups == details.pending_log_backups_count
    assert d.is_full_backup_restored == details.is_full_backup_restored
    assert d.last_restored_filename == (details.last_restored_filename or "")
    assert d.current_restoring_filename == (details.current_restoring_filename or "")
    assert d.blocking_reason == (details.restore_blocking_reason or "")
    assert d.complete_restore_error == (details.complete_restore_error_message or "")
    sdk_sets = {}
    for info in [details.full_backup_set_info, *(details.active_backup_sets or [])]:
        if info is not None:
            sdk_sets.setdefault(info.backup_set_id or f"{info.first_lsn}-{info.last_lsn}", info)
    assert {s.backup_set_id for s in d.backup_sets} == {i.backup_set_id for i in sdk_sets.values()}
    for s in d.backup_sets:
        info = sdk_sets[s.backup_set_id]
        assert (s.backup_type, s.first_lsn, s.last_lsn) == (
            info.backup_type,
            info.first_lsn,
            info.last_lsn,
        )
        assert (s.backup_start, s.backup_finish) == (
            info.backup_start_date,
            info.backup_finish_date,
        )
        assert s.is_restored == bool(info.is_backup_restored)
        assert s.has_checksums == info.has_backup_checksums
        assert list(s.ignore_reasons) == list(info.ignore_reasons or [])
        files = info.list_of_backup_files or []
        assert [
            (f.name, f.status, f.total_size, f.data_read, f.data_written, f.copy_duration)
            for f in s.files
        ] == [
            (f.file_name, f.status, f.total_size, f.data_read, f.data_written, f.copy_duration)
            for f in files
        ]
        assert [f.family_sequence_number for f in s.files] == [
            f.family_sequence_number for f in files
        ]
        assert all(f.first_lsn == s.first_lsn and f.backup_type == s.backup_type for f in s.files)
    assert d.backup_files == tuple(f for s in d.backup_sets for f in s.files)
    starts = [s.backup_start for s in d.backup_sets if s.backup_start is not None]
    assert starts == sorted(starts)  # oldest set first


@pytest.mark.parametrize(
    "name, kind",
    [
        ("SqlMiGetDatabaseMigrationExpanded", TargetKind.SQL_MI),
        ("SqlMiGetDatabaseMigration", TargetKind.SQL_MI),
        ("SqlVmGetDatabaseMigrationExpanded", TargetKind.SQL_VM),
        ("SqlVmGetDatabaseMigration", TargetKind.SQL_VM),
        ("SqlDbGetDatabaseMigrationExpanded", TargetKind.SQL_DB),
        ("SqlDbGetDatabaseMigration", TargetKind.SQL_DB),
    ],
)
def test_the_specs_examples_read_as_the_sdk_reads_them(name, kind):
    body = example(name)
    detail = convert.migration_detail(body)
    assert detail.kind == kind
    detail_fields(detail, SDK_TYPE[kind].deserialize(body))
    summary_fields(convert.migration_summary(body), SDK_TYPE[kind].deserialize(body))


def test_the_sql_database_example_reads_every_table():
    d = convert.migration_detail(example("SqlDbGetDatabaseMigrationExpanded"))
    assert [(t.name, t.status, t.rows_copied) for t in d.tables] == [
        ("Table.Name", "Succeeded", 10),
        ("Table2.Name", "InProgress", 0),
    ]
    assert d.blocking_reason == ""  # DMS's [""]: no error
    assert d.status is MigrationState.SUCCEEDED and d.online is False


def test_the_list_examples_rows_are_summaries():
    body = load_example("ListMigrationsBySqlMigrationService")
    rows = body["responses"]["200"]["body"]["value"]
    for row in rows:
        s = convert.migration_summary(row)
        assert type(s) is MigrationSummary
        summary_fields(s, dm.DatabaseMigration.deserialize(row))


def raw(c: Clients, kind: TargetKind, migration_id: str) -> dict:
    """The migration as the sandbox answers it, through the SDK's own operation."""
    mid = parse_migration_id(migration_id)
    ops = {
        TargetKind.SQL_MI: c.dms.database_migrations_sql_mi,
        TargetKind.SQL_VM: c.dms.database_migrations_sql_vm,
        TargetKind.SQL_DB: c.dms.database_migrations_sql_db,
    }[kind]
    return ops.get(
        mid.resource_group,
        mid.target_name,
        mid.database,
        expand="MigrationStatusDetails",
        cls=lambda pipeline_response, _model, _headers: pipeline_response.http_response.json(),
    )


@pytest.mark.parametrize("kind", [TargetKind.SQL_MI, TargetKind.SQL_VM])
def test_backup_sets_being_restored_read_as_the_sdk_reads_them(controller, sandbox, kind):
    mig = start(controller, sandbox, kind, "SalesDB")
    sandbox.take_log_backup("SalesDB")
    advance_until(controller, sandbox, mig.id, lambda d: len(d.backup_sets) >= 2)
    body = raw(Clients(sandbox), kind, mig.id)
    sets = body["properties"]["migrationStatusDetails"]["activeBackupSets"]
    assert sets and all(s["listOfBackupFiles"] for s in sets)
    detail_fields(convert.migration_detail(body), SDK_TYPE[kind].deserialize(body))
    assert controller.get_migration(mig.id) == convert.migration_detail(body)


def test_tables_being_copied_read_as_the_sdk_reads_them(controller, sandbox):
    mig = start(controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    advance_until(controller, sandbox, mig.id, lambda d: any(t.rows_copied for t in d.tables))
    body = raw(Clients(sandbox), TargetKind.SQL_DB, mig.id)
    assert body["properties"]["migrationStatusDetails"]["listOfCopyProgressDetails"]
    d = convert.migration_detail(body)
    assert d.tables and any(t.copy_start for t in d.tables)
    detail_fields(d, dm.DatabaseMigrationSqlDb.deserialize(body))


def test_what_azure_may_leave_out_or_garble_is_read_as_nothing():
    body = {
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/srv"
        "/providers/Microsoft.DataMigration/databaseMigrations/db1",
        "name": "db1",
        "properties": {
            "migrationStatus": "InProgress",
            "startedOn": "not a time",
            "endedOn": "2026-03-02T08:00:00",  # no zone: UTC, as every ARM time
            "migrationStatusDetails": {
                "listOfCopyProgressDetails": [
                    {"tableName": "dbo.A", "rowsRead": "12", "rowsCopied": None},
                    "garbage",
                ],
                "sqlDataCopyErrors": ["", "Table dbo.B: login failed"],
            },
        },
    }
    d = convert.migration_detail(body)
    assert d.started_on is None and d.ended_on is not None and d.ended_on.utcoffset() is not None
    assert [(t.name, t.rows_read, t.rows_copied) for t in d.tables] == [("dbo.A", 12, 0)]
    assert d.blocking_reason == "Table dbo.B: login failed"
    assert convert.migration_detail({}).status == ""


def test_the_reads_build_no_sdk_model_and_go_through_the_clients_pipeline(
    controller, sandbox, monkeypatch
):
    """The list and the detail are read from the JSON (the SDK's deserializer is not called
    for them), through the same pipeline as every SDK call: a throttled read is retried."""
    from azure.mgmt.datamigration._utils import serialization

    from tui.sandbox import Fault

    mig = start(controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    advance_until(controller, sandbox, mig.id, lambda d: bool(d.tables))
    deserialized: list[str] = []
    real = serialization.Deserializer.__call__

    def counting(self, target_obj, *args, **kwargs):
        deserialized.append(str(target_obj))
        return real(self, target_obj, *args, **kwargs)

    monkeypatch.setattr(serialization.Deserializer, "__call__", counting)
    sandbox.inject(Fault.throttle(retry_after=0.01, match="/databaseMigrations/SalesDB"))
    sandbox.inject(Fault.throttle(retry_after=0.01, match="/listMigrations"))
    mark = len(sandbox.requests)
    rows = controller.list_service_migrations(mig.migration_service_id)
    detail = controller.get_migration(mig.id)
    assert deserialized == []
    assert [r.id.lower() for r in rows] == [mig.id.lower()]
    assert detail.tables and detail.kind == TargetKind.SQL_DB
    sent = sandbox.requests[mark:]
    assert len(sent) == 4  # each read once throttled, then retried by the pipeline
    assert all(r.method.upper() == "GET" for r in sent)


def test_a_list_in_pages_is_read_to_its_last_page(controller, sandbox, monkeypatch):
    """ARM sends a long list in pages linked by ``nextLink``: every page is read, and the
    api-version goes with each request."""
    from tui.sandbox.arm import Answer

    made = [start(controller, sandbox, TargetKind.SQL_MI, db) for db in ("SalesDB", "HRPayroll")]
    made.append(start(controller, sandbox, TargetKind.SQL_DB, "StagingETL"))
    real_route = sandbox.router.route

    def one_row_a_page(req):
        answer = real_route(req)
        if not req.path.lower().endswith("/listmigrations") or answer.status != 200:
            return answer
        rows = answer.body["value"]
        at = int(req.q("$skiptoken") or 0)
        body = {"value": rows[at : at + 1]}
        if at + 1 < len(rows):
            body["nextLink"] = (
                f"https://management.azure.com{req.path}?api-version=2025-06-30&$skiptoken={at + 1}"
            )
        return Answer(200, body, answer.headers)

    monkeypatch.setattr(sandbox.router, "route", one_row_a_page)
    mark = len(sandbox.requests)
    rows = controller.list_service_migrations(made[0].migration_service_id)
    assert sorted(r.id.lower() for r in rows) == sorted(m.id.lower() for m in made)
    sent = sandbox.requests[mark:]
    assert len(sent) == 3
    assert all(r.query.get("api-version") == "2025-06-30" for r in sent)
    assert [r.query.get("$skiptoken") for r in sent] == [None, "1", "2"]
