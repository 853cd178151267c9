"""Ctrl+C / Ctrl+Q: at once when nothing is in flight; a question, saying that Azure carries
on and how to reattach, when a cutover is followed, a backup runs or a create is under way."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Button, Static

from screens.monitor import MonitorScreen
from screens.quit_confirm import QuitConfirm
from tests.helpers.monitor_fakes import T0, FakeController, mi_detail
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.models import BackupResult
from tui.projects import Project
from widgets.confirm import ConfirmModal


def question_text(app) -> str:
    return str(app.screen.query_one("#confirm-question", Static).render())


async def monitor_on(app, pilot, project) -> MonitorScreen:
    monitor = MonitorScreen(project=project, interval=3600, clock=lambda: T0)
    await app.push_screen(monitor)
    await pilot.pause()
    await monitor.refresh_once()
    await pilot.pause()
    return monitor


def project_of(*details) -> Project:
    return Project(
        name="payroll",
        service_id="svc",
        migration_ids=[d.id for d in details],
        source={"server": "sql01", "authentication": "windows", "user": "CONTOSO\\dba"},
    )


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
async def test_nothing_in_flight_quits_at_once(key):
    running = mi_detail("Payroll", status="InProgress")
    done = mi_detail("Billing", status="Succeeded")
    app = DmsTuiApp(AppContext(controller=FakeController(running, done)))
    async with app.run_test(size=(80, 24)) as pilot:
        await monitor_on(app, pilot, project_of(running, done))
        await pilot.press(key)
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
async def test_a_cutover_being_followed_asks_first_and_escape_stays(key):
    completing = mi_detail("Payroll", status="Completing")
    app = DmsTuiApp(AppContext(controller=FakeController(completing)))
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await monitor_on(app, pilot, project_of(completing))
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm), what="the question")
        text = question_text(app)
        assert "the cutover of Payroll (Completing), followed by the monitor" in text
        assert "Quitting stops nothing in Azure: the migration goes on" in text
        assert "dms-tui --project payroll --monitor" in text
        assert "backup" not in text  # no backup is running
        assert app.focused is app.screen.query_one("#confirm-no", Button)  # Stay, the safe one
        assert "Stay" in str(app.focused.label)
        await pilot.press(key)  # asked again while asking: still one question
        await pilot.pause()
        assert isinstance(app.screen, QuitConfirm)
        assert sum(isinstance(s, QuitConfirm) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is monitor, what="back on the monitor")
        assert app.is_running
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("enter")  # Enter on the focused button: Stay
        await wait_for(pilot, lambda: app.screen is monitor)
        assert app.is_running
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")


async def test_a_log_backup_running_asks_and_says_it_is_cut_off():
    gate = threading.Event()
    payroll = mi_detail("Payroll", pending=2)

    class Source:
        def backup_log(self, database, url, *, tail=False):
            gate.wait(30)
            return BackupResult(
                database=database, backup_type="log", url=url, statement="", finished=T0
            )

        def close(self):
            pass

    context = AppContext(controller=FakeController(payroll), open_source_fn=lambda p: Source())
    app = DmsTuiApp(context)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            monitor = await monitor_on(app, pilot, project_of(payroll))
            await pilot.press("l")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, ConfirmModal),
                what="the log backup's confirmation",
            )
            await pilot.press("y")
            await wait_for(
                pilot,
                lambda: any(w.group == "monitor-backup" and w.is_running for w in app.workers),
                what="the backup",
            )
            await pilot.press("ctrl+c")
            await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm))
            text = question_text(app)
            assert "a log backup running on the source" in text
            assert "cut off when it quits" in text and "dms-tui --project payroll" in text
            await pilot.press("n")
            await wait_for(pilot, lambda: app.screen is monitor)
            gate.set()
            await wait_for(
                pilot,
                lambda: "Log backup of Payroll taken" in monitor.last_note,
                what="the backup to finish",
            )
            await pilot.press("ctrl+c")  # nothing in flight any more
            await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
    finally:
        gate.set()


async def test_a_dms_instance_being_created_asks_before_quitting(context, sandbox):
    from tests.helpers.wizard_pilot import create_service, scope_and_provider

    app = DmsTuiApp(context, clock=lambda: 1000.0, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await create_service(pilot, "dms-quit-test")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm))
        text = question_text(app)
        assert "the DMS instance being created (provisioning in Azure)" in text
        assert "Quitting stops nothing in Azure: it carries on without this tool." in text
        # a new project has no name yet: the start screen is where to pick up again
        assert "Run dms-tui --sandbox again: its start screen has the monitor" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")


def test_the_question_on_an_80x24_jump_box(snap_compare):
    completing = mi_detail("Payroll", status="Completing")

    async def run_before(pilot):
        app = pilot.app
        await monitor_on(app, pilot, project_of(completing))
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirm))
        await pilot.pause()

    app = DmsTuiApp(AppContext(controller=FakeController(completing)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
