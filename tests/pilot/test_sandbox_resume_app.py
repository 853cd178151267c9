"""Rehearsing a resume: the DBA quits the sandbox app with a migration running and starts it
again later with ``--project NAME --monitor``; the migration is there, and it has moved on."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import start
from tests.helpers.saved_world import Wall
from tests.helpers.wizard_pilot import on_screen, screen_text, wait_for
from tui.cli import build_app
from tui.models import TargetKind
from tui.projects import Project, save_project

ARGV = ["--sandbox", "--sandbox-speed", "1", "--project", "payroll", "--monitor"]
LAST_LOG = "SalesDB_log_003.trn"  # the last log backup in SalesDB's folder


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_quit_with_a_migration_running_and_resume_it_in_the_monitor():
    wall = Wall()
    app = build_app(ARGV, wall=wall)
    controller = app.context.azure  # the sandbox's world is opened on first use
    sandbox = app.context.sandbox
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")  # as the wizard starts it
    save_project(
        Project(
            name="payroll",
            step=9,
            sandbox=True,
            subscription_id=sandbox.subscription_id,
            service_id=mig.migration_service_id,
            target_kind="SqlMi",
            target_id=mig.target_id,
            databases=["SalesDB"],
            migration_ids=[mig.id],
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "MonitorScreen")
        await wait_for(pilot, lambda: "Last restored:" in screen_text(app), timeout=30)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, what="quit", timeout=30)
    left = controller.get_migration(mig.id)
    assert left.status.is_active
    assert left.last_restored_filename != LAST_LOG  # still restoring when the DBA quit

    wall.now += 3600  # an hour later, on the jump box
    again = build_app(ARGV, wall=wall)
    again.context.prepare()
    assert again.context.sandbox is not sandbox
    async with again.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "MonitorScreen")
        await wait_for(
            pilot,
            lambda: f"Last restored: {LAST_LOG}" in screen_text(again),
            what="the migration caught up while dms-tui was closed",
            timeout=30,
        )
        assert "SalesDB" in screen_text(again)
        assert "does not exist" not in screen_text(again)
        assert "60 min of simulated time passed" in notices(again)
        await pilot.press("ctrl+q")


async def test_a_damaged_world_is_told_on_the_start_screen_and_a_fresh_one_runs():
    from tui.sandbox.saved import world_path

    world_path(0).parent.mkdir(parents=True)
    world_path(0).write_text("not json at all")
    app = build_app(["--sandbox"])
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await wait_for(pilot, lambda: "could not be used" in notices(app))
        assert "fresh world" in notices(app) and "damaged" in notices(app)
        assert "SANDBOX" in app.sub_title
