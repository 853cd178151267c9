"""Sorting is all on the keyboard: o picks the next column, O reverses; the status says the
column and the direction (it used to send the DBA to click a header)."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_o_sorts_and_capital_o_reverses(context, sandbox):
    first = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    start(context.controller, sandbox, TargetKind.SQL_MI, "HRPayroll")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, first)
        monitor.action_toggle_all()
        table = monitor.query_one("#migrations")
        await wait_for(pilot, lambda: table.row_count == 2, what="both migrations")
        await pilot.press("o")
        await wait_for(pilot, lambda: "ascending ▲" in monitor.last_note, what="ascending")
        assert "Sorted by Source db" in monitor.last_note and "click" not in monitor.last_note
        names = [str(table.get_row_at(i)[0]) for i in range(2)]
        assert names == sorted(names, key=str.lower)
        await pilot.press("O")
        await wait_for(pilot, lambda: "descending ▼" in monitor.last_note, what="descending")
        assert [str(table.get_row_at(i)[0]) for i in range(2)] == names[::-1]
