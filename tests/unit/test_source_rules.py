"""Readiness rules: each rule fires on its facts, stays quiet otherwise, and says the fix."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from tests.helpers.source_fakes import FakeOdbc, FakeSqlServer, backup, db
from tui.models import DatabaseFile, ServerInfo, Severity, TargetKind
from tui.source import SqlServerSource
from tui.source.rules import RULES, assess

MI, VM, SQLDB = TargetKind.SQL_MI, TargetKind.SQL_VM, TargetKind.SQL_DB
SERVER = ServerInfo(server="sqlprod01", version="16.0.4135.4", major_version=16)
CLEAN = db("Sales", 5)


def findings(database, target=MI, *, online=True, server=SERVER):
    return {f.rule_id: f for f in assess(server, database, target, online=online)}


def test_a_clean_database_has_no_findings_on_mi_and_vm():
    assert findings(CLEAN, MI) == {}
    assert findings(CLEAN, VM) == {}
    assert findings(CLEAN, MI, online=False) == {}


def test_rule_ids_are_unique_and_every_finding_names_the_database():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for f in assess(SERVER, replace(CLEAN, recovery_model="SIMPLE", is_encrypted=True), MI):
        assert "Sales" in f.message and f.fix


@pytest.mark.parametrize(
    "name,database_id",
    [("master", 1), ("tempdb", 2), ("model", 3), ("msdb", 4), ("distribution", 9)],
)
def test_system_databases_are_never_migrated_and_nothing_else_is_said(name, database_id):
    found = assess(SERVER, db(name, database_id, recovery_model="SIMPLE", history=()), MI)
    assert [f.rule_id for f in found] == ["system-database"]
    assert found[0].severity is Severity.BLOCKER


@pytest.mark.parametrize("target", list(TargetKind))
def test_ssisdb_points_to_ssis_in_data_factory(target):
    found = assess(SERVER, db("SSISDB", 7), target, online=target is not SQLDB)
    assert [f.rule_id for f in found] == ["ssisdb"]
    assert found[0].severity is Severity.BLOCKER
    assert "Azure Data Factory" in found[0].fix
    assert "SSIS catalog" in found[0].message


def test_recovery_model_blocks_online_only_and_gives_the_alter():
    simple = replace(CLEAN, recovery_model="SIMPLE")
    f = findings(simple)["recovery-model"]
    assert f.severity is Severity.BLOCKER and "SIMPLE" in f.message
    assert f.fix.startswith("ALTER DATABASE [Sales] SET RECOVERY FULL;")
    assert "full backup" in f.fix
    assert "recovery-model" not in findings(simple, online=False)
    assert "recovery-model" in findings(replace(CLEAN, recovery_model="BULK_LOGGED"), VM)


def test_no_full_backup_blocks_with_the_backup_statement():
    f = findings(db("Sales", 5, history=()))["no-full-backup"]
    assert f.severity is Severity.BLOCKER
    assert "BACKUP DATABASE [Sales] TO URL" in f.fix and "CHECKSUM" in f.fix


def test_no_log_backup_since_the_full_warns_for_online():
    older_log = (backup("Sales", "log", 1, 100, 200), backup("Sales", "full", 5, 300, 400))
    f = findings(db("Sales", 5, history=older_log))["no-log-backup"]
    assert f.severity is Severity.WARNING and "BACKUP LOG [Sales]" in f.fix
    assert "no-log-backup" not in findings(db("Sales", 5, history=older_log), online=False)
    only_full = db("Sales", 5, history=(backup("Sales", "full", 5, 300, 400),))
    assert "no-log-backup" in findings(only_full)


def test_backups_without_checksum_warn():
    hist = (
        backup("Sales", "full", 0, 100, 200, checksum=False),
        backup("Sales", "log", 5, 100, 300),
    )
    f = findings(db("Sales", 5, history=hist))["backup-checksum"]
    assert f.severity is Severity.WARNING and "full" in f.message and "CHECKSUM" in f.fix


def test_copy_only_full_warns():
    hist = (
        backup("Sales", "full", 0, 100, 200, copy_only=True),
        backup("Sales", "log", 5, 100, 300),
    )
    assert findings(db("Sales", 5, history=hist))["copy-only-full"].severity is Severity.WARNING


def test_appended_and_striped_backups():
    hist = (
        backup("Sales", "full", 0, 100, 200, stripes=3),
        backup("Sales", "log", 5, 100, 300, position=4),
    )
    found = findings(db("Sales", 5, history=hist))
    assert (
        found["backup-striped"].severity is Severity.INFO
        and "3 files" in found["backup-striped"].message
    )
    assert found["backup-appended"].severity is Severity.WARNING


def test_local_disk_backups_are_pointed_at_blob_or_share():
    hist = (
        backup("Sales", "full", 0, 100, 200, device="D:\\Backup\\Sales.bak"),
        backup("Sales", "log", 5, 100, 300, device="D:\\Backup\\Sales.trn"),
    )
    assert findings(db("Sales", 5, history=hist))["backup-location"].severity is Severity.INFO
    share = (
        backup("Sales", "full", 0, 100, 200, device="\\\\nas\\sql\\Sales.bak"),
        backup("Sales", "log", 5, 100, 300, device="\\\\nas\\sql\\Sales.trn"),
    )
    assert "backup-location" not in findings(db("Sales", 5, history=share))


@pytest.mark.parametrize("target", [MI, VM])
def test_tde_blocks_until_the_certificate_is_moved(target):
    f = findings(replace(CLEAN, is_encrypted=True), target)["tde"]
    assert f.severity is Severity.BLOCKER
    assert "BACKUP CERTIFICATE" in f.fix
    assert "Press t on step 6" in f.fix  # the way to move it, from this tool
    if target is MI:
        assert "uploads that file to the managed instance" in f.fix
    else:
        assert "CREATE CERTIFICATE" in f.fix
    assert "tde" not in findings(replace(CLEAN, is_encrypted=True), SQLDB, online=False)


def test_filestream_and_filetable_block_mi_and_sqldb_not_vm():
    fs = replace(CLEAN, files=CLEAN.files + (DatabaseFile("fs", "FILESTREAM", 1.0, "FS", "FD"),))
    assert findings(fs, MI)["filestream"].severity is Severity.BLOCKER
    assert findings(fs, SQLDB, online=False)["filestream"].severity is Severity.BLOCKER
    assert "filestream" not in findings(fs, VM)
    assert "FileTable" in findings(replace(CLEAN, has_filetable=True), MI)["filestream"].message


def test_memory_optimized_is_a_warning_not_filestream():
    mod = replace(
        CLEAN,
        files=CLEAN.files
        + (DatabaseFile("mod", "FILESTREAM", 0.0, "MOD", "FX", is_memory_optimized=True),),
    )
    found = findings(mod, MI)
    assert found["memory-optimized"].severity is Severity.WARNING
    assert "General Purpose" in found["memory-optimized"].message
    assert "filestream" not in found
    assert "memory-optimized" not in findings(mod, VM)


def test_multiple_log_files_block_mi_only():
    two = replace(CLEAN, files=CLEAN.files + (DatabaseFile("log2", "LOG", 1.0),))
    f = findings(two, MI)["multiple-log-files"]
    assert f.severity is Severity.BLOCKER and "2 transaction log files" in f.message
    assert "REMOVE FILE" in f.fix
    assert "multiple-log-files" not in findings(two, VM)


def test_size_limits():
    big = replace(CLEAN, data_size_mb=17 * 1024 * 1024)
    assert findings(big, MI)["mi-size"].severity is Severity.BLOCKER
    assert "mi-size" not in findings(replace(CLEAN, data_size_mb=15 * 1024 * 1024), MI)
    assert findings(big, SQLDB, online=False)["sqldb-size"].severity is Severity.WARNING


@pytest.mark.parametrize("state", ["OFFLINE", "RESTORING", "RECOVERY_PENDING", "SUSPECT"])
def test_database_not_online_blocks(state):
    f = findings(replace(CLEAN, state=state))["database-state"]
    assert f.severity is Severity.BLOCKER and state in f.message


def test_each_state_gets_its_own_fix():
    restoring = findings(replace(CLEAN, state="RESTORING"))["database-state"].fix
    assert "RESTORE DATABASE [Sales] WITH RECOVERY;" in restoring
    assert "SET ONLINE" not in restoring
    offline = findings(replace(CLEAN, state="OFFLINE"))["database-state"].fix
    assert "ALTER DATABASE [Sales] SET ONLINE;" in offline
    assert "WITH RECOVERY" not in offline
    suspect = findings(replace(CLEAN, state="SUSPECT"))["database-state"].fix
    assert "error log" in suspect


def test_a_name_with_brackets_is_kept_quoted_in_the_fix():
    odd = db("Stage]Q1[", 5, state="RESTORING", recovery_model="SIMPLE")
    found = findings(odd)
    assert "RESTORE DATABASE [Stage]]Q1[] WITH RECOVERY;" in found["database-state"].fix
    assert "ALTER DATABASE [Stage]]Q1[] SET RECOVERY FULL;" in found["recovery-model"].fix


def test_read_only_and_user_access():
    assert findings(replace(CLEAN, is_read_only=True))["read-only"].severity is Severity.WARNING
    single = findings(replace(CLEAN, user_access="SINGLE_USER"))["user-access"]
    assert (
        single.severity is Severity.WARNING
        and single.fix == "ALTER DATABASE [Sales] SET MULTI_USER;"
    )
    assert (
        findings(replace(CLEAN, user_access="RESTRICTED_USER"))["user-access"].severity
        is Severity.INFO
    )


def test_source_older_than_2008_blocks():
    old = ServerInfo(server="old", version="9.00.5000", major_version=9)
    assert findings(CLEAN, server=old)["source-version"].severity is Severity.BLOCKER
    r2 = ServerInfo(server="r2", version="10.50.6000.34", major_version=10)
    assert "source-version" not in findings(CLEAN, server=r2)


def test_sql_database_is_offline_only_and_needs_the_schema():
    online = findings(CLEAN, SQLDB, online=True)
    assert online["sqldb-offline-only"].severity is Severity.BLOCKER
    offline = findings(CLEAN, SQLDB, online=False)
    assert "sqldb-offline-only" not in offline
    assert offline["sqldb-schema"].severity is Severity.INFO
    # the fix names tools that exist, not a step this tool does not have
    assert "SqlPackage" in offline["sqldb-schema"].fix
    assert "configuration step" not in offline["sqldb-schema"].fix
    # backup rules do not apply: SQL Database copies tables, it restores no backups
    assert "no-full-backup" not in findings(db("Sales", 5, history=()), SQLDB, online=False)


def test_blockers_come_first():
    found = assess(SERVER, replace(CLEAN, is_read_only=True, is_encrypted=True), MI)
    assert found[0].severity is Severity.BLOCKER
    clean = assess(SERVER, replace(CLEAN, is_read_only=True), MI)
    assert all(f.severity is not Severity.BLOCKER for f in clean)


def test_quoting_in_fix_text_is_safe_for_odd_names():
    odd = db("we]ird", 5, recovery_model="SIMPLE")
    assert "ALTER DATABASE [we]]ird] SET RECOVERY FULL;" in findings(odd)["recovery-model"].fix


# --------------------------------------------------------------------------- parity


def _parity_databases(major: int):
    """One database per awkward fact, as the sandbox's simulated server holds them."""
    from tui.sandbox.sqlserver import SimDatabase

    def files(name, extra=()):
        return (
            DatabaseFile(name, "ROWS", 512.0, "PRIMARY", "FG"),
            DatabaseFile(f"{name}_log", "LOG", 64.0),
        ) + tuple(extra)

    full = lambda n, **kw: backup(n, "full", 0, 1000, 2000, **kw)  # noqa: E731
    log = lambda n, **kw: backup(n, "log", 10, 1000, 3000, **kw)  # noqa: E731
    return [
        SimDatabase("master", 1, recovery_model="SIMPLE", files=files("master")),
        SimDatabase("SSISDB", 5, files=files("SSISDB"), backups=[full("SSISDB"), log("SSISDB")]),
        SimDatabase("Sales", 6, files=files("Sales"), backups=[full("Sales"), log("Sales")]),
        SimDatabase(
            "Simple",
            7,
            recovery_model="SIMPLE",
            files=files("Simple"),
            backups=[full("Simple", checksum=False)],
        ),
        SimDatabase(
            "Secure",
            8,
            is_encrypted=True,
            files=files("Secure"),
            backups=[full("Secure"), log("Secure")],
        ),
        SimDatabase(
            "Docs",
            9,
            has_filetable=True,
            files=files(
                "Docs",
                [
                    DatabaseFile("Docs_fs", "FILESTREAM", 10.0, "DocsFS", "FD"),
                    DatabaseFile("Docs_log2", "LOG", 10.0),
                ],
            ),
            backups=[full("Docs")],
        ),
        SimDatabase(
            "Trading",
            10,
            files=files(
                "Trading",
                [DatabaseFile("mod", "FILESTREAM", 0.0, "MOD", "FX", is_memory_optimized=True)]
                if major >= 12
                else [],
            ),  # In-Memory OLTP arrived in 2014
            backups=[full("Trading", copy_only=True, stripes=2), log("Trading", position=2)],
        ),
        SimDatabase("Offline", 11, state="OFFLINE", files=files("Offline")),
        SimDatabase(
            "Frozen",
            12,
            is_read_only=True,
            files=files("Frozen"),
            backups=[full("Frozen", device="E:\\bak\\Frozen.bak")],
        ),
        SimDatabase(
            "Huge",
            13,
            files=files("Huge"),
            data_size_mb=17 * 1024 * 1024,
            backups=[full("Huge"), log("Huge")],
        ),
        SimDatabase("Nobackup", 14, files=files("Nobackup")),
    ]


