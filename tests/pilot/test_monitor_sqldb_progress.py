"""An Azure SQL Database migration of 10,000 tables at 80x24: the progress tells the truth
while thousands of tables still wait, what is being copied is listed first, the DBA can find
a table, and nothing claims a rate once the migration is over."""

from __future__ import annotations

from dataclasses import replace

from screens.monitor import MonitorScreen
from tests.helpers.monitor_fakes import T0, FakeController, db_detail
from tests.helpers.sandbox_migrations import open_monitor, start, text_of
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.models import TargetKind
from tui.monitoring.tables import RANK_IN_FLIGHT, RANK_WAITING, table_rank


def _rows_on_screen(table) -> list[str]:
    """The table's lines as drawn (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def _until(pilot, condition, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


async def test_thousands_of_tables_true_fraction_filter_and_no_rate_after_success(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "InventoryHub")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        for _ in range(3):  # copying has begun; most tables still wait
            sandbox.advance(120)
            await monitor.refresh_once()
        await pilot.pause()
        d = monitor.selected
        assert d is not None and d.status == "InProgress"
        pane = monitor.query_one("#tables-pane")
        totals = pane.totals
        waiting = [t for t in d.tables if table_rank(t.status) == RANK_WAITING]
        done = [t for t in d.tables if t.status == "Succeeded"]
        assert len(waiting) > 5_000 and done  # the case that showed 100% before
        assert totals.tables == len(d.tables) and totals.done == len(done)
        assert totals.waiting == len(waiting)
        # rows of tables still waiting are not counted as copied
        assert totals.rows_copied == sum(
            t.rows_copied for t in d.tables if table_rank(t.status) != RANK_WAITING
        )
        shown = text_of(monitor, "#tables-pane .totals")
        assert f"Tables {len(done):,} of {len(d.tables):,} done" in shown
        assert f"{len(waiting):,} tables not read yet" in shown
        title = text_of(monitor, "#detail-title")
        percent = round(100 * len(done) / len(d.tables))
        assert f"{percent:3d}% of tables" in title and "100%" not in title
        assert percent < 50

        # in-flight tables come first, ahead of the thousands waiting
        table = monitor.query_one("#table-progress")
        first = next(t for t in d.tables if t.name == table.key_at(0))
        assert table_rank(first.status) == RANK_IN_FLIGHT, first.status
        assert first.name in _rows_on_screen(table)[1]

        # an estimate once tables were seen finishing
        for _ in range(2):
            sandbox.advance(60)
            await monitor.refresh_once()
        await pilot.pause()
        assert "Estimate: about" in text_of(monitor, "#tables-pane .totals")

        # find one table that waits, by name, with the pane's own key
        wanted = next(
            t.name
            for t in monitor.selected.tables
            if table_rank(t.status) == RANK_WAITING and t.name.endswith("7777")
        )
        table.focus()
        await pilot.press("slash")
        await _until(pilot, lambda: pane.query_one("#table-filter").has_focus, "filter open")
        for ch in wanted.split(".")[-1].lower():
            await pilot.press(ch)
        await _until(pilot, lambda: table.row_count == 1, "one table found")
        assert table.key_at(0) == wanted
        assert wanted in _rows_on_screen(table)[1]
        assert monitor.query_one("#migrations").row_count == 1  # the list is not filtered
        await pilot.press("enter")
        await _until(pilot, lambda: table.has_focus, "back on the tables")
        await pilot.press("escape")
        await _until(pilot, lambda: table.row_count == len(d.tables), "every table again")

        # to the end: the rate of a finished copy is not shown as current
        for _ in range(40):
            sandbox.advance(600)
            await monitor.refresh_once()
            if monitor.selected.status.is_final:
                break
        await pilot.pause()
        d = monitor.selected
        assert d.status == "Succeeded"
        assert "100% of tables" in text_of(monitor, "#detail-title")
        shown = text_of(monitor, "#tables-pane .totals")
        assert "Estimate" not in shown and "not read yet" not in shown
        rate = str(monitor.query_one("#spark-rate .spark-value").render())
        assert rate == "—" and "rows/s" not in rate


async def test_20000_tables_by_keyboard_end_sort_and_a_failed_table_first():
    detail = db_detail("InventoryHub", tables=20_000, copied=0.5)
    tables = list(detail.tables)
    tables[12_345] = replace(tables[12_345], status="Failed")
    ctl = FakeController(replace(detail, tables=tuple(tables)))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
        await app.push_screen(monitor)
        await monitor.refresh_once()
        await monitor.refresh_once()
        table = monitor.query_one("#table-progress")
        await _until(pilot, lambda: table.row_count == 20_000, "every table listed")
        # the failed table needs attention: it comes first, drawn as failed
        assert table.key_at(0) == "dbo.T12345"
        assert "Failed" in _rows_on_screen(table)[1]
        table.focus()
        await pilot.press("end")
        await _until(pilot, lambda: table.cursor_row == 19_999, "cursor on the last table")
        await _until(
            pilot,
            lambda: table.key_at(19_999) in _rows_on_screen(table)[-1],
            "the last table scrolled into view",
        )
        await pilot.press("o")  # sort the focused tables: by name
        await _until(pilot, lambda: table.key_at(0) == "dbo.T00000", "sorted by name")
        assert "Table ▲" in _rows_on_screen(table)[0]
        assert "Sorted by Table" in monitor.last_note
