"""A monitor that costs nothing when nothing changes: on a slow SSH link an idle refresh
writes nothing to the terminal, the once-a-minute change (durations, the refresh time) is
written once, and the status line is written once per refresh."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.widgets import Static

from screens.monitor import MonitorScreen
from tui.app import DmsTuiApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import harness as h  # noqa: E402


class KeepingDriver(h.CountingDriver):
    """Counts, and keeps what it would have sent to the terminal."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def write(self, data: str) -> None:
        super().write(data)
        self.sent.append(data)


async def test_idle_refreshes_write_nothing_and_the_minute_once(context, sandbox):
    made = h.create_migrations(context.controller, sandbox, ["Sales001", "Sales002"])
    sandbox.advance(3 * 3600)  # every backup restored: nothing changes in Azure any more
    app = DmsTuiApp(context)
    app.driver_class = KeepingDriver
    async with app.run_test(headless=False, size=(80, 24)) as pilot:
        driver = app._driver
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
