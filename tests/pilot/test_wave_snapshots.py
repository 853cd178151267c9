"""What the DBA sees in the wave's cutover dialog at 80x24: the checklist, a row per
database, the reasons the button waits, the timeline. Manual clock, fixed seed."""

from __future__ import annotations

from textual.widgets import Checkbox

from tests.helpers.sandbox_migrations import settle
from tests.helpers.wave_pilot import open_wave, start_application
from tui.app import DmsTuiApp


def test_wave_dialog_waiting_for_the_tail_logs(snap_compare, context, sandbox):
    migs = start_application(context, sandbox)

    async def run_before(pilot):
        app = pilot.app
        await app.workers.wait_for_complete()
        _monitor, dialog = await open_wave(app, pilot, migs, "sales-app")
        dialog.query_one("#wave-stopped", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        for _ in range(3):
            sandbox.advance(15)
            await dialog.refresh_once()
        await pilot.press(*"sales")
        await settle(app, pilot)

    assert snap_compare(DmsTuiApp(context), terminal_size=(80, 24), run_before=run_before)
