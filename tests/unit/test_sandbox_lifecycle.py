"""Migration lifecycles driven through the real Azure SDK clients against the sandbox."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError

from tests.helpers.sandbox_support import CONTAINER, MI, TARGET_RG, register_dms_provider


def _mi(c, name="SalesDB"):
    return c.dms.database_migrations_sql_mi.get(
        TARGET_RG, MI, name, expand="MigrationStatusDetails"
    )


def _until_listed(sb, c, file_name, limit=200):
    """Advance second by second until DMS's next scan of the backup folder lists ``file_name``."""
    for _ in range(limit):
        d = _mi(c).properties.migration_status_details
        if any(
            f.file_name == file_name for s in d.active_backup_sets for f in s.list_of_backup_files
        ):
            return d
        sb.advance(1)
    raise AssertionError(f"{file_name} never listed")


def test_dms_lists_a_new_backup_only_at_its_next_scan(sb, c):
    """DMS scans the backup folder every SCAN_INTERVAL_SECONDS: a file written between two
    scans is listed at the next one, however often the migration is read."""
    from tui.sandbox.restore_migration import SCAN_INTERVAL_SECONDS

    c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(300)
    _mi(c)
    written = sb.now
    sb.take_log_backup("SalesDB")
    _until_listed(sb, c, "SalesDB_log_004.trn")
    waited = sb.now - written
    assert 60 <= waited <= SCAN_INTERVAL_SECONDS and SCAN_INTERVAL_SECONDS >= 120


def test_sqlmi_online_full_log_cutover_succeeds(sb, c):
    ops = c.dms.database_migrations_sql_mi
    m = ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    assert m.properties.migration_status == "InProgress"
    assert m.properties.provisioning_state == "Succeeded"
    d = _mi(c).properties.migration_status_details
    assert d.migration_state == "WaitForFullBackupUploadOperation"
    assert d.is_full_backup_restored is False

    sb.advance(200)
    g = _mi(c)
    d = g.properties.migration_status_details
    assert d.is_full_backup_restored is True
    assert d.pending_log_backups_count == 0
    assert d.last_restored_filename == d.current_restoring_filename == "SalesDB_log_003.trn"
    assert d.migration_state == "MonitorMigration"
    # every set of the chain is restored; the older full backup is reported, skipped, with the
    # reason
    chain = [s for s in d.active_backup_sets if not s.ignore_reasons]
    assert all(s.is_backup_restored for s in chain)
    skipped = [s for s in d.active_backup_sets if s.ignore_reasons]
    assert [s.list_of_backup_files[0].file_name for s in skipped] == ["SalesDB_full_1.bak"]
    assert (
        skipped[0].list_of_backup_files[0].status == "Skipped" and not skipped[0].is_backup_restored
    )
    assert "SalesDB_full_2.bak" in skipped[0].ignore_reasons[0]
    assert d.invalid_files == []
    full = d.full_backup_set_info
    assert full.backup_type == "Database" and full.has_backup_checksums
    assert full.list_of_backup_files[0].status == "Restored"

    rec = sb.take_log_backup("SalesDB")
    assert rec.backup_type == "log" and rec.has_checksum
    sb.advance(9)
    d = _mi(c).properties.migration_status_details
    # DMS has not scanned the folder since: nothing pending, the old file the last restored
    assert d.pending_log_backups_count == 0 and d.last_restored_filename == "SalesDB_log_003.trn"
    assert not [
        s
        for s in d.active_backup_sets
        if s.list_of_backup_files[0].file_name == "SalesDB_log_004.trn"
    ]
    d = _until_listed(sb, c, "SalesDB_log_004.trn")
    assert d.pending_log_backups_count == 1
    new = [
        s
        for s in d.active_backup_sets
        if s.list_of_backup_files[0].file_name == "SalesDB_log_004.trn"
    ]
    assert new and new[0].backup_type == "Transaction Log" and new[0].first_lsn == rec.first_lsn
    # not ready: the cutover is refused with DMS's code
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(
            TARGET_RG, MI, "SalesDB", {"migrationOperationId": g.properties.migration_operation_id}
        ).result()
    assert err.value.error.code == "MigrationNotReadyForCutoverError"

    sb.advance(30)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 0 and d.last_restored_filename == "SalesDB_log_004.trn"
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(
            TARGET_RG,
            MI,
            "SalesDB",
            {"migrationOperationId": "3f1c1d7e-0000-4000-8000-000000000000"},
        ).result()
    assert err.value.status_code == 400
    ops.begin_cutover(
        TARGET_RG, MI, "SalesDB", {"migrationOperationId": g.properties.migration_operation_id}
    ).result()
    assert _mi(c).properties.migration_status == "Completing"
    cutovers = [r for r in sb.requests if r.method == "POST" and r.path.endswith("/cutover")]
    assert len(cutovers) == 3
    sb.advance(31)
    done = _mi(c)
    assert done.properties.migration_status == "Succeeded"
    assert done.properties.ended_on is not None
    names = [d.name for d in c.sql.managed_databases.list_by_instance(TARGET_RG, MI)]
    assert "SalesDB" in names
    target = sb.sql_server(c.mi_fqdn())
    src = sb.sql_server(sb.source_address)
    assert {(t.schema, t.table, t.rows) for t in target.row_counts("SalesDB")} == {
        (t.schema, t.table, t.rows) for t in src.row_counts("SalesDB")
    }


