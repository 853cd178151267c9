"""A monitor that costs nothing when nothing changes: on a slow SSH link an idle refresh
writes nothing to the terminal, the once-a-minute change (durations, the refresh time) is
written once, and the status line is written once per refresh."""

from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager

from textual.widgets import Static

from screens.monitor import MonitorScreen
from tests.helpers.benchmark_harness import harness as h
from tests.helpers.monitor_fakes import T0, FakeController, mi_detail
from tui.app import DmsTuiApp
from tui.context import AppContext


class KeepingDriver(h.CountingDriver):
    """Counts, and keeps what it would have sent to the terminal."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def write(self, data: str) -> None:
        super().write(data)
        self.sent.append(data)


@asynccontextmanager
async def idle_monitor(context, made):
    """The monitor on ``made``, its first refresh drawn, on a terminal that keeps what it is
    sent."""
    app = DmsTuiApp(context)
    app.driver_class = KeepingDriver
    async with app.run_test(headless=False, size=(80, 24)) as pilot:
        monitor = MonitorScreen(
            migration_ids=[m.id for m in made],
            service_id=made[0].migration_service_id,
            interval=3600,
        )
        await app.push_screen(monitor)
        for _ in range(5):
            await monitor.refresh_once()
            await h.drawn(pilot)
            if monitor.selected is not None:
                break
        assert monitor.selected is not None
        yield pilot, app._driver, monitor


async def test_idle_refreshes_write_nothing_and_the_minute_once(context, sandbox):
    made = h.create_migrations(context.controller, sandbox, ["Sales001", "Sales002"])
    sandbox.advance(3 * 3600)  # every backup restored: nothing changes in Azure any more
    async with idle_monitor(context, made) as (pilot, driver, monitor):
        sandbox.advance(5)
        await monitor.refresh_once()  # the charts get their second sample
        await h.drawn(pilot)

        status = monitor.query_one("#monitor-status", Static)
        writes: list[str] = []
        update = status.update
        status.update = lambda text="", **kw: (writes.append(str(text)), update(text, **kw))
        per_refresh: list[tuple[str, int, str]] = []
        before = monitor.now().strftime("%H:%M")
        for _ in range(12):  # a minute at the default interval
            sandbox.advance(5)
            mark, written = driver.bytes, len(writes)
            driver.sent.clear()
            await monitor.refresh_once()
            await h.drawn(pilot)
            minute = monitor.now().strftime("%H:%M")
            assert len(writes) - written <= 1  # never "refreshing…" then the time
            per_refresh.append((minute, driver.bytes - mark, "".join(driver.sent)))
            if minute == before:
                assert driver.bytes == mark, (
                    f"an idle refresh wrote {driver.bytes - mark} B: {driver.sent!r}"
                )
            before = minute
        ticked = [(m, n, sent) for m, n, sent in per_refresh if n]
        assert len(ticked) == 1  # the minute turned once
        minute, n, sent = ticked[0]
        assert f"Last refresh {minute}" in sent  # the new time did reach the screen
        assert n < 2048


async def test_the_first_minute_of_an_idle_monitor_writes_under_2_kb(context, sandbox):
    # from the first frame on: the others' states and the charts' first rates included
    names = ["Sales001", "Sales002", "Sales003", "Sales004"]
    made = h.create_migrations(context.controller, sandbox, names)
    sandbox.advance(3 * 3600)  # every backup restored: nothing changes in Azure any more
    async with idle_monitor(context, made) as (pilot, driver, monitor):
        mark = driver.bytes
        driver.sent.clear()
        for _ in range(12):  # a minute at the default interval
            sandbox.advance(5)
            await monitor.refresh_once()
            await h.drawn(pilot)
        sent = "".join(driver.sent)
        assert driver.bytes - mark < 2048, f"{driver.bytes - mark} B: {sent!r}"
        assert "Last refresh" in sent  # the minute did turn, and was written
        assert "▁" * 10 in sent  # the flat rate chart appeared, in one run of bars


class SlowReads(FakeController):
    """Reads that wait until the test lets them through."""

    def __init__(self, *details) -> None:
        super().__init__(*details)
        self.hold = threading.Event()
        self.hold.set()

    def list_service_migrations(self, service_id):
        self.hold.wait(30)
        return super().list_service_migrations(service_id)


async def test_a_slow_refresh_says_refreshing_and_a_quick_one_does_not():
    ctl = SlowReads(mi_detail("Payroll", pending=1))
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
        await app.push_screen(monitor)
        await monitor.refresh_once()
        await monitor.refresh_once()
        status = monitor.query_one("#monitor-status", Static)
        shown: list[str] = []
        update = status.update
        status.update = lambda text="", **kw: (shown.append(str(text)), update(text, **kw))
        await monitor.refresh_once()  # quick: the line is not rewritten for it
        assert not any("refreshing" in s for s in shown)
        ctl.hold.clear()
        try:
            monitor.action_refresh_now()
            for _ in range(2000):  # the read is held: "refreshing…" once it is slow
                if "refreshing…" in str(status.render()):
                    break
                await asyncio.sleep(0.01)
            assert "refreshing…" in str(status.render())
        finally:
            ctl.hold.set()
        for _ in range(2000):
            if not monitor.schedule.in_flight:
                break
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert "refreshing…" not in str(status.render())
        assert "Last refresh 08:00" in str(status.render())
