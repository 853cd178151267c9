"""The monitor acts only on the highlighted, visible migration; log backups from it are
confirmed, uniquely named and one at a time per database."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static

from screens.monitor import MonitorScreen
from tests.helpers.monitor_fakes import T0, FakeController, db_detail, mi_detail
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.models import BackupResult


async def _monitor(pilot, app, **kw):
    monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0, **kw)
    await app.push_screen(monitor)
    await pilot.pause()
    await monitor.refresh_once()
    await monitor.refresh_once()
    await pilot.pause()
    return monitor


def _detail_title(monitor) -> str:
    return str(monitor.query_one("#detail-title", Static).render())


@pytest.mark.parametrize("key", ["v", "d", "c", "x", "l", "t"])
async def test_a_filter_hiding_every_row_leaves_nothing_to_act_on(key):
    ctl = FakeController(
        mi_detail("Payroll", pending=0, status="Canceled"), db_detail("SalesDB", status="Failed")
    )
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await _monitor(pilot, app)
        assert monitor.selected is not None
        await pilot.press("slash", *"nosuchdb", "enter")
        await pilot.pause()
        assert monitor.query_one("#migrations").row_count == 0
        assert monitor.selected is None
        assert "No migration shown: the filter hides all 2" in _detail_title(monitor)
        assert "Payroll" not in _detail_title(monitor) and "SalesDB" not in _detail_title(monitor)
        calls = list(ctl.calls)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is monitor  # no dialog, no confirmation
        assert monitor.last_note.startswith("Nothing done. No migration shown")
        assert ctl.cutover_requests == 0
        assert [c for c in ctl.calls[len(calls) :] if c[0] != "list" and c[0] != "get"] == []
        # clearing the filter shows (and selects) a migration again
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert monitor.selected is not None


async def test_a_state_filter_never_leaves_a_hidden_migration_selected():
    ctl = FakeController(mi_detail("Payroll", pending=2), mi_detail("Billing", status="Succeeded"))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app)
        hidden_seen = False
        for _ in range(8):  # every state filter, then none again
            await pilot.press("f")
            await monitor.refresh_once()
            await pilot.pause()
            d = monitor.selected
            if d is None:
                hidden_seen = True
                assert "No migration shown" in _detail_title(monitor)
            else:
                assert (
                    monitor.state_filter is None
                    or monitor.rows[d.id.lower()].bucket == monitor.state_filter
                )
                assert d.target_database in _detail_title(monitor)
        assert hidden_seen and monitor.state_filter is None and monitor.selected is not None


class _SlowSource:
    """A source whose log backups wait until the test lets them finish."""

    def __init__(self):
        self.release = threading.Event()
        self.started = threading.Event()
        self.urls: list[str] = []

    def backup_log(self, db, url, *, tail=False):
        self.urls.append(url)
        self.started.set()
        assert self.release.wait(30), "the test never released the backup"
        return BackupResult(db, "log", url, f"BACKUP LOG [{db}] TO URL = N'{url}'")

    def close(self):
        pass


async def test_log_backups_are_confirmed_unique_and_one_at_a_time():
    ctl = FakeController(mi_detail("Payroll", pending=0))
    source = _SlowSource()
    app = DmsTuiApp(AppContext(controller=ctl, open_source_fn=lambda params: source))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await _monitor(pilot, app)
        await pilot.press("l")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Take a log backup of Payroll (migration Payroll → mi1/Payroll)" in question
        await pilot.press("escape")  # backs out: nothing taken
        await pilot.pause()
        assert app.screen is monitor and not source.urls
        await pilot.press("l", "y")
        while not source.started.is_set():
            await pilot.pause()
        await pilot.press("l")  # while the first one runs: refused, no question
        await pilot.pause()
        assert app.screen is monitor
        assert "A log backup of Payroll is already running" in monitor.last_note
        source.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Log backup of Payroll taken" in monitor.last_note
        await pilot.press("l", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        names = [u.rsplit("/", 1)[-1] for u in source.urls]
        assert len(names) == 2 and len(set(names)) == 2, names
        assert all(n.startswith("Payroll_log_20260302_080000_") for n in names)
