"""A refresh of a 20,000-table SQL Database migration rewrites the rows that moved and no
other: a table that fails goes to the top at once, a table whose rows moved shows its new
count, and a table Azure no longer lists leaves the pane."""

from __future__ import annotations

from dataclasses import replace

from screens.monitor import MonitorScreen
from tests.helpers.monitor_fakes import T0, FakeController, db_detail
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.monitoring.table_changes import changes_for


async def test_a_refresh_rewrites_only_the_tables_that_moved():
    detail = db_detail("InventoryHub", tables=20_000, copied=0.5)
    ctl = FakeController(detail)
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
        await app.push_screen(monitor)
        await monitor.refresh_once()
        table = monitor.query_one("#table-progress")
        await wait_for(pilot, lambda: table.row_count == 20_000, what="every table listed")
        assert table.key_at(0) == "dbo.T00000"

        tables = list(detail.tables)
        tables[15_000] = replace(tables[15_000], status="Failed")
        tables[3] = replace(tables[3], rows_copied=tables[3].rows_copied + 7)
        moved = replace(detail, tables=tuple(tables))
        ctl.set(moved)
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.selected is moved
        assert changes_for(moved) is not None  # counted by the worker that read it
        assert table.updates == 2  # the two tables that moved, of 20,000
        assert table.key_at(0) == "dbo.T15000"  # failed: first
        assert table.key_at(1) == "dbo.T00000"
        assert table.cell_text("dbo.T00003", 3) == f"{tables[3].rows_copied:,}"
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert "Failed" in lines[1]
        # at 80 columns the row shows its progress: 501 of 1,003 rows was 50%, 508 is 51%
        assert "51%" in next(line for line in lines if "dbo.T00003" in line)

        # Azure lists one table fewer: the pane compares every table and drops it
        fewer = replace(moved, tables=moved.tables[:7] + moved.tables[8:])
        ctl.set(fewer)
        await monitor.refresh_once()
        await pilot.pause()
        assert table.row_count == 19_999
        assert "dbo.T00007" not in table.keys
        assert table.key_at(0) == "dbo.T15000"
        assert table.keys[1:4] == ["dbo.T00000", "dbo.T00001", "dbo.T00002"]

        # the failed table is retried and copies again: back in its place
        tables = list(fewer.tables)
        at = next(i for i, t in enumerate(tables) if t.name == "dbo.T15000")
        tables[at] = replace(tables[at], status="Copying")
        ctl.set(replace(fewer, tables=tuple(tables)))
        await monitor.refresh_once()
        await pilot.pause()
        assert table.updates == 1
        assert table.key_at(0) == "dbo.T00000"
        assert table.keys.index("dbo.T15000") == 14_999
