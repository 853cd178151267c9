"""A dropped SSH session: dms-tui runs as its own process on a terminal, the DBA makes the
step 7 choices, and the process is killed with SIGKILL (nothing of the app runs after it).
The next start with --project shows the same choices."""

from __future__ import annotations

from textual.widgets import Input, RadioButton, Select

from tests.helpers.autosave import (
    LAST_FILE,
    saved_settings,
    step7_is_saved,
    step7_settings,
)
from tests.helpers.pty_app import PtyApp
from tests.helpers.wizard_pilot import on_screen, wait_for
from tests.helpers.wizard_projects import app_for, opened, project_at
from tui.projects import holder_of, project_path


async def test_step7_choices_survive_a_killed_process(context, sandbox, ids, dms_home):
    project_at(7, sandbox, ids, settings=step7_settings(ids))
    app = PtyApp(["--sandbox", "--project", "payroll"], {"DMS_TUI_HOME": str(dms_home)})
    try:
        app.wait_text("Passwords are never saved")  # the source password is asked again
        app.press(*"S3cret-pw!", "enter")
        app.wait_text("pick the container that holds")  # accounts and containers read
        app.press("down", "enter")  # Mode: Offline
        app.wait(lambda: saved_settings().get("mode") == "offline", "offline saved")
        mark = app.mark()
        app.press("tab", "tab", "tab", "enter")  # open the container list
        app.wait_text("app-logs", since=mark)
        app.press(*"sqlm", "enter")
        app.wait(lambda: saved_settings().get("container") == "sqlmigration", "container saved")
        mark = app.mark()
        app.press("tab", "tab", "tab")  # blob auth, target name, last backup file
        app.wait_text("last backup file   ▌", since=mark)
        mark = app.mark()
        app.press("ctrl+a", "ctrl+k")
        app.wait_text("▌SalesDB_log_042.trn", since=mark)  # empty: the placeholder shows
        app.press(*LAST_FILE)
        app.wait(step7_is_saved, "step 7 saved while the app runs")
        # the running app holds the project: this process (another instance) can't write it
        holder = holder_of("payroll", project_path("payroll"))
        assert holder is not None and holder.pid == app.proc.pid
    finally:
        app.kill()
    assert holder_of("payroll", project_path("payroll")) is None  # gone with the process

    again = app_for(context)
    async with again.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 7)
        screen = again.screen
        assert screen.query_one("#mode-offline", RadioButton).value
        await wait_for(
            pilot,
            lambda: screen.query_one("#container", Select).value == "sqlmigration",
            what="container shown again",
        )
        assert screen.query_one("#last-0", Input).value == LAST_FILE


async def test_a_second_instance_is_refused_while_the_first_runs(context, sandbox, ids, dms_home):
    """Two real processes: the one that opened the project first keeps it."""
    project_at(5, sandbox, ids)
    first = PtyApp(["--sandbox", "--project", "payroll"], {"DMS_TUI_HOME": str(dms_home)})
    try:
        first.wait_text("Passwords are never saved")
        first.wait(
            lambda: holder_of("payroll", project_path("payroll")) is not None,
            "the first instance holds the project",
        )
        second = app_for(context)
        async with second.run_test(size=(80, 24)) as pilot:
            await on_screen(pilot, "StartScreen")
            await wait_for(
                pilot,
                lambda: (
                    f"process {first.proc.pid}"
                    in "\n".join(str(n.message) for n in second._notifications)
                ),
                what="who holds it",
            )
            assert second.wizard is None
    finally:
        first.kill()