def test_sqlmi_offline_completes_after_last_backup(sb, c):
    ops = c.dms.database_migrations_sql_mi
    body = c.blob_body("SqlMi", MI, "SalesDB", online=False, last_backup="SalesDB_log_003.trn")
    ops.begin_create_or_update(TARGET_RG, MI, "SalesDB_offline", body).result()
    sb.advance(60)
    assert _mi(c, "SalesDB_offline").properties.migration_status == "InProgress"
    sb.advance(200)
    m = _mi(c, "SalesDB_offline")
    assert m.properties.migration_status == "Succeeded"
    assert m.properties.offline_configuration.offline is True
    assert m.properties.migration_status_details.last_restored_filename == "SalesDB_log_003.trn"
    assert "SalesDB_offline" in sb.sql_server(c.mi_fqdn()).names()


def test_sqlvm_online_from_file_share_uploads_then_restores(sb, c):
    share = "\\\\sqlprod01\\SQLBackups"
    sb.take_full_backup("SalesDB", f"{share}\\SalesDB_full_share.bak")
    log = sb.take_log_backup("SalesDB")
    assert log.device.startswith(share)
    acct = c.account()
    body = {
        "properties": {
            "kind": "SqlVm",
            "scope": c.target_id("SqlVm", "sqlvm-contoso-01"),
            "migrationService": c.service_id(),
            "sourceDatabaseName": "SalesDB",
            "sourceSqlConnection": {
                "dataSource": sb.source_address,
                "authentication": "WindowsAuthentication",
                "userName": "CONTOSO\\svc-dms",
                "password": "pw",
            },
            "backupConfiguration": {
                "sourceLocation": {
                    "fileShare": {"path": share, "username": "CONTOSO\\svc-dms", "password": "pw"}
                },
                "targetLocation": {
                    "storageAccountResourceId": acct.id,
                    "accountKey": c.account_key(),
                },
            },
        }
    }
    ops = c.dms.database_migrations_sql_vm
    ops.begin_create_or_update(TARGET_RG, "sqlvm-contoso-01", "SalesDB", body).result()
    sb.advance(9)
    d = ops.get(
        TARGET_RG, "sqlvm-contoso-01", "SalesDB", expand="MigrationStatusDetails"
    ).properties.migration_status_details
    statuses = {
        s.list_of_backup_files[0].file_name: s.list_of_backup_files[0].status
        for s in d.active_backup_sets
    }
    assert statuses["SalesDB_full_share.bak"] == "Uploading"
    sb.advance(200)
    d = ops.get(
        TARGET_RG, "sqlvm-contoso-01", "SalesDB", expand="MigrationStatusDetails"
    ).properties.migration_status_details
    assert d.is_full_backup_restored and d.pending_log_backups_count == 0
    files = [f for s in d.active_backup_sets for f in s.list_of_backup_files]
    assert all(f.status == "Restored" and f.data_written == f.total_size for f in files)


