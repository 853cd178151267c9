"""Exports for the change ticket: JSON with everything, CSV per backup file / table / check."""

from __future__ import annotations

import csv
import json

from tests.helpers.monitor_fakes import db_detail, mi_detail
from tui.export import export_migration
from tui.models import TableRowCount
from tui.row_validation import ValidationReport, compare


def test_compare_puts_mismatches_and_missing_tables_first():
    src = [
        TableRowCount("dbo", "A", 10),
        TableRowCount("dbo", "B", 5),
        TableRowCount("dbo", "C", 7),
    ]
    tgt = [TableRowCount("dbo", "A", 10), TableRowCount("dbo", "B", 4)]
    rows = compare(src, tgt)
    assert [r.table for r in rows] == ["dbo.B", "dbo.C", "dbo.A"]
    assert rows[1].target_rows is None and not rows[1].matches and rows[2].matches


def test_mi_export_json_and_csv(tmp_path):
    d = mi_detail(pending=0)
    report = ValidationReport(
        d.id,
        d.source_database,
        d.target_database,
        "src",
        "tgt",
        compare([TableRowCount("dbo", "A", 3)], [TableRowCount("dbo", "A", 2)]),
    )
    paths = export_migration(d, report, folder=tmp_path, stamp="x", notes=["Cutover at 02:10"])
    assert [p.name for p in paths] == [
        "Payroll-x.json",
        "Payroll-x-backups.csv",
        "Payroll-x-validation.csv",
    ]
    doc = json.loads(paths[0].read_text())
    assert doc["migration"]["kind"] == "SqlMi"
    assert doc["migration"]["backup_sets"][0]["files"][0]["name"] == "Payroll_full.bak"
    assert doc["migration"]["started_on"].startswith("2026-03-02T08:00")
    assert doc["validation"]["mismatches"] == 1 and doc["notes"] == ["Cutover at 02:10"]
    rows = list(csv.DictReader(paths[1].open()))
    assert [r["file"] for r in rows] == ["Payroll_full.bak", "Payroll_log_001.trn"]
    assert rows[0]["first_lsn"] == "1000" and rows[0]["set_restored"] == "True"
    check = list(csv.DictReader(paths[2].open()))
    assert check == [
        {
            "table": "dbo.A",
            "source_rows": "3",
            "target_rows": "2",
            "difference": "-1",
            "matches": "False",
        }
    ]


def test_sqldb_export_lists_every_table(tmp_path):
    d = db_detail(tables=25, copied=1.0)
    paths = export_migration(d, folder=tmp_path, stamp="y")
    rows = list(csv.DictReader(paths[1].open()))
    assert paths[1].name == "SalesDB-y-tables.csv" and len(rows) == 25
    assert sum(int(r["rows_copied"]) for r in rows) == sum(t.rows_copied for t in d.tables)
    assert "password" not in paths[0].read_text().lower()


async def test_export_key_on_the_monitor_writes_files(tmp_path):
    from screens.monitor import MonitorScreen
    from tests.helpers.monitor_fakes import T0, FakeController
    from tui.app import DmsTuiApp
    from tui.context import AppContext

    ctl = FakeController(mi_detail(pending=1))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(
            service_id="svc", interval=3600, clock=lambda: T0, export_folder=tmp_path
        )
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        await monitor.refresh_once()
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Exported" in monitor.last_note
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "Payroll-20260302-080000-backups.csv",
            "Payroll-20260302-080000.json",
        ]


def test_backup_csv_names_backup_times_and_the_restores_seen(tmp_path):
    from tests.helpers.monitor_fakes import T0

    d = mi_detail(pending=0)
    seen = {"payroll_log_001.trn": (T0.replace(minute=8), T0.replace(minute=9))}
    paths = export_migration(d, folder=tmp_path, stamp="z", restore_times=seen)
    rows = {r["file"]: r for r in csv.DictReader(paths[1].open())}
    log = rows["Payroll_log_001.trn"]
    assert log["backup_finished"].startswith("2026-03-02T08:07")
    assert log["seen_restoring_at"].startswith("2026-03-02T08:08")
    assert log["seen_restored_at"].startswith("2026-03-02T08:09")
    assert rows["Payroll_full.bak"]["seen_restored_at"] == ""  # not observed: blank
    assert "restore_finished" not in log
    doc = json.loads(paths[0].read_text())
    assert doc["restores_seen_this_session"]["Payroll_log_001.trn"]["seen_restored_at"]


def test_validation_export_when_the_source_could_not_be_counted(tmp_path):
    from tui.models import RowCountComparison

    d = mi_detail(pending=0)
    report = ValidationReport(
        d.id,
        d.source_database,
        d.target_database,
        "src",
        "tgt",
        (RowCountComparison("dbo.A", None, 5),),
        source_error="Database 'Payroll' cannot be opened.",
    )
    paths = export_migration(d, report, folder=tmp_path, stamp="w")
    doc = json.loads(paths[0].read_text())
    assert doc["validation"]["compared"] is False and doc["validation"]["mismatches"] == 0
    assert "cannot be opened" in doc["validation"]["source_error"]
    check = list(csv.DictReader(paths[2].open()))
    assert check[0]["source_rows"] == "" and check[0]["matches"] == ""
