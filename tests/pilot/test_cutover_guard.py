"""The guard holds even when the screen's picture is stale: the Controller re-reads and refuses."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from screens.cutover import CutoverScreen
from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_ready,
    cutover_posts,
    open_cutover,
    open_monitor,
    start,
    text_of,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_stale_ready_dialog_is_refused_by_the_controller(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.take_log_backup("SalesDB")
    last = advance_until_ready(c, sandbox, mig.id).last_restored_filename
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        assert isinstance(dialog, CutoverScreen)
        # the DBA types the last restored file as the tail-log: the dialog's picture is ready
        dialog.query_one("#tail-file", Input).value = last
        await pilot.pause()
        assert f"[x] 2. Tail-log backup: {last} (typed)" in text_of(dialog, "#step-tail")
        await pilot.click("#stopped")
        dialog.query_one("#confirm-name", Input).value = "SalesDB"
        await pilot.pause()
        assert not dialog.query_one("#cutover-confirm", Button).disabled  # looks ready
        # ... but new log backups arrive after the dialog's last picture, and DMS lists them
        sandbox.take_log_backup("SalesDB")
        sandbox.take_log_backup("SalesDB")
        advance_until(c, sandbox, mig.id, lambda d: d.pending_log_backups, step=1, limit=200)
        await pilot.click("#cutover-confirm")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog  # refused: the dialog stays, saying why
        text = str(dialog.query_one("#cutover-blockers", Static).render())
        assert "cutover refused" in text and "log backup" in text
        assert cutover_posts(sandbox) == 0
        assert dialog.query_one("#cutover-confirm", Button).disabled  # now it knows
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor
