"""An online managed-instance migration from start to Succeeded, driven through the monitor."""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.cutover import CutoverScreen
from screens.target_login import TargetLoginScreen
from screens.validation import ValidationScreen
from tests.helpers.sandbox_migrations import (
    advance_until_ready,
    advance_until_tail_restored,
    cutover_posts,
    open_cutover,
    open_monitor,
    settle,
    start,
    take_tail,
    text_of,
    until,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_online_mi_start_to_succeeded_through_the_monitor(context, sandbox, tmp_path):
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig, export_folder=tmp_path)
        assert monitor.selected_id == mig.id.lower()
        assert "SalesDB" in text_of(monitor, "#detail-title")

        # the full backup restores
        await until(app, pilot, monitor, sandbox, lambda d: d.is_full_backup_restored, limit=40)
        assert "Full backup: restored" in str(monitor.query_one("#backup-pane .facts").render())
        files = monitor.query_one("#backup-files")
        assert any("full" in k.lower() for k in files.keys)

        # log backups taken from the monitor (each confirmed): pending rises, then falls to 0
        await pilot.press("l")
        await pilot.pause()
        assert "Take a log backup of SalesDB" in text_of(app.screen, "#confirm-question")
        await pilot.press("y")
        await settle(app, pilot)
        assert "Log backup of SalesDB taken" in monitor.last_note
        await pilot.press("l", "y")
        await settle(app, pilot)
        # DMS lists the new files at its next scan of the backup location
        await until(app, pilot, monitor, sandbox, lambda d: d.pending_log_backups, step=5)
        pending_seen = max(monitor.history.pending(mig.id))
        assert pending_seen > 0

        # refused while pending > 0: the dialog says why and the button stays disabled
        dialog = await open_cutover(pilot)
        assert isinstance(dialog, CutoverScreen)
        assert app.focused is dialog.query_one("#confirm-name")
        assert "Not ready" in text_of(dialog, "#cutover-blockers")
        assert "log backup" in text_of(dialog, "#cutover-blockers")
        await pilot.click("#stopped")
        dialog.query_one("#confirm-name", Input).value = "SalesDB"
        await pilot.pause()
        assert dialog.query_one("#cutover-confirm", Button).disabled
        assert "step 2, the tail-log backup, is not done" in text_of(dialog, "#cutover-why")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor
        assert cutover_posts(sandbox) == 0

        # wait for the restores: pending falls to 0, every listed file restored
        await until(
            app,
            pilot,
            monitor,
            sandbox,
            lambda d: (
                d.pending_log_backups == 0 and "caught up" in text_of(monitor, "#detail-title")
            ),
        )
        assert monitor.history.pending(mig.id)[-1] == 0

        # the guarded cutover: traffic stopped, the tail-log taken here, DMS restores it
        dialog = await open_cutover(pilot)
        await pilot.click("#stopped")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        tail = dialog.tail_file
        assert dialog.backup_taken and tail.startswith("SalesDB_tail_")
        assert f"Waiting for DMS to restore {tail}" in text_of(dialog, "#step-wait")
        confirm = dialog.query_one("#cutover-confirm", Button)
        assert confirm.disabled
        await until(
            app, pilot, monitor, sandbox, lambda d: d.last_restored_filename == tail, step=10
        )
        assert "READY" in text_of(monitor, "#detail-title")
        assert "Ready for cutover" in text_of(dialog, "#cutover-blockers")
        await pilot.click("#confirm-name")
        await pilot.press(*"salesdb")  # wrong case: not accepted
        await pilot.pause()
        assert confirm.disabled
        dialog.query_one("#confirm-name", Input).value = ""
        await pilot.press(*"SalesDB")
        await pilot.pause()
        assert not confirm.disabled
        await pilot.click("#cutover-confirm")
        await settle(app, pilot)
        assert app.screen is monitor
        assert cutover_posts(sandbox) == 1
        assert "Azure accepted the cutover of SalesDB" in monitor.last_note
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.selected.status in ("Completing", "Succeeded")
        assert "waiting for" not in text_of(monitor, "#detail-title")
        await until(app, pilot, monitor, sandbox, lambda d: d.status == "Succeeded", limit=20)
        assert monitor.selected.status == "Succeeded"
        assert "Succeeded 1" in str(monitor.query_one("#state-counts").render())

        # post-cutover validation: the target's login first (Enter accepts what is shown)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TargetLoginScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        validation = app.screen
        assert isinstance(validation, ValidationScreen)
        assert validation.report is not None and validation.report.rows
        assert validation.report.mismatches == 0
        assert "All tables match" in text_of(validation, "#validation-summary")
        assert validation.query_one("#validation-table").row_count == len(validation.report.rows)

        # the change ticket: details and the validation report as JSON and CSV
        await pilot.press("e")
        await settle(app, pilot)
        names = sorted(p.name for p in tmp_path.iterdir())
        assert len(names) == 3 and names[0].startswith("SalesDB-20260302-")
        assert [n.rsplit("-", 1)[-1] for n in names] == [
            "backups.csv",
            "validation.csv",
            names[2].rsplit("-", 1)[-1],
        ]
        assert names[2].endswith(".json")
        assert "Exported" in text_of(validation, "#validation-export")
        assert "All tables match" in text_of(validation, "#validation-summary")  # still there


async def test_cutover_confirm_pressed_twice_sends_one_request(context, sandbox):
    """The DBA ran the tail-log T-SQL by hand; ctrl+r reads its name from the source's
    backup history."""
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    advance_until_ready(controller, sandbox, mig.id)
    tail = take_tail(sandbox, "SalesDB")
    advance_until_tail_restored(controller, sandbox, mig.id, tail)
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert dialog.tail_file == tail
        assert f"[x] 2. Tail-log backup: {tail} (from the source's backup history" in text_of(
            dialog, "#step-tail"
        )
        await pilot.click("#stopped")
        dialog.query_one("#confirm-name", Input).value = "SalesDB"
        await pilot.pause()
        # two presses in the same instant, then two more through the keyboard
        dialog.confirm()
        dialog.confirm()
        dialog.query_one("#cutover-confirm").focus()
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert dialog.requests == 1
        assert cutover_posts(sandbox) == 1
        assert app.screen is monitor


async def test_tail_log_backup_from_the_cutover_dialog(context, sandbox):
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(120)
    src = sandbox.sql_server(sandbox.source_address)
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        # step 1 not ticked: refused, nothing taken
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.screen is dialog and not dialog.backup_taken
        assert "Tick step 1 first" in text_of(dialog, "#cutover-why")
        assert next(d for d in src.databases() if d.name == "SalesDB").state == "ONLINE"
        # ticked: a confirmation naming the database and the file; Escape backs out
        await pilot.click("#stopped")
        await pilot.press("ctrl+t")
        await pilot.pause()
        question = text_of(app.screen, "#confirm-question")
        assert "tail-log backup of SalesDB" in question and dialog.planned_name in question
        assert "RESTORING" in question
        assert app.focused is app.screen.query_one("#confirm-no")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dialog and not dialog.backup_taken
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert dialog.backup_taken and dialog.tail_file == dialog.planned_name
        assert "RESTORING" in text_of(dialog, "#cutover-warning")
        assert "[x] 2." in text_of(dialog, "#step-tail")
        assert next(d for d in src.databases() if d.name == "SalesDB").state == "RESTORING"
        await monitor.refresh_once()
        await pilot.pause()
