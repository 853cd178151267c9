"""The monitor as the snapshot tests and the help tests open it: one migration, refreshed on
the sandbox's manual clock, nothing left running."""

from __future__ import annotations

from screens.monitor import MonitorScreen
from tests.helpers.sandbox_migrations import start

SIZES = [(80, 24), (120, 40)]


def monitor_runner(
    context, sandbox, kind, database, *, log_backups=0, open_cutover=False, seconds=30
):
    mig = start(context.controller, sandbox, kind, database)

    async def run_before(pilot):
        app = pilot.app
        await app.workers.wait_for_complete()
        monitor = MonitorScreen(
            migration_ids=[mig.id], service_id=mig.migration_service_id, interval=3600
        )
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        for _ in range(4):
            sandbox.advance(seconds)
            await monitor.refresh_once()
        for _ in range(log_backups):
            sandbox.take_log_backup(database)
        if log_backups:
            sandbox.advance(10)
            await monitor.refresh_once()
        await pilot.pause()
        if open_cutover:
            await pilot.press("c")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before
