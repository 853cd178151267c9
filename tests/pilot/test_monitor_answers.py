"""The monitor shows at once what it already knows: the first migration's detail right after
the list appears (not a refresh interval later), and what Azure answered to a cutover or a
cancel — without waiting for the next poll."""

from __future__ import annotations

import time

from textual.widgets import Input

from screens.cutover import CutoverScreen
from screens.monitor import MonitorScreen
from tests.helpers.monitor_fakes import T0, FakeController, mi_detail
from tests.helpers.sandbox_migrations import text_of
from tui.app import DmsTuiApp
from tui.context import AppContext


async def _wait(pilot, condition, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause()


async def _open(app, pilot) -> MonitorScreen:
    # an hour between refreshes: nothing here may wait for the next one
    monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
    await app.push_screen(monitor)
    await _wait(pilot, lambda: monitor.selected is not None, "the first detail")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return monitor


async def test_the_first_detail_comes_at_once_with_its_row_highlighted():
    ctl = FakeController(mi_detail("Payroll", pending=2), mi_detail("Billing"))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
        await app.push_screen(monitor)
        await _wait(pilot, lambda: monitor.selected is not None, "the first detail")
        table = monitor.query_one("#migrations")
        highlighted = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        assert table.cursor_row == 0 and highlighted == monitor.selected_id
        assert app.focused is table
        title = text_of(monitor, "#detail-title")
        assert "Loading detail" not in title and monitor.selected.source_database in title
        assert monitor._gen_done == 1  # the list and the highlighted one's detail, together


async def test_a_cancel_shows_what_azure_answered_without_a_refresh():
    ctl = FakeController(mi_detail("Payroll", pending=2))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _open(app, pilot)
        fetches = monitor._gen_started
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#cancel-reason")
        await pilot.press(*"window moved")
        await pilot.click("#cancel-yes")
        await _wait(pilot, lambda: monitor.selected.status == "Canceled", "the cancel shown")
        assert monitor._gen_started == fetches  # shown from Azure's answer, not re-read
        table = monitor.query_one("#migrations")
        assert "Canceled" in table.render_line(1).text
        assert "is Canceled" in monitor.last_note and "window moved" in monitor.last_note
        assert "Canceled" in text_of(monitor, "#detail-title")


async def test_a_cutover_shows_completing_as_azure_answered():
    ctl = FakeController(mi_detail("Payroll"))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _open(app, pilot)
        fetches = monitor._gen_started
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CutoverScreen)
        dialog.query_one("#tail-file", Input).value = "Payroll_log_001.trn"
        dialog.query_one("#stopped").value = True
        await pilot.pause()
        await pilot.click("#confirm-name")
        await pilot.press(*"Payroll", "enter")
        await _wait(pilot, lambda: app.screen is monitor, "the dialog closing")
        assert ctl.cutover_requests == 1
        assert monitor.selected.status == "Completing"
        assert monitor._gen_started == fetches  # no refresh was needed to show it
        assert "Completing" in text_of(monitor, "#detail-title")
        assert "Azure accepted the cutover of Payroll" in monitor.last_note
