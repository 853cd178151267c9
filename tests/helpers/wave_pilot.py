"""Open a cutover wave from the monitor with the keyboard, in the sandbox."""

from __future__ import annotations

import time

from screens.monitor import MonitorScreen
from screens.wave_cutover import WaveCutoverScreen
from tests.helpers.sandbox_migrations import advance_until_ready, settle, start
from tui.models import TargetKind
from widgets.progress_table import KeyedTable

APP_DATABASES = ("SalesDB", "OrdersDB", "BillingDB")


def start_application(context, sandbox) -> list:
    """Three SalesDB-like databases of one application, migrating online to the managed
    instance, every backup DMS lists restored (the tail-logs are still to come)."""
    c = context.controller
    sandbox.add_application_databases(*APP_DATABASES[1:])
    migs = [start(c, sandbox, TargetKind.SQL_MI, db) for db in APP_DATABASES]
    for m in migs:
        advance_until_ready(c, sandbox, m.id)
    return migs


async def wait_until(pilot, condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause()


async def open_wave(app, pilot, migs, name: str, **kw) -> tuple[MonitorScreen, WaveCutoverScreen]:
    """The monitor on the migrations; each marked with space; w; the wave named ``name``."""
    monitor = MonitorScreen(
        migration_ids=[m.id for m in migs],
        service_id=migs[0].migration_service_id,
        interval=3600,
        **kw,
    )
    await app.push_screen(monitor)
    await pilot.pause()
    await monitor.refresh_once()
    await pilot.pause()
    table = monitor.query_one("#migrations", KeyedTable)
    for m in migs:
        table.select_key(m.id.lower())
        await pilot.pause()
        await pilot.press("space")
    assert monitor.marked == {m.id.lower() for m in migs}
    await pilot.press("w")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "WavePickScreen", "picker")
    await pilot.press("ctrl+u", *name, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, WaveCutoverScreen), "wave dialog")
    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, WaveCutoverScreen)
    return monitor, dialog
