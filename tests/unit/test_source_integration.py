"""Against a real SQL Server, when ``DMS_TUI_TEST_SQLSERVER`` holds a connection string.

Example::

    DMS_TUI_TEST_SQLSERVER='Server=127.0.0.1,1433;UID=sa;PWD=...;TrustServerCertificate=yes'

The login should be sysadmin (a scratch database is created and dropped). Backups to URL
are tried only when ``DMS_TUI_TEST_BACKUP_URL`` names a container folder the server holds a
credential for (``https://acct.blob.core.windows.net/container/folder``).
"""

from __future__ import annotations

import os
import uuid

import pytest

from tui.models import Severity, TargetKind
from tui.source import SourceError, SourceErrorKind, SqlServerSource
from tui.source.connect import open_connection, settings_from_connection_string

CONN = os.environ.get("DMS_TUI_TEST_SQLSERVER", "")
BACKUP_URL = os.environ.get("DMS_TUI_TEST_BACKUP_URL", "").rstrip("/")

pytestmark = pytest.mark.skipif(
    not CONN, reason="DMS_TUI_TEST_SQLSERVER is not set: no real SQL Server to test against"
)


@pytest.fixture
def source():
    src = SqlServerSource.from_connection_string(CONN)
    yield src
    src.close()


@pytest.fixture
def scratch(source):
    """A FULL-recovery database with two tables, dropped afterwards."""
    name = f"dms_tui_it_{uuid.uuid4().hex[:8]}"
    conn, _ = open_connection(settings_from_connection_string(CONN))
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE [{name}]")
    cur.execute(f"ALTER DATABASE [{name}] SET RECOVERY FULL")
    cur.execute(
        f"EXEC [{name}].sys.sp_executesql N'"
        "CREATE TABLE dbo.Orders (id int PRIMARY KEY); "
        "CREATE TABLE dbo.[Odd]]Name] (id int); "
        "INSERT dbo.Orders SELECT TOP (250) ROW_NUMBER() OVER (ORDER BY (SELECT 1)) "
        "FROM sys.all_objects; "
        "INSERT dbo.[Odd]]Name] VALUES (1), (2), (3);'"
    )
    while cur.nextset():
        pass
    yield name
    source.close()
    cur.execute(f"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE")
    cur.execute(f"DROP DATABASE [{name}]")
    conn.close()


def test_server_info(source):
    info = source.server_info()
    assert info.major_version >= 10
    assert info.version.startswith(str(info.major_version))
    assert info.edition and info.login


def test_databases_and_system_rule(source):
    dbs = {d.name: d for d in source.databases()}
    assert {"master", "tempdb", "model", "msdb"} <= set(dbs)
    master = dbs["master"]
    assert master.is_system and master.state == "ONLINE"
    assert master.data_size_mb > 0 and master.log_file_count >= 1
    ids = [f.rule_id for f in source.assess(master, TargetKind.SQL_MI)]
    assert ids == ["system-database"]


def test_scratch_database_inventory_rules_and_row_counts(source, scratch):
    db = {d.name: d for d in source.databases()}[scratch]
    assert db.recovery_model == "FULL" and db.state == "ONLINE"
    assert db.table_count == 2 and db.log_file_count == 1
    assert db.last_full is None
    found = {f.rule_id: f for f in source.assess(db, TargetKind.SQL_MI, online=True)}
    assert found["no-full-backup"].severity is Severity.BLOCKER

    counts = {c.full_name: c for c in source.row_counts(scratch, exact_tables=["dbo.[Odd]]Name]"])}
    assert counts["dbo.Orders"].rows == 250 and not counts["dbo.Orders"].exact
    assert counts["dbo.Odd]Name"].rows == 3 and counts["dbo.Odd]Name"].exact


def test_wrong_password_is_login_failed_without_the_password():
    s = settings_from_connection_string(CONN)
    if s.authentication != "sql":
        pytest.skip("the connection string does not use a SQL login")
    bad = "Wrong;Pass}word-" + uuid.uuid4().hex[:6]
    src = SqlServerSource.from_connection_string(CONN, password=bad)
    with pytest.raises(SourceError) as info:
        src.server_info()
    assert info.value.kind is SourceErrorKind.LOGIN_FAILED
    assert bad not in info.value.full_text


@pytest.mark.skipif(not BACKUP_URL, reason="DMS_TUI_TEST_BACKUP_URL is not set")
def test_full_and_log_backup_to_url_show_in_history(source, scratch):
    full = source.backup_full(scratch, f"{BACKUP_URL}/{scratch}/{scratch}_full.bak")
    log = source.backup_log(scratch, f"{BACKUP_URL}/{scratch}/{scratch}_log_001.trn")
    assert "CHECKSUM" in full.statement and "CHECKSUM" in log.statement
    db = {d.name: d for d in source.databases()}[scratch]
    assert db.last_full and db.last_full.has_checksum and db.last_full.device.startswith("https://")
    assert db.last_log and int(db.last_log.last_lsn) > int(db.last_full.last_lsn)
    ids = {f.rule_id for f in source.assess(db, TargetKind.SQL_MI)}
    assert not ids & {"no-full-backup", "no-log-backup", "backup-checksum"}
