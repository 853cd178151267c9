"""Per backup file: when the backup was taken (msdb), and when this session saw it restored.

DMS reports no restore time per file; the backup set's start/finish dates are when the
backup ran on the source. The monitor records the refresh at which it first saw each file
Restored, and leaves the time blank when it never saw the file unrestored.
"""

from __future__ import annotations

import csv

from tests.helpers.sandbox_migrations import open_monitor, start
from tui.app import DmsTuiApp
from tui.models import BackupFile, TargetKind


def _key(table, name: str) -> str:
    return next(k for k in table.keys if k.endswith("/" + name))


def test_backup_file_times_are_named_for_what_they_are():
    names = set(BackupFile.__dataclass_fields__)
    assert {"backup_started", "backup_finished"} <= names
    assert not names & {"restore_started", "restore_finished"}


async def test_restored_at_is_the_refresh_that_first_saw_the_file_restored(
    context, sandbox, tmp_path
):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig, export_folder=tmp_path)
        table = monitor.query_one("#backup-files")
        header = [str(c.label) for c in table.columns.values()]
        assert header[-2:] == ["Taken", "Restored"]
        assert "Started" not in header and "Finished" not in header
        sandbox.advance(15)  # the files appear in the folder
        await monitor.refresh_once()
        await pilot.pause()
        full = next(f for f in monitor.selected.backup_files if f.status == "Restoring")
        assert full.name.endswith(".bak")
        assert table.get_cell(_key(table, full.name), "c7").plain == ""
        # "Taken" is the backup's finish time on the source
        assert table.get_cell(_key(table, full.name), "c6").plain == full.backup_finished.strftime(
            "%m-%d %H:%M"
        )
        seen_at = None
        for _ in range(40):
            sandbox.advance(15)
            await monitor.refresh_once()
            await pilot.pause()
            f = next(x for x in monitor.selected.backup_files if x.name == full.name)
            if f.status == "Restored":
                seen_at = monitor.now()
                break
        assert seen_at is not None
        assert table.get_cell(_key(table, full.name), "c7").plain == f"{seen_at:%H:%M:%S}"
        # a later refresh keeps the first time
        sandbox.advance(60)
        await monitor.refresh_once()
        await pilot.pause()
        assert table.get_cell(_key(table, full.name), "c7").plain == f"{seen_at:%H:%M:%S}"

        await pilot.press("e")
        await app.workers.wait_for_complete()
        rows = list(csv.DictReader(next(tmp_path.glob("*-backups.csv")).open()))
        row = next(r for r in rows if r["file"] == full.name)
        assert row["seen_restored_at"].startswith(seen_at.isoformat()[:19])
        assert row["backup_finished"] and "restore_finished" not in row

    # a new session that first sees the file already Restored does not invent a time
    app2 = DmsTuiApp(context)
    async with app2.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app2, pilot, mig)
        table = monitor.query_one("#backup-files")
        assert table.get_cell(_key(table, full.name), "c3").plain  # the row is there
        assert table.get_cell(_key(table, full.name), "c7").plain == ""