def test_share_upload_waits_for_integration_runtime(sb, c):
    ops = c.dms.sql_migration_services
    register_dms_provider(sb, c)
    ops.begin_create_or_update("rg-dms-migration", "dms-new", {"location": "westeurope"})
    sb.advance(61)
    assert ops.get("rg-dms-migration", "dms-new").integration_runtime_state == "NeedRegistration"
    ops.list_auth_keys("rg-dms-migration", "dms-new")
    sb.advance(10)
    assert ops.get("rg-dms-migration", "dms-new").integration_runtime_state == "NeedRegistration"
    sb.advance(40)
    assert ops.get("rg-dms-migration", "dms-new").integration_runtime_state == "Online"
    assert [n.node_name for n in ops.list_monitoring_data("rg-dms-migration", "dms-new").nodes] == [
        "JUMPBOX01"
    ]


def test_break_backup_chain_blocks_until_repaired(sb, c):
    ops = c.dms.database_migrations_sql_mi
    m = ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(200)
    sb.break_backup_chain("SalesDB")
    sb.take_log_backup("SalesDB")
    sb.advance(120)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 1
    assert (
        "LSN gap" in d.restore_blocking_reason
        and "too recent to apply" in d.restore_blocking_reason
    )
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(
            TARGET_RG, MI, "SalesDB", {"migrationOperationId": m.properties.migration_operation_id}
        ).result()
    assert err.value.error.code == "MigrationNotReadyForCutoverError"
    sb.take_log_backup("SalesDB")
    sb.advance(120)
    assert _mi(c).properties.migration_status_details.pending_log_backups_count == 2
    moved = sb.repair_backup_chain("SalesDB")
    assert len(moved) == 1
    sb.advance(120)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 0 and not d.restore_blocking_reason


def test_fail_migration_reports_failure_error(sb, c):
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(30)
    sb.fail_migration("SalesDB")
    m = _mi(c)
    assert m.properties.migration_status == "Failed"
    assert m.properties.migration_failure_error.code == "RestoreFailed"
    assert m.properties.migration_failure_error.message
    assert m.properties.ended_on is not None
    sb.advance(100)
    m = _mi(c)
    assert m.properties.migration_status == "Failed"
    files = [
        f
        for s in m.properties.migration_status_details.active_backup_sets
        for f in s.list_of_backup_files
    ]
    assert not any(f.status == "Restored" for f in files)  # the restore in flight never finished


def test_tde_database_fails_on_missing_certificate(sb, c):
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "HRPayroll", c.blob_body("SqlMi", MI, "HRPayroll")
    ).result()
    sb.advance(60)
    m = _mi(c, "HRPayroll")
    assert m.properties.migration_status == "Failed"
    assert "certificate" in m.properties.migration_failure_error.message


def test_sqldb_tables_progress_then_succeed(sb, c):
    ops = c.dms.database_migrations_sql_db
    ops.begin_create_or_update(
        TARGET_RG, "sql-contoso-prod", "SalesDB", c.sqldb_body("SalesDB")
    ).result()

    def details():
        m = ops.get(TARGET_RG, "sql-contoso-prod", "SalesDB", expand="MigrationStatusDetails")
        return m, m.properties.migration_status_details.list_of_copy_progress_details

    sb.advance(25)
    m, tables = details()
    src = {
        f"{t.schema}.{t.table}": t.rows
        for t in sb.sql_server(sb.source_address).row_counts("SalesDB")
    }
    assert {t.table_name for t in tables} == {
        n for n, r in src.items() if r > 0
    }  # empty tables skipped
    assert m.properties.migration_status == "InProgress"
    assert any(t.status in ("PreparingForCopy", "Copying") for t in tables)
    seen = set()
    for _ in range(40):
        sb.advance(15)
        m, tables = details()
        seen |= {t.status for t in tables}
        copying = [t for t in tables if t.status == "Copying"]
        for t in copying:
            assert 0 <= t.rows_copied <= t.rows_read <= src[t.table_name]
        if m.properties.migration_status == "Succeeded":
            break
    assert m.properties.migration_status == "Succeeded"
    assert {"Copying", "Succeeded"} <= seen
    assert all(t.status == "Succeeded" and t.rows_copied == src[t.table_name] for t in tables)
    big = [t for t in tables if t.table_name == "Sales.SalesOrderDetail"][0]
    assert (
        big.parallel_copy_type == "DynamicRange"
        and big.used_parallel_copies > 1
        and big.copy_throughput > 0
    )
    target = sb.sql_server("sql-contoso-prod.database.windows.net")
    assert {f"{t.schema}.{t.table}": t.rows for t in target.row_counts("SalesDB")} == src


