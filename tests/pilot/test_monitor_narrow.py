"""At 80 columns the list and the backup files fit without scrolling sideways; at 120 every
column is back."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.models import TargetKind


def _labels(table) -> list[str]:
    if hasattr(table, "columns"):  # a DataTable
        return [str(c.label) for c in table.columns.values()]
    return [table.header_label(i) for i in table.shown_columns]


def _fits(table) -> bool:
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_list_and_backup_files_fit_80_columns_and_widen_at_120(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(120)
    sandbox.take_log_backup("SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.pause()
        listing = monitor.query_one("#migrations")
        files = monitor.query_one("#backup-files")
        assert _labels(listing) == ["Source db", "Kind", "Mode", "Status", "Started", "Duration"]
        assert _labels(files) == ["File", "Type", "Status", "Size", "Taken", "Restored"]
        assert _fits(listing) and _fits(files)
        # the target is still named, in the detail title under the list
        assert "sqlmi-contoso-prod/SalesDB" in str(monitor.query_one("#detail-title").render())
        cursor = listing.selected_key

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert _labels(listing) == [
            "Source db",
            "Target",
            "Kind",
            "Mode",
            "Status",
            "Started",
            "Duration",
        ]
        assert "First LSN" in _labels(files) and "Last LSN" in _labels(files)
        assert _fits(listing) and _fits(files)
        assert listing.selected_key == cursor
        row = listing.get_row(cursor)
        assert "sqlmi-contoso-prod/SalesDB" in [str(c) for c in row]
        # a refresh after the resize writes into the new columns
        sandbox.advance(30)
        await monitor.refresh_once()
        await pilot.pause()
        assert files.row_count == len(monitor.selected.backup_files)


async def test_sqldb_tables_fit_80_columns(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    sandbox.advance(120)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.pause()
        tables = monitor.query_one("#table-progress")
        assert _labels(tables) == ["Table", "Status", "Progress"]
        assert _fits(tables)
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: len(_labels(tables)) == 7, what="all 7 columns at 120")
        assert _fits(tables)


async def test_long_file_names_keep_taken_and_restored_on_screen_at_80_columns(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "InventoryHub")
    sandbox.advance(60)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.pause()
        files = monitor.query_one("#backup-files")
        assert files.row_count >= 2
        assert _labels(files)[-2:] == ["Taken", "Restored"] and _fits(files)
        names = [str(files.get_row(k)[0]) for k in files.keys]
        # "InventoryHub_full_2.bak" shortened in the middle: its end tells the files apart
        assert any(n.startswith("Invent") and n.endswith("…full_2.bak") for n in names), names
        # the status keeps its word whole, with the percent beside it
        restoring = [str(files.get_row(k)[2]) for k in files.keys]
        assert any(s.startswith("Restoring ") and s.endswith("%") for s in restoring), restoring
