"""The monitor's ``b``: the backup-folder preflight of the highlighted migration, in a small
dialog; and the same check for another caller (a stall detector) through ``preflight``."""

from __future__ import annotations

from textual.widgets import Static

from screens.monitor import MonitorScreen
from screens.preflight_findings import PreflightScreen
from tests.helpers.sandbox_migrations import start
from tests.helpers.wizard_pilot import on_screen, wait_for
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def monitor_on(app, pilot, migrations) -> MonitorScreen:
    monitor = MonitorScreen(
        migration_ids=[m.id for m in migrations],
        service_id=migrations[0].migration_service_id,
        interval=3600,
    )
    await app.push_screen(monitor)
    await monitor.refresh_once()
    await wait_for(pilot, lambda: len(monitor.rows) == len(migrations), what="rows")
    return monitor


async def highlight(pilot, monitor, database: str) -> None:
    n = len(monitor.rows)
    for key in ["down"] * n + ["up"] * n + [""]:
        await monitor.refresh_once()  # the highlighted row's detail is read
        if monitor.selected is not None and monitor.selected.source_database == database:
            return
        if key:
            await pilot.press(key)
    raise AssertionError(f"{database} could not be highlighted")


def dialog_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_b_shows_the_findings_of_the_highlighted_migration(context, sandbox):
    good = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    broken = start(context.controller, sandbox, TargetKind.SQL_MI, "Warehouse")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await monitor_on(app, pilot, [good, broken])
        await highlight(pilot, monitor, "Warehouse")
        await pilot.press("b")
        await on_screen(pilot, "PreflightScreen")
        text = dialog_text(app)
        assert "Backup folder of Warehouse → sqlmi-contoso-prod/Warehouse" in text
        assert "[folder-chain]" in text and "Warehouse_maint_1.trn" in text and "Fix:" in text
        await pilot.press("escape")
        await on_screen(pilot, "MonitorScreen")
        assert "Warehouse: ✗ 1 blocker(s)" in monitor.last_note

        await highlight(pilot, monitor, "SalesDB")
        await pilot.press("b")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, PreflightScreen) and app.screen.check.database == "SalesDB"
            ),
            what="SalesDB's findings",
        )
        assert "chain complete ✓" in dialog_text(app)
        assert "[folder-" not in dialog_text(app)
        await pilot.press("b")  # b closes it too
        await on_screen(pilot, "MonitorScreen")
    prefixes = [r.query.get("prefix") for r in sandbox.requests if ".blob.core." in r.url]
    assert prefixes == ["Warehouse/", "SalesDB/"]


async def test_another_caller_gets_the_check_without_a_dialog(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "Payments")
    app = DmsTuiApp(context)
    got = []
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await monitor_on(app, pilot, [mig])
        await highlight(pilot, monitor, "Payments")
        assert monitor.preflight(monitor.selected, got.append)
        assert not monitor.preflight(monitor.selected, got.append)  # one at a time
        await wait_for(pilot, lambda: got, what="the check")
        assert app.screen is monitor
        assert [f.rule_id for f in got[0].blockers] == ["folder-appended"]
        assert monitor.preflight(monitor.selected, got.append)  # free again once done
        await wait_for(pilot, lambda: len(got) == 2, what="the second check")


async def test_b_on_a_sql_database_migration_says_why_not(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await monitor_on(app, pilot, [mig])
        await highlight(pilot, monitor, "SalesDB")
        await pilot.press("b")
        assert "copy tables, not backups" in monitor.last_note
        assert app.screen is monitor
