"""Migration lifecycles driven through the real Azure SDK clients against the sandbox."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError

from tui.sandbox import Sandbox

from test_sandbox_support import MI, TARGET_RG, Clients


@pytest.fixture()
def sb():
    return Sandbox(seed=0)


@pytest.fixture()
def c(sb):
    return Clients(sb)


def _mi(c, name="SalesDB"):
    return c.dms.database_migrations_sql_mi.get(TARGET_RG, MI, name, expand="MigrationStatusDetails")


def test_sqlmi_online_full_log_cutover_succeeds(sb, c):
    ops = c.dms.database_migrations_sql_mi
    m = ops.begin_create_or_update(TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")).result()
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
    assert all(s.is_backup_restored for s in d.active_backup_sets)
    full = d.full_backup_set_info
    assert full.backup_type == "Database" and full.has_backup_checksums
    assert full.list_of_backup_files[0].status == "Restored"

    rec = sb.take_log_backup("SalesDB")
    assert rec.backup_type == "log" and rec.has_checksum
    sb.advance(9)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 1
    new = [s for s in d.active_backup_sets if s.list_of_backup_files[0].file_name == "SalesDB_log_004.trn"]
    assert new and new[0].backup_type == "Transaction Log" and new[0].first_lsn == rec.first_lsn
    # not ready: the cutover is refused with DMS's code
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(TARGET_RG, MI, "SalesDB", {"migrationOperationId": g.properties.migration_operation_id}).result()
    assert err.value.error.code == "MigrationNotReadyForCutoverError"

    sb.advance(30)
    d = _mi(c).properties.migration_status_details
    assert d.pending_log_backups_count == 0 and d.last_restored_filename == "SalesDB_log_004.trn"
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(TARGET_RG, MI, "SalesDB", {"migrationOperationId": "3f1c1d7e-0000-4000-8000-000000000000"}).result()
    assert err.value.status_code == 400
    ops.begin_cutover(TARGET_RG, MI, "SalesDB", {"migrationOperationId": g.properties.migration_operation_id}).result()
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
    assert {(t.schema, t.table, t.rows) for t in target.row_counts("SalesDB")} == \
        {(t.schema, t.table, t.rows) for t in src.row_counts("SalesDB")}
