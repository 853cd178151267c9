"""One writer per project: the instance that opens a project holds it; a second one gets the
wizard refused (with who holds it) and the monitor read-only, and writes nothing."""

from __future__ import annotations

import os

from tests.helpers.other_instance import OtherInstance
from tests.helpers.sandbox_migrations import delete_selected, start, until
from tests.helpers.wizard_pilot import on_screen, step_is, wait_for
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.projects import (
    Project,
    ProjectLocked,
    holder_of,
    load_project,
    lock_project,
    project_path,
    save_project,
)


def app_for(context, **kw) -> DmsTuiApp:
    return DmsTuiApp(context, clock=lambda: 0.0, poll_interval=0.2, **kw)


def notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_the_wizard_refuses_a_project_another_process_has_open(context, dms_home):
    save_project(Project(name="payroll", step=4, sandbox=True))
    with OtherInstance("payroll", dms_home) as other:
        app = app_for(context, project="payroll")
        async with app.run_test(size=(80, 24)) as pilot:
            await on_screen(pilot, "StartScreen")
            await wait_for(
                pilot, lambda: f"process {other.proc.pid}" in notes(app), what="who holds it"
            )
            assert "only one dms-tui at a time" in notes(app)
            assert app.wizard is None and app.project_lock is None
            line = str(app.screen.query_one("#projects").options[0].prompt)
            assert f"in use by dms-tui process {other.proc.pid}" in line
            await pilot.press("o", "enter")  # trying again from the list: refused again
            await wait_for(pilot, lambda: notes(app).count(f"process {other.proc.pid}") >= 2)
            assert type(app.screen).__name__ == "StartScreen"


async def test_a_second_instance_watches_read_only_and_writes_nothing(context, sandbox, dms_home):
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    save_project(
        Project(
            name="sales",
            step=9,
            sandbox=True,
            service_id=mig.migration_service_id,
            subscription_id=sandbox.subscription_id,
            migration_ids=[mig.id],
        )
    )
    before = project_path("sales").read_bytes()
    with OtherInstance("sales", dms_home) as other:
        app = app_for(context, project="sales")
        async with app.run_test(size=(80, 24)) as pilot:
            await on_screen(pilot, "MonitorScreen")
            monitor = app.screen
            assert "READ-ONLY" in monitor.sub_title
            assert f"open in pid {other.proc.pid}" in monitor.sub_title
            assert "read-only" in notes(app)
            await monitor.refresh_once()
            await until(
                app, pilot, monitor, sandbox, lambda d: d.status == "Succeeded", step=60, limit=60
            )
            await delete_selected(app, pilot)  # deleted in Azure; the project is not ours
            await wait_for(pilot, lambda: "could not be saved" in monitor.last_note)
            assert f"process {other.proc.pid}" in monitor.last_note
    assert project_path("sales").read_bytes() == before


async def test_the_app_holds_its_project_until_back_on_the_start_screen(context, sandbox):
    save_project(
        Project(
            name="payroll",
            step=2,
            sandbox=True,
            subscription_id=sandbox.subscription_id,
            resource_group="rg-dms-migration",
        )
    )
    app = app_for(context, project="payroll")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: step_is(app, 2))
        holder = holder_of("payroll", project_path("payroll"))
        assert holder is not None and holder.pid == os.getpid()
        try:
            lock_project("payroll").release()
            raise AssertionError("a second writer got the lock")
        except ProjectLocked:
            pass
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 1))
        await pilot.press("escape")
        await on_screen(pilot, "ScopeScreen")
        await pilot.press("escape")
        await on_screen(pilot, "StartScreen")
        await wait_for(
            pilot,
            lambda: holder_of("payroll", project_path("payroll")) is None,
            what="the lock given back",
        )
        assert app.wizard is None
    assert load_project("payroll").step == 2, "Back lowered the step reached"
