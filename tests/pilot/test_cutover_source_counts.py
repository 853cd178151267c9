"""Validation after a real cutover: the tail-log backup leaves the source RESTORING, so the
source is counted just before it; the target is counted with its own login."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from screens.cutover import CutoverScreen
from screens.target_login import TargetLoginScreen
from screens.validation import ValidationScreen
from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_tail_restored,
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
from tui.projects import Project


def spy_connections(context, sandbox) -> list:
    seen = []

    def open_source(params):
        seen.append(params)
        return sandbox.sql_server(params.server)

    context.open_source_fn = open_source
    return seen


async def test_source_counted_before_the_tail_log_backup_is_used_by_validation(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    project = Project(
        name="sales",
        service_id=mig.migration_service_id,
        migration_ids=[mig.id],
        source={"server": sandbox.source_address, "authentication": "sql", "user": "migrator"},
    )
    seen = spy_connections(context, sandbox)
    target_fqdn = next(
        t.fqdn
        for t in context.controller.list_targets(TargetKind.SQL_MI)
        if t.id.lower() == mig.target_id.lower()
    )
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig, project=project)
        await until(app, pilot, monitor, sandbox, lambda d: d.is_full_backup_restored)

        # the walk-through: traffic stopped, tail-log backup from the tool
        dialog = await open_cutover(pilot)
        assert isinstance(dialog, CutoverScreen)
        await pilot.click("#stopped")
        tail_at = monitor.now()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert dialog.backup_taken
        assert f"Source rows counted at {tail_at:%H:%M:%S}" in text_of(dialog, "#cutover-warning")
        stored = context.source_counts[mig.id.lower()]
        assert stored.counted_at == tail_at and stored.counts
        # the simulated server now refuses to count the source, as a real one does
        src = sandbox.sql_server(sandbox.source_address)
        assert next(d for d in src.databases() if d.name == "SalesDB").state == "RESTORING"
        try:
            src.row_counts("SalesDB")
        except Exception as exc:  # noqa: BLE001
            assert "restore" in str(exc).lower()
        else:
            raise AssertionError("a RESTORING source database was counted")

        await pilot.press("escape")
        await pilot.pause()
        await until(
            app,
            pilot,
            monitor,
            sandbox,
            lambda d: d.pending_log_backups == 0 and "READY" in text_of(monitor, "#detail-title"),
        )
        dialog = await open_cutover(pilot)  # it remembers the tail-log taken
        assert dialog.backup_taken
        await pilot.click("#stopped")
        await pilot.click("#confirm-name")
        await pilot.press(*"SalesDB", "enter")
        await settle(app, pilot)
        assert app.screen is monitor
        await until(app, pilot, monitor, sandbox, lambda d: d.status == "Succeeded")

        # validation: the target's own login, asked in a small dialog
        before = len(seen)
        await pilot.press("v")
        await pilot.pause()
        login = app.screen
        assert isinstance(login, TargetLoginScreen)
        assert login.query_one("#target-user", Input).value == "migrator"  # the source's
        password = login.query_one("#target-password", Input)
        assert password.password and app.focused is password
        await pilot.press(*"T4rget!")
        await pilot.press("enter")
        await settle(app, pilot)
        validation = app.screen
        assert isinstance(validation, ValidationScreen)
        report = validation.report
        assert report is not None and report.rows and report.mismatches == 0
        summary = text_of(validation, "#validation-summary")
        assert "All tables match" in summary
        assert f"source counted at {tail_at:%H:%M:%S}, just before the tail-log backup" in summary
        # only the target was read, with the login typed for it
        used = seen[before:]
        assert [p.server for p in used] == [target_fqdn]
        assert used[0].user == "migrator" and used[0].password == "T4rget!"
        # kept in memory, never shown
        assert "T4rget!" not in repr(context) and "T4rget!" not in repr(used[0])
        assert "T4rget!" not in str(project)


async def test_tail_log_taken_by_hand_says_the_source_cannot_be_counted(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    advance_until(c, sandbox, mig.id, lambda d: d.is_full_backup_restored, limit=40)
    tail = take_tail(sandbox, "SalesDB")  # the DBA ran BACKUP LOG ... NORECOVERY
    advance_until_tail_restored(c, sandbox, mig.id, tail, limit=40)
    c.cutover(mig.id, tail_log_file=tail)
    advance_until(c, sandbox, mig.id, lambda d: d.status == "Succeeded", limit=40)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TargetLoginScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        validation = app.screen
        assert isinstance(validation, ValidationScreen)
        summary = text_of(validation, "#validation-summary")
        assert summary.startswith("Source NOT counted, nothing compared:")
        assert "cannot be opened" in summary and "middle of a restore" in summary
        assert "RESTORING" in summary and "ctrl+t" in summary
        report = validation.report
        assert not report.compared and report.target_total > 0
        table = validation.query_one("#validation-table")
        assert table.row_count == len(report.rows)
        first = report.rows[0].table
        assert table.get_cell(first, "c1").plain == "—"
        assert table.get_cell(first, "c4").plain == "—"


async def test_target_login_dialog_escape_and_entra(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TargetLoginScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor and "no target login" in monitor.last_note

        await pilot.press("v")
        await pilot.pause()
        login = app.screen
        login.query_one("#target-entra", Checkbox).value = True
        await pilot.pause()
        assert login.query_one("#target-password", Input).disabled
        assert app.focused is login.query_one("#target-login-ok")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ValidationScreen)
        assert app.screen.target_login.authentication == "entra"
        await pilot.press("escape")
        await pilot.pause()

        # the session remembers: Entra is already chosen next time
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.query_one("#target-entra", Checkbox).value
