"""What the DBA sees: the monitor (MI and SQL DB detail) and the cutover dialog, 80x24 and 120x40.

Deterministic: the sandbox runs on a manual clock from a fixed seed and the monitor shows
times from that clock.
"""

from __future__ import annotations

import pytest

from screens.monitor import MonitorScreen
from tests.helpers.monitor_snapshots import SIZES, monitor_runner
from tests.helpers.sandbox_migrations import start
from tui.app import DmsTuiApp
from tui.models import TargetKind


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_monitor_mi_detail(snap_compare, context, sandbox, size):
    run_before = monitor_runner(context, sandbox, TargetKind.SQL_MI, "SalesDB", log_backups=2)
    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_monitor_sqldb_detail(snap_compare, context, sandbox, size):
    run_before = monitor_runner(context, sandbox, TargetKind.SQL_DB, "SalesDB")
    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_monitor_sqldb_copying_thousands_of_tables(snap_compare, context, sandbox, size):
    """10,000 tables, most still waiting: tables done of all, rows copied of rows read,
    the estimate, the tables being copied listed first."""
    run_before = monitor_runner(context, sandbox, TargetKind.SQL_DB, "InventoryHub", seconds=60)
    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_cutover_dialog_not_ready(snap_compare, context, sandbox, size):
    run_before = monitor_runner(
        context, sandbox, TargetKind.SQL_MI, "SalesDB", log_backups=2, open_cutover=True
    )
    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)


def _truthmonitor_runner(context, sandbox, *, select_restoring: bool):
    """A stalled offline migration (its folder is empty: flagged after 10 minutes) beside a
    25 GB full backup being restored (for three minutes: about a third done)."""
    from dataclasses import replace

    from tests.helpers.sandbox_migrations import spec_for

    controller = context.controller
    spec = spec_for(controller, sandbox, TargetKind.SQL_MI, "LedgerArchive", online=False)
    stalled = controller.create_migration(replace(spec, last_backup_name="LedgerArchive_full.bak"))
    sandbox.advance(7 * 60 + 30)
    big = start(controller, sandbox, TargetKind.SQL_MI, "InventoryHub")

    async def run_before(pilot):
        app = pilot.app
        await app.workers.wait_for_complete()
        monitor = MonitorScreen(
            migration_ids=[stalled.id, big.id], service_id=big.migration_service_id, interval=3600
        )
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        for _ in range(3):
            sandbox.advance(60)
            await monitor.refresh_once()
        if select_restoring:
            await pilot.press("down")
            await monitor.refresh_once()
        await app.workers.wait_for_complete()  # the folder check the stall started
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("selected", ["stalled", "restoring"])
def test_monitor_mi_stalled_and_restoring(snap_compare, context, sandbox, size, selected):
    run_before = _truthmonitor_runner(context, sandbox, select_restoring=selected == "restoring")
    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)
