"""Cancel (with a reason), retry and delete from the monitor — only where Azure allows them."""

from __future__ import annotations

from textual.widgets import Button

from screens.cancel_migration import CancelMigrationScreen
from tests.helpers.sandbox_migrations import delete_selected, open_monitor, start
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_cancel_with_reason_then_delete(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.press("d")
        assert "Can't delete" in monitor.last_note and "cancel it" in monitor.last_note
        await pilot.press("t")
        assert "Can't retry" in monitor.last_note
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CancelMigrationScreen)
        assert "SalesDB → sqlmi-contoso-prod/SalesDB" in str(
            dialog.query_one("#cancel-title").render()
        )
        assert app.focused is dialog.query_one("#cancel-no")
        assert dialog.query_one("#cancel-yes", Button).disabled  # a reason is required
        await pilot.click("#cancel-reason")
        await pilot.press(*"app team postponed")
        await pilot.click("#cancel-yes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is monitor
        assert "app team postponed" in " ".join(monitor.notes)
        assert monitor.last_note.startswith(
            "Azure accepted the cancel of SalesDB: "
            "SalesDB → sqlmi-contoso-prod/SalesDB is Canceling"
        )
        for _ in range(10):
            sandbox.advance(30)
            await monitor.refresh_once()
            await pilot.pause()
            if (
                monitor.selected.status.lower().startswith("cancel")
                and monitor.selected.status.lower() != "canceling"
            ):
                break
        assert monitor.selected.status.lower() in ("canceled", "cancelled")
        await pilot.press("x")
        assert "already" in monitor.last_note
        await pilot.press("c")
        assert "Cutover not possible" in monitor.last_note
        question = await delete_selected(app, pilot)
        assert "SalesDB → sqlmi-contoso-prod/SalesDB (Canceled)" in question
        assert "Azure accepted the deletion of SalesDB" in monitor.last_note
        assert monitor.query_one("#migrations").row_count == 0


async def test_escape_backs_out_of_cancel(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor and not monitor.notes
        assert context.controller.get_migration(mig.id).status == "InProgress"
