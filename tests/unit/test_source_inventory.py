"""SqlServerSource against a fake pyodbc whose result sets are shaped as SQL Server's."""

from __future__ import annotations

import pytest

from tests.helpers.source_fakes import (
    URL,
    FakeOdbc,
    FakeSqlServer,
    backup,
    db,
    odbc_error,
)
from tui.models import DatabaseFile, TargetKind
from tui.source import SourceError, SourceErrorKind, SqlServerSource

YEARS = (2012, 2016, 2022)


def source_for(server: FakeSqlServer, **kw) -> tuple[SqlServerSource, FakeOdbc]:
    odbc = FakeOdbc(server)
    kw.setdefault("user", "dba")
    kw.setdefault("password", "pw")
    return SqlServerSource("sqlprod01", _pyodbc=odbc, **kw), odbc


def awkward_server(year: int) -> FakeSqlServer:
    dbs = [
        db("master", 1, recovery_model="SIMPLE", history=()),
        db("Sales", 5),
        db(
            "Archive",
            6,
            recovery_model="SIMPLE",
            history=(backup("Archive", "full", 3, 900, 990, checksum=False),),
        ),
        db(
            "Docs",
            7,
            files=(
                DatabaseFile("Docs", "ROWS", 100.0, "PRIMARY", "FG"),
                DatabaseFile("Docs_fs", "FILESTREAM", 50.0, "DocsFS", "FD"),
                DatabaseFile("Docs_log", "LOG", 10.0),
                DatabaseFile("Docs_log2", "LOG", 10.0),
            ),
            has_filetable=True,
            is_encrypted=True,
        ),
        db(
            "Striped",
            8,
            history=(
                backup("Striped", "full", 1, 500, 600, stripes=4, copy_only=True),
                backup("Striped", "diff", 5, 700, 800, position=2, diff_base="400"),
                backup("Striped", "log", 9, 500, 900),
            ),
        ),
    ]
    if year >= 2016:
        dbs.append(
            db(
                "Trading",
                9,
                files=(
                    DatabaseFile("Trading", "ROWS", 100.0, "PRIMARY", "FG"),
                    DatabaseFile(
                        "Trading_mod",
                        "FILESTREAM",
                        0.0,
                        "Trading_mod_fg",
                        "FX",
                        is_memory_optimized=True,
                    ),
                    DatabaseFile("Trading_log", "LOG", 10.0),
                ),
                containment="PARTIAL",
            )
        )
    return FakeSqlServer(year=year, databases=dbs)


@pytest.mark.parametrize("year", YEARS)
def test_server_info_reads_version_edition_and_sysadmin(year):
    src, odbc = source_for(FakeSqlServer(year=year, is_sysadmin=False))
    info = src.server_info()
    assert info.major_version == {2012: 11, 2016: 13, 2022: 16}[year]
    assert info.edition.endswith("(64-bit)")
    assert info.is_sysadmin is False
    assert info.server_name == "SQLPROD01" and info.login == "dba"
    assert odbc.connect_calls[0]["autocommit"] is True


@pytest.mark.parametrize("year", YEARS)
def test_databases_take_two_round_trips_and_read_every_fact(year):
    src, odbc = source_for(awkward_server(year))
    dbs = {d.name: d for d in src.databases()}
    conn = odbc.connections[0]
    assert len(conn.executed) == 2
    assert "-- dms-tui:databases" in conn.executed[0]
    assert "-- dms-tui:backup_history" in conn.executed[1]

    sales = dbs["Sales"]
    assert sales.state == "ONLINE" and sales.recovery_model == "FULL"
    assert sales.compatibility_level == 130
    assert sales.data_size_mb == 1024.0 and sales.log_size_mb == 256.0
    assert sales.last_full.backup_type == "full" and sales.last_log.backup_type == "log"
    assert sales.last_full.first_lsn == "40000000000100"  # Decimal -> digits, no exponent
    assert sales.last_log.last_lsn == "40000000001500"
    assert sales.last_full.device.startswith(URL) and sales.last_full.has_checksum

    docs = dbs["Docs"]
    assert docs.is_encrypted and docs.log_file_count == 2
    fs = [f for f in docs.files if f.file_type == "FILESTREAM"][0]
    assert fs.filegroup == "DocsFS" and fs.filegroup_type == "FD" and not fs.is_memory_optimized
    assert docs.has_filetable is True  # FileTable exists from 2012 on

    striped = dbs["Striped"]
    assert striped.last_full.family_count == 4 and len(striped.last_full.devices) == 4
    assert striped.last_full.is_copy_only
    assert striped.last_diff.position == 2 and striped.last_diff.differential_base_lsn == "400"
    assert striped.last_full.differential_base_lsn == ""  # NULL for full backups

    assert dbs["Archive"].last_log is None and not dbs["Archive"].last_full.has_checksum
    assert dbs["master"].is_system
    if year >= 2016:
        trading = dbs["Trading"]
        mod = [f for f in trading.files if f.logical_name == "Trading_mod"][0]
        assert mod.is_memory_optimized and mod.filegroup_type == "FX"
        assert trading.containment == "PARTIAL"


