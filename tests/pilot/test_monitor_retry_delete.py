"""Retry a failed Azure SQL Database migration from the monitor; delete takes a migration
out of the saved project for good."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers.sandbox_migrations import delete_selected, open_monitor, start, step, until
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.projects import Project, load_project, save_project


def _problem(monitor) -> str:
    return str(monitor.query_one("#tables-pane .problem", Static).render())


async def test_retry_a_failed_sqldb_migration_then_delete_it_from_the_project(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    project = Project(
        name="sales", service_id=mig.migration_service_id, migration_ids=[mig.id], sandbox=True
    )
    save_project(project)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig, project=project)
        await step(app, pilot, monitor, sandbox, 30)
        sandbox.fail_migration("SalesDB")
        await step(app, pilot, monitor, sandbox, 1)
        assert monitor.selected.status == "Failed"
        problem = _problem(monitor)
        assert problem.startswith("Failed: ") and "Fix: " in problem
        assert "transaction log" in problem.lower()

        await pilot.press("t")
        await pilot.pause()
        assert "Retry the migration SalesDB → sql-contoso-prod/SalesDB?" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert monitor.last_note.startswith(
            "Azure accepted the retry of SalesDB: SalesDB → sql-contoso-prod/SalesDB is InProgress"
        )
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.selected.status not in ("Failed", "Succeeded")
        assert _problem(monitor) == ""
        await until(
            app, pilot, monitor, sandbox, lambda d: d.status == "Succeeded", step=60, limit=60
        )
        assert monitor.selected.status == "Succeeded"
        assert "Succeeded 1" in str(monitor.query_one("#state-counts").render())

        # delete: gone from the list and from the saved project
        await delete_selected(app, pilot)
        assert "Azure accepted the deletion of SalesDB" in monitor.last_note
        assert "Removed from the project" in monitor.last_note
        assert monitor.query_one("#migrations").row_count == 0
        assert project.migration_ids == []
    assert load_project("sales").migration_ids == []


async def test_retry_on_a_managed_instance_migration_says_why_not(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.press("t")
        await pilot.pause()
        assert monitor.last_note.startswith("Can't retry: Only Azure SQL Database migrations")
        assert "start a new migration" in str(monitor.query_one("#monitor-status").render())
        assert not any(
            r.method.upper() == "POST" and r.path.lower().endswith("/retry")
            for r in sandbox.requests
        )