def test_sqldb_ten_thousand_tables(sb, c):
    ops = c.dms.database_migrations_sql_db
    src = sb.sql_server(sb.source_address)
    inv = [d for d in src.databases() if d.name == "InventoryHub"][0]
    assert inv.table_count == 10_000
    ops.begin_create_or_update(
        TARGET_RG, "sql-contoso-prod", "InventoryHub", c.sqldb_body("InventoryHub")
    ).result()
    sb.advance(3600)
    m = ops.get(TARGET_RG, "sql-contoso-prod", "InventoryHub", expand="MigrationStatusDetails")
    assert m.properties.migration_status == "InProgress"
    states = {t.status for t in m.properties.migration_status_details.list_of_copy_progress_details}
    assert "Succeeded" in states and "PreparingForCopy" in states
    sb.advance(40_000)
    m = ops.get(TARGET_RG, "sql-contoso-prod", "InventoryHub")
    assert m.properties.migration_status == "Succeeded"
    rows = sb.sql_server("sql-contoso-prod.database.windows.net").row_counts("InventoryHub")
    assert len(rows) == 10_000


def test_sqldb_cancel_stops_tables(sb, c):
    ops = c.dms.database_migrations_sql_db
    m = ops.begin_create_or_update(
        TARGET_RG, "sql-contoso-prod", "SalesDB", c.sqldb_body("SalesDB")
    ).result()
    sb.advance(40)
    ops.begin_cancel(
        TARGET_RG,
        "sql-contoso-prod",
        "SalesDB",
        {"migrationOperationId": m.properties.migration_operation_id},
    ).result()
    sb.advance(20)
    g = ops.get(TARGET_RG, "sql-contoso-prod", "SalesDB", expand="MigrationStatusDetails")
    assert g.properties.migration_status == "Canceled"
    statuses = {
        t.status for t in g.properties.migration_status_details.list_of_copy_progress_details
    }
    assert "Canceled" in statuses and statuses <= {"Canceled", "Succeeded"}


def test_differential_backup_bridges_an_lsn_gap(sb, c):
    ops = c.dms.database_migrations_sql_mi
    m = ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(200)
    sb.break_backup_chain("SalesDB")
    sb.take_log_backup("SalesDB")
    sb.advance(60)
    assert _mi(c).properties.migration_status_details.restore_blocking_reason
    diff = sb.take_diff_backup("SalesDB")
    assert diff.backup_type == "diff"
    sb.take_log_backup("SalesDB")
    sb.advance(200)
    d = _mi(c).properties.migration_status_details
    assert not d.restore_blocking_reason
    assert d.pending_log_backups_count == 0
    assert d.last_restored_filename == "SalesDB_log_006.trn"
    types = {s.list_of_backup_files[0].file_name: s.backup_type for s in d.active_backup_sets}
    assert types["SalesDB_diff_1.bak"] == "Differential Database"
    ops.begin_cutover(
        TARGET_RG, MI, "SalesDB", {"migrationOperationId": m.properties.migration_operation_id}
    ).result()
    sb.advance(31)
    assert _mi(c).properties.migration_status == "Succeeded"


def test_new_full_backup_does_not_break_the_log_chain(sb, c):
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(200)
    sb.take_full_backup("SalesDB")
    sb.take_log_backup("SalesDB")
    sb.advance(120)
    d = _mi(c).properties.migration_status_details
    assert not d.restore_blocking_reason and d.pending_log_backups_count == 0
    assert d.last_restored_filename == "SalesDB_log_004.trn"