def test_sql_server_2008_has_no_containment_or_filetable_columns():
    server = FakeSqlServer(
        year=2008, databases=[db("Old", 5, containment="PARTIAL", has_filetable=True)]
    )
    src, _ = source_for(server)
    (old,) = src.databases()
    assert old.containment == "NONE" and old.has_filetable is False


def test_unreadable_database_keeps_its_file_facts():
    server = awkward_server(2022)
    server.unreadable = {"Docs"}
    src, _ = source_for(server)
    docs = {d.name: d for d in src.databases()}["Docs"]
    assert docs.log_file_count == 2
    fs = [f for f in docs.files if f.file_type == "FILESTREAM"][0]
    assert fs.filegroup == ""  # its filegroups could not be read
    assert docs.has_filetable is False and docs.table_count == 0


@pytest.mark.parametrize("year", YEARS)
def test_assess_through_the_source_covers_the_awkward_databases(year):
    src, _ = source_for(awkward_server(year))
    dbs = {d.name: d for d in src.databases()}

    def ids(name, target=TargetKind.SQL_MI, online=True):
        return {f.rule_id for f in src.assess(dbs[name], target, online=online)}

    assert ids("master") == {"system-database"}
    assert "recovery-model" in ids("Archive")
    assert "recovery-model" not in ids("Archive", online=False)
    assert "backup-checksum" in ids("Archive")
    assert {"filestream", "multiple-log-files", "tde"} <= ids("Docs")
    assert ids("Docs", TargetKind.SQL_VM) >= {"tde"} and "filestream" not in ids(
        "Docs", TargetKind.SQL_VM
    )
    assert {"backup-striped", "copy-only-full", "backup-appended"} <= ids("Striped")
    assert ids("Sales") == set()
    if year >= 2016:
        assert "memory-optimized" in ids("Trading")


def test_row_counts_one_query_from_partition_stats():
    server = FakeSqlServer(
        databases=[db("Sales", 5)],
        tables={"Sales": [("dbo", "Orders", 1200), ("sales", "Lines", 9000)]},
    )
    src, odbc = source_for(server)
    counts = src.row_counts("Sales")
    assert [(c.full_name, c.rows, c.exact) for c in counts] == [
        ("dbo.Orders", 1200, False),
        ("sales.Lines", 9000, False),
    ]
    executed = odbc.connections[0].executed
    assert len(executed) == 1
    assert executed[0].startswith("EXEC [Sales].sys.sp_executesql N'-- dms-tui:row_counts")


def test_row_counts_exact_for_chosen_tables_in_one_more_query():
    server = FakeSqlServer(
        databases=[db("Sales", 5)],
        tables={"Sales": [("dbo", "Orders", 1200), ("sales", "Lines", 9000)]},
        exact_rows={("Sales", "dbo", "Orders"): 1201},
    )
    src, odbc = source_for(server, count_timeout=900)
    counts = {c.full_name: c for c in src.row_counts("Sales", exact_tables=["orders"])}
    assert counts["dbo.Orders"].rows == 1201 and counts["dbo.Orders"].exact
    assert counts["sales.Lines"].rows == 9000 and not counts["sales.Lines"].exact
    conn = odbc.connections[0]
    assert len(conn.executed) == 2 and "COUNT_BIG(*)" in conn.executed[1]
    assert conn.timeouts[1] == 900 and conn.timeout == 120  # restored afterwards


def test_row_counts_unknown_exact_table_is_refused_before_any_scan():
    server = FakeSqlServer(databases=[db("Sales", 5)], tables={"Sales": [("dbo", "Orders", 1)]})
    src, odbc = source_for(server)
    with pytest.raises(SourceError) as info:
        src.row_counts("Sales", exact_tables=["dbo.Missing"])
    assert info.value.kind is SourceErrorKind.INVALID_ARGUMENT
    assert "dbo.Missing" in info.value.message
    assert len(odbc.connections[0].executed) == 1


def test_row_counts_fall_back_to_metadata_without_view_database_state():
    server = FakeSqlServer(
        databases=[db("Sales", 5)],
        tables={"Sales": [("dbo", "Orders", 7)]},
        deny_view_database_state=True,
    )
    src, odbc = source_for(server)
    assert [c.rows for c in src.row_counts("Sales")] == [7]
    assert "dms-tui:row_counts_metadata" in odbc.connections[0].executed[1]


def test_row_counts_of_missing_database_is_a_plain_error():
    src, _ = source_for(FakeSqlServer(databases=[db("Sales", 5)]))
    with pytest.raises(SourceError) as info:
        src.row_counts("Nope")
    assert info.value.native_code == 911
    assert info.value.kind is SourceErrorKind.DATABASE_UNAVAILABLE