@pytest.mark.parametrize(
    "major,version", [(11, "11.0.7507.2"), (13, "13.0.6300.2"), (16, "16.0.4135.4")]
)
def test_sandbox_and_real_source_give_identical_findings_for_the_same_facts(major, version):
    sim_mod = pytest.importorskip("tui.sandbox.sqlserver")
    info = ServerInfo(
        server="sqlprod01",
        version=version,
        major_version=major,
        edition="Enterprise Edition (64-bit)",
        is_sysadmin=True,
        server_name="SQLPROD01",
    )
    sim = sim_mod.SimulatedSqlServer("sqlprod01", info, threading.RLock(), lambda: 0.0)
    for d in _parity_databases(major):
        if d.data_size_mb == 0.0:
            d.data_size_mb = sum(f.size_mb for f in d.files if f.file_type != "LOG")
            d.log_size_mb = sum(f.size_mb for f in d.files if f.file_type == "LOG")
        sim.add(d)
    simulated = {d.name: d for d in sim.databases()}
    year = {11: 2012, 13: 2016, 16: 2022}[major]
    fake = FakeSqlServer(year=year, databases=list(simulated.values()))
    real = SqlServerSource("sqlprod01", user="dba", password="pw", _pyodbc=FakeOdbc(fake))
    real_dbs = {d.name: d for d in real.databases()}
    assert set(real_dbs) == set(simulated)
    for name, sim_db in simulated.items():
        for target in TargetKind:
            for online in (True, False):
                expected = sim.assess(sim_db, target, online=online)
                got = real.assess(real_dbs[name], target, online=online)
                assert got == expected, (name, target, online)
    # and the facts fed in cover most rules
    fired = {
        f.rule_id
        for d in simulated.values()
        for t in TargetKind
        for f in sim.assess(d, t, online=True)
    }
    assert {
        "system-database",
        "ssisdb",
        "recovery-model",
        "tde",
        "filestream",
        "multiple-log-files",
        "database-state",
        "read-only",
        "mi-size",
        "no-full-backup",
        "backup-checksum",
        "copy-only-full",
        "backup-striped",
        "backup-appended",
        "backup-location",
        "no-log-backup",
        "sqldb-offline-only",
        "sqldb-schema",
    } <= fired
    assert ("memory-optimized" in fired) == (major >= 12)


def test_target_may_be_given_as_the_dms_kind_string():
    assert assess(SERVER, replace(CLEAN, is_encrypted=True), "sqlmi") == assess(
        SERVER, replace(CLEAN, is_encrypted=True), MI
    )
    with pytest.raises(ValueError):
        assess(SERVER, CLEAN, "Oracle")