def test_seeded_chain_first_log_backup_contains_the_end_of_the_latest_full(sb, c):
    """log_001 was taken after both full backups: it starts in full_1's range and ends past
    full_2's last LSN, so it continues full_2's chain and is restored after it."""
    blobs = {
        b.file_name: b
        for b in sb.world.migration_account.containers[CONTAINER].blobs
        if b.database == "SalesDB"
    }
    full, log1 = blobs["SalesDB_full_2.bak"], blobs["SalesDB_log_001.trn"]
    assert log1.first_lsn <= full.last_lsn < log1.last_lsn


def test_every_backup_set_has_its_own_id(sb, c):
    """log_001 starts at full_1's first LSN; it must still be a set of its own, or a client
    that keys sets by id (as the monitor does) loses it."""
    c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(200)
    sets = _mi(c).properties.migration_status_details.active_backup_sets
    ids = [s.backup_set_id for s in sets]
    assert len(ids) == len(set(ids))
    assert "SalesDB_log_001.trn" in {s.list_of_backup_files[0].file_name for s in sets}


def test_a_newer_full_backup_sets_aside_the_older_files(sb, c):
    """A full backup taken after log_003: DMS restores it and then only log_004; the older full
    backups and log_001-003 are reported skipped, with the reason, and never count as pending."""
    full3 = sb.take_full_backup("SalesDB")
    sb.advance(60)
    log4 = sb.take_log_backup("SalesDB")
    assert int(log4.first_lsn) <= int(full3.last_lsn) < int(log4.last_lsn)
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(12)
    d = _mi(c).properties.migration_status_details
    assert d.full_backup_set_info.list_of_backup_files[0].file_name == "SalesDB_full_3.bak"
    assert d.pending_log_backups_count == 1  # only log_004 continues the chain
    sb.advance(300)
    d = _mi(c).properties.migration_status_details
    files = {s.list_of_backup_files[0].file_name: s for s in d.active_backup_sets}
    assert [n for n, s in files.items() if s.is_backup_restored] == [
        "SalesDB_full_3.bak",
        "SalesDB_log_004.trn",
    ]
    skipped = {n: s for n, s in files.items() if s.ignore_reasons}
    assert set(skipped) == {
        "SalesDB_full_1.bak",
        "SalesDB_full_2.bak",
        "SalesDB_log_001.trn",
        "SalesDB_log_002.trn",
        "SalesDB_log_003.trn",
    }
    assert all(
        s.list_of_backup_files[0].status == "Skipped" and not s.is_backup_restored
        for s in skipped.values()
    )
    assert (
        "before the end of the full backup 'SalesDB_full_3.bak'"
        in skipped["SalesDB_log_002.trn"].ignore_reasons[0]
    )
    assert d.pending_log_backups_count == 0 and not d.restore_blocking_reason
    assert d.last_restored_filename == "SalesDB_log_004.trn"
    # the rule the Controller and the monitor apply agrees: ready for cutover
    from tui.controller import Controller
    from tui.cutover import cutover_blockers, restore_blockers

    ctl = Controller(sb.credential, sb.subscription_id, transport=sb.transport, polling_interval=0)
    mig_id = _mi(c).id
    assert restore_blockers(ctl.get_migration(mig_id)) == []
    assert cutover_blockers(ctl.get_migration(mig_id), "SalesDB_log_004.trn") == []


def test_a_log_backup_taken_while_the_full_restores_waits_its_turn(sb, c):
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(15)
    assert (
        _mi(c).properties.migration_status_details.migration_state == "RestoreFullBackupOperation"
    )
    log = sb.take_log_backup("SalesDB").device.rsplit("/", 1)[-1]
    d = _until_listed(sb, c, log)
    assert d.pending_log_backups_count >= 1  # listed at the next scan: queued, not skipped
    assert not [
        s
        for s in d.active_backup_sets
        if s.ignore_reasons and s.list_of_backup_files[0].file_name.endswith(".trn")
    ]
    sb.advance(120)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 0 and d.last_restored_filename == log
