"""The simulated on-premises SQL Server (``tui.source.base.Source``) and the real-time sandbox."""

from __future__ import annotations

import threading
import time

import pytest

from tests.helpers.sandbox_support import MI, TARGET_RG, Clients
from tui.errors import DmsTuiError
from tui.models import TargetKind
from tui.sandbox import Sandbox
from tui.sandbox.sqlserver import SimTable
from tui.source.base import Source
from tui.source.errors import SourceError, SourceErrorKind


def until(condition, what: str, timeout: float = 30.0) -> None:
    """Wait for ``condition()`` while the real clock moves a realtime sandbox, looking again
    every 50 ms; fails after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        threading.Event().wait(0.05)


def test_source_is_a_source(sb):
    src = sb.sql_server(sb.source_address)
    assert isinstance(src, Source)
    info = src.server_info()
    assert info.major_version in (15, 16) and info.server == "sqlprod01.contoso.local"
    assert (
        sb.sql_server("SQLPROD01") is src
        and sb.sql_server("tcp:sqlprod01.contoso.local,1433") is src
    )
    with pytest.raises(KeyError):
        sb.sql_server("nowhere.contoso.local")


def test_connecting_to_an_unknown_server_fails_like_a_real_driver(sb):
    from tui.source import SourceError, SourceErrorKind

    assert sb.connect("SQLPROD01", 1433) is sb.sql_server(sb.source_address)
    with pytest.raises(SourceError) as info:
        sb.connect("nowhere.contoso.local", 1433)
    err = info.value
    assert err.kind is SourceErrorKind.UNREACHABLE
    assert (err.sqlstate, err.native_code, err.code) == ("08001", 11001, "08001/11001")
    assert err.message == "Cannot reach SQL Server at nowhere.contoso.local,1433."
    assert "Server is not found or not accessible" in err.detail and "firewall" in err.hint


def test_source_databases(sb):
    dbs = {d.name: d for d in sb.sql_server(sb.source_address).databases()}
    assert {"master", "model", "msdb", "tempdb"} <= set(dbs)
    assert all(dbs[n].is_system for n in ("master", "model", "msdb", "tempdb"))
    sales = dbs["SalesDB"]
    assert sales.recovery_model == "FULL" and sales.last_full and sales.last_full.has_checksum
    assert (
        sales.last_log and sales.last_log.device.startswith("https://") and sales.table_count > 20
    )
    assert sales.log_file_count == 1
    assert dbs["HRPayroll"].is_encrypted
    assert dbs["StagingETL"].recovery_model == "SIMPLE"
    assert "SSISDB" in dbs
    assert dbs["InventoryHub"].table_count == 10_000
    # log chain of the history is continuous
    logs = [b for b in sales.backups if b.backup_type == "log"]
    assert all(a.last_lsn == b.first_lsn for a, b in zip(logs, logs[1:], strict=False))


def test_row_counts_exact_and_cheap(sb, monkeypatch):
    src = sb.sql_server(sb.source_address)
    rows = src.row_counts("SalesDB", exact_tables=["[Sales].[Customer]"])
    cust = [r for r in rows if r.full_name == "Sales.Customer"][0]
    assert cust.exact and cust.rows > 100_000
    assert any(r.rows == 0 for r in rows)
    # cheap: one look at each table's name, however many tables and exact ones there are
    looks = []
    name = SimTable.full_name.fget
    monkeypatch.setattr(SimTable, "full_name", property(lambda t: looks.append(1) or name(t)))
    exact = [f"[dbo].[Table{i}]" for i in range(100)]
    assert len(src.row_counts("InventoryHub", exact_tables=exact)) == 10_000
    assert len(looks) == 10_000


def test_backup_log_and_tail(sb):
    src = sb.sql_server(sb.source_address)
    url = "https://example.blob.core.windows.net/other/SalesDB/SalesDB_log_x.trn"
    res = src.backup_log("SalesDB", url)
    assert (
        res.backup_type == "log"
        and "BACKUP LOG [SalesDB]" in res.statement
        and "CHECKSUM" in res.statement
    )
    with pytest.raises(DmsTuiError) as err:
        src.backup_log("StagingETL", url)
    assert err.value.code == "4208"
    tail = src.backup_log("SalesDB", url, tail=True)
    assert "NORECOVERY" in tail.statement and tail.backup_type == "tail-log"
    assert [d for d in src.databases() if d.name == "SalesDB"][0].state == "RESTORING"
    with pytest.raises(DmsTuiError):
        src.row_counts("SalesDB")


def test_row_counts_after_the_tail_log_backup_fail_like_a_real_server(sb):
    """After BACKUP LOG ... WITH NORECOVERY the database is RESTORING; reading it fails with
    error 927, as the real source layer reports it: a SourceError, database unavailable."""
    src = sb.sql_server(sb.source_address)
    before = src.row_counts("SalesDB")
    assert before
    src.backup_log("SalesDB", sb.world.backup_url("SalesDB", "SalesDB_tail.trn"), tail=True)
    assert next(d for d in src.databases() if d.name == "SalesDB").state == "RESTORING"
    with pytest.raises(SourceError) as err:
        src.row_counts("SalesDB")
    e = err.value
    assert e.message == "Database 'SalesDB' cannot be opened. It is in the middle of a restore."
    assert e.native_code == 927 and e.code == "927"
    assert e.kind == SourceErrorKind.DATABASE_UNAVAILABLE
    assert "tail-log" in e.hint
    with pytest.raises(SourceError) as err:  # and no second log backup either
        src.backup_log("SalesDB", sb.world.backup_url("SalesDB", "SalesDB_tail2.trn"))
    assert err.value.kind == SourceErrorKind.BACKUP_FAILED


def test_take_log_backup_lands_in_blob_folder(sb):
    c = Clients(sb)
    rec = sb.take_log_backup("SalesDB")
    assert rec.device == sb.world.backup_url("SalesDB", "SalesDB_log_004.trn")
    acct = sb.world.migration_account
    assert "SalesDB/SalesDB_log_004.trn" in [b.path for b in acct.containers["sqlmigration"].blobs]
    assert c.account().name == acct.name


def test_assess_uses_shared_rules(sb):
    src = sb.sql_server(sb.source_address)
    dbs = {d.name: d for d in src.databases()}
    findings = src.assess(dbs["StagingETL"], TargetKind.SQL_MI, online=True)
    assert findings and all(f.database == "StagingETL" for f in findings)
    assert src.assess(dbs["SSISDB"], TargetKind.SQL_MI)


def test_offline_last_backup_with_folder(sb):
    c = Clients(sb)
    body = c.blob_body(
        "SqlMi", MI, "SalesDB", online=False, last_backup="SalesDB/SalesDB_log_003.trn"
    )
    body["properties"]["backupConfiguration"]["sourceLocation"]["azureBlob"][
        "blobContainerName"
    ] = "sqlmigration"
    c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesCopy", body
    ).result()
    sb.advance(300)
    m = c.dms.database_migrations_sql_mi.get(TARGET_RG, MI, "SalesCopy")
    assert m.properties.migration_status == "Succeeded"


def test_realtime_sandbox_moves_with_the_wall_clock():
    sb = Sandbox.realtime(seed=0, speed=200.0)
    c = Clients(sb)
    c.resources.providers.register("Microsoft.DataMigration")
    until(
        lambda: (
            c.resources.providers.get("Microsoft.DataMigration").registration_state == "Registered"
        ),
        "registered as simulated time passes",
    )
    t0 = time.monotonic()
    svc = c.dms.sql_migration_services.begin_create_or_update(
        "rg-dms-migration", "dms-rt", {"location": "westeurope"}
    ).result()
    assert svc.provisioning_state == "Succeeded"
    # the poller follows the sandbox's short wait hints, not the SDK's 30 s default
    assert time.monotonic() - t0 < 20
    m = c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    assert m.properties.migration_operation_id

    def restored() -> bool:
        d = c.dms.database_migrations_sql_mi.get(
            TARGET_RG, MI, "SalesDB", expand="MigrationStatusDetails"
        )
        return bool(d.properties.migration_status_details.is_full_backup_restored)

    until(restored, "the full backup restored as simulated time passes")


def test_realtime_short_operations_answer_quickly():
    sb = Sandbox.realtime(seed=1, speed=1.0)
    c = Clients(sb)  # default polling interval (30 s): the sandbox's wait hints must be used
    m = c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    t0 = time.monotonic()
    c.dms.database_migrations_sql_mi.begin_cancel(
        TARGET_RG, MI, "SalesDB", {"migrationOperationId": m.properties.migration_operation_id}
    ).result()
    assert time.monotonic() - t0 < 20  # far below the SDK's 30 s default interval
