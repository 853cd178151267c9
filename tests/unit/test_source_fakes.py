"""The SQL Server fake the source-layer tests use answers as pyodbc does."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers.source_fakes import FakeOdbc, FakeSqlServer, db


def test_fake_answers_with_pyodbc_types():
    """The fake itself: result sets carry SQL Server's column names and pyodbc's value types."""
    server = FakeSqlServer(year=2016, databases=[db("Sales", 5)])
    conn = FakeOdbc(server).connect("Driver={x}", autocommit=True)
    cur = conn.cursor().execute("-- dms-tui:backup_history\nSELECT 1")
    names = [c[0] for c in cur.description]
    assert names[:3] == ["backup_set_id", "database_name", "type"]
    row = dict(zip(names, cur.fetchall()[0], strict=True))
    assert isinstance(row["first_lsn"], Decimal) and row["differential_base_lsn"] is None
    assert isinstance(row["has_backup_checksums"], bool)
    assert cur.nextset() is False