def test_backup_log_runs_autocommit_and_drains_every_result():
    server = FakeSqlServer(databases=[db("Sales", 5)], backup_messages=4)
    src, odbc = source_for(server)
    result = src.backup_log("Sales", f"{URL}/Sales/Sales_log_002.trn")
    conn = odbc.connections[0]
    statement = conn.executed[-1]
    assert statement == (
        "BACKUP LOG [Sales] TO URL = N'https://acct.blob.core.windows.net/"
        "migrations/Sales/Sales_log_002.trn' WITH COMPRESSION, CHECKSUM, STATS = 10;"
    )
    assert result.statement == statement and result.backup_type == "log"
    assert conn.autocommit is True
    assert conn.nextset_calls >= 4  # every message result read
    assert conn.timeouts[-1] == 0  # backups are not cut short by the query timeout


def test_tail_log_backup_leaves_source_restoring():
    src, odbc = source_for(FakeSqlServer(databases=[db("Sales", 5)]))
    result = src.backup_log("Sales", f"{URL}/Sales/tail.trn", tail=True)
    assert "WITH NORECOVERY, COMPRESSION, CHECKSUM" in result.statement
    assert result.backup_type == "tail-log"


def test_express_edition_backs_up_without_compression():
    server = FakeSqlServer(
        databases=[db("Sales", 5)], edition="Express Edition (64-bit)", engine_edition=4
    )
    src, _ = source_for(server)
    assert "COMPRESSION" not in src.backup_log("Sales", f"{URL}/Sales/l.trn").statement


def test_backup_failure_surfacing_only_when_drained_is_reported_with_credential_fix():
    server = FakeSqlServer(
        databases=[db("Sales", 5)],
        backup_error=odbc_error(
            "42000",
            "Cannot open backup device 'https://acct.blob.core.windows.net/migrations/"
            "Sales/l.trn'. Operating system error 50(The request is not supported.).",
            3201,
            call="SQLMoreResults",
        ),
    )
    src, _ = source_for(server)
    with pytest.raises(SourceError) as info:
        src.backup_log("Sales", f"{URL}/Sales/l.trn")
    err = info.value
    assert err.kind is SourceErrorKind.BACKUP_FAILED and err.native_code == 3201
    assert "log backup of Sales failed" in err.message
    assert "CREATE CREDENTIAL [https://acct.blob.core.windows.net/migrations]" in err.hint
    assert "<SAS token>" in err.hint


def test_tail_log_without_exclusive_access_says_what_to_do():
    server = FakeSqlServer(
        databases=[db("Sales", 5)],
        backup_error=odbc_error(
            "42000", "Exclusive access could not be obtained because the database is in use.", 3101
        ),
    )
    src, _ = source_for(server)
    with pytest.raises(SourceError) as info:
        src.backup_log("Sales", f"{URL}/Sales/tail.trn", tail=True)
    assert "SET SINGLE_USER WITH ROLLBACK IMMEDIATE" in info.value.hint


def test_backup_url_with_sas_is_refused():
    src, odbc = source_for(FakeSqlServer(databases=[db("Sales", 5)]))
    with pytest.raises(SourceError) as info:
        src.backup_log("Sales", f"{URL}/Sales/l.trn?sv=2024&sig=abc")
    assert info.value.kind is SourceErrorKind.INVALID_ARGUMENT
    assert not any(s.startswith("BACKUP") for c in odbc.connections for s in c.executed)


def test_query_timeout_is_a_timeout_error():
    class SlowServer(FakeSqlServer):
        def _q_databases(self, sql):
            return [odbc_error("HYT00", "Query timeout expired", 0)]

    src, _ = source_for(SlowServer())
    with pytest.raises(SourceError) as info:
        src.databases()
    assert info.value.kind is SourceErrorKind.TIMEOUT and info.value.sqlstate == "HYT00"


def test_permission_denied_on_msdb_is_reported_plainly():
    class NoMsdb(FakeSqlServer):
        def _q_backup_history(self, sql):
            return [
                odbc_error(
                    "42000",
                    "The SELECT permission was denied on the object "
                    "'backupset', database 'msdb', schema 'dbo'.",
                    229,
                )
            ]

    src, _ = source_for(NoMsdb(databases=[db("Sales", 5)]))
    with pytest.raises(SourceError) as info:
        src.databases()
    err = info.value
    assert err.kind is SourceErrorKind.PERMISSION and err.native_code == 229
    assert "reading backup history" in err.message and "msdb" in err.hint


def test_close_releases_the_connection_and_reconnects_on_next_use():
    src, odbc = source_for(FakeSqlServer())
    src.server_info()
    src.close()
    assert odbc.connections[0].closed
    src.server_info()
    assert len(odbc.connections) == 2


def test_the_real_source_is_a_source():
    from tui.source import Source

    src, _ = source_for(FakeSqlServer())
    assert isinstance(src, Source)
