"""Polling: throttling backs off and catches up, pause stops it, final states are not re-read,
and leaving the screen stops the timer."""

from __future__ import annotations

from textual.widgets import Static

from screens.monitor import MonitorScreen
from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.sandbox import Fault


def status(monitor) -> str:
    return str(monitor.query_one("#monitor-status", Static).render())


def gets_of(sandbox, name) -> int:
    return sum(
        1
        for r in sandbox.requests
        if r.method.upper() == "GET" and r.path.endswith(f"/databaseMigrations/{name}")
    )


async def test_throttling_backs_off_and_catches_up(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        # 5 s: nothing fires by itself during the test; a failure arms a 20 s+ back-off
        monitor = await open_monitor(app, pilot, mig, interval=5)
        ok_before = monitor.schedule.last_ok
        # more 429s than the SDK retries: the refresh fails, the monitor backs off
        sandbox.inject(Fault.throttle(retry_after=1, times=12))
        sandbox.advance(30)
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.schedule.failures == 1 and monitor.schedule.throttled
        assert "Azure is throttling: backing off" in status(monitor)
        assert monitor._timer is not None  # the next try is armed: still running
        first_backoff = monitor.schedule.backoff
        assert first_backoff > monitor.schedule.interval
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.schedule.backoff > first_backoff  # backs off further
        # the throttling ends: the next refresh catches up
        for _ in range(3):
            await monitor.refresh_once()
            await pilot.pause()
            if monitor.schedule.failures == 0:
                break
        assert monitor.schedule.failures == 0 and monitor.schedule.last_ok > ok_before
        assert "backing off" not in status(monitor)
        assert monitor.selected.status == "InProgress"


async def test_pause_key_and_leaving_the_screen_stop_polling(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = MonitorScreen(
            migration_ids=[mig.id], service_id=mig.migration_service_id, interval=0.05
        )
        await app.push_screen(monitor)
        await wait_for(pilot, lambda: monitor._gen_done >= 2, what="refreshes on its own")
        assert monitor._gen_started - monitor._gen_done <= 1  # never two in flight
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "PAUSED" in status(monitor)
        done = monitor._gen_done
        await pilot.pause()
        assert monitor._gen_done == done and monitor._timer is None  # nothing armed
        await pilot.press("p")
        await wait_for(pilot, lambda: monitor._gen_done > done, what="polling again")
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not monitor
        assert monitor._timer is None or not monitor.is_attached


async def test_final_migrations_are_not_fetched_again(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    c.cancel_migration(mig.id)
    sandbox.advance(60)
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        # no service id: each migration is read by itself
        monitor = MonitorScreen(migration_ids=[mig.id], interval=3600)
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        await pilot.pause()
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.selected.status.lower() in ("canceled", "cancelled")
        before = gets_of(sandbox, "SalesDB")
        for _ in range(3):
            await monitor.refresh_once()
            await pilot.pause()
        assert gets_of(sandbox, "SalesDB") == before


async def test_no_project_no_instance_shows_every_instance(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_monitor()
        await pilot.pause()
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        await monitor.refresh_once()
        await monitor.refresh_once()
        await pilot.pause()
        assert mig.id.lower() in monitor.rows
        assert monitor.selected is not None
        assert "every DMS instance" in status(monitor)
