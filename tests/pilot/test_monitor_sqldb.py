"""Azure SQL Database migrations in the monitor: 10,000 tables, rows moving, totals."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import open_monitor, start
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_sqldb_10000_tables_move_and_totals_equal_the_sum(context, sandbox):
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_DB, "InventoryHub")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        table = monitor.query_one("#table-progress")
        pane = monitor.query_one("#tables-pane")
        assert not pane.has_class("-hidden") and monitor.query_one("#backup-pane").has_class(
            "-hidden"
        )
        copied_seen: dict[str, set[str]] = {}
        rounds = 0
        while rounds < 20:
            rounds += 1
            # half an hour a refresh: a few refreshes while rows move, each one reading
            # and drawing 8,000 tables
            sandbox.advance(1800)
            await monitor.refresh_once()
            await pilot.pause()
            d = monitor.selected
            for t in d.tables[::97]:
                copied_seen.setdefault(t.name, set()).add(table.cell_text(t.name, 3))
            if d.status in ("Succeeded", "Failed"):
                break
        d = monitor.selected
        assert d.status == "Succeeded", d.error
        # 10,000 tables on the source; DMS skips the empty ones
        src = sandbox.sql_server(sandbox.source_address)
        assert len(src.row_counts("InventoryHub")) == 10_000
        assert len(d.tables) > 8_000 and table.row_count == len(d.tables)
        # rows were seen moving: some table showed more than one copied count on screen
        assert any(len(v) > 1 for v in copied_seen.values())
        # a refresh with nothing new writes no cell at all
        await monitor.refresh_once()
        await pilot.pause()
        assert table.updates == 0
        totals = pane.totals
        assert totals.tables == len(d.tables)
        assert totals.rows_copied == sum(t.rows_copied for t in d.tables)
        assert totals.rows_read == sum(t.rows_read for t in d.tables)
        assert totals.rows_copied == totals.rows_read
        shown = str(pane.query_one(".totals").render())
        assert f"Rows {totals.rows_copied:,} of {totals.rows_read:,} (100%)" in shown
        # sortable: by rows read, descending
        monitor.query_one("#table-progress").sort_by(2, reverse=True)
        await pilot.pause()
        first = table.key_at(0)
        assert next(t for t in d.tables if t.name == first).rows_read == max(
            t.rows_read for t in d.tables
        )
