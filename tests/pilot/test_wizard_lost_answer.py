"""Step 8: the answer to a migration's PUT is lost after Azure created it. The migration is
read again, recognised as this one and kept in the project; the monitor shows it."""

from __future__ import annotations

from tests.helpers.wizard_pilot import on_screen, text_of, wait_for
from tests.helpers.wizard_projects import opened_at
from tui.azure_ids import migration_id_for
from tui.projects import load_project
from tui.sandbox import Fault


async def test_a_lost_put_answer_keeps_the_migration_in_the_project_and_monitor(
    context, sandbox, ids
):
    mid = migration_id_for(ids["targets"]["sqlmi-contoso-prod"].id, "SalesDB")
    async with opened_at(context, sandbox, ids, 8) as (app, pilot):
        await wait_for(
            pilot,
            lambda: "All checks passed" in text_of(app, "#summary-checks"),
            what="summary checks",
        )
        sandbox.inject(
            Fault.drop_connection(
                match="/databaseMigrations/SalesDB", method="PUT", after_processing=True
            )
        )
        await pilot.press("ctrl+n")
        await on_screen(pilot, "ConfirmModal")
        await pilot.press("y")
        await on_screen(pilot, "MonitorScreen")
        monitor = app.screen
        await wait_for(pilot, lambda: mid.lower() in monitor.rows, what="the migration's row")
        assert monitor.rows[mid.lower()].summary.source_database == "SalesDB"
    assert [m.lower() for m in load_project("payroll").migration_ids] == [mid.lower()]
    puts = [r for r in sandbox.requests if r.method == "PUT" and "databaseMigrations" in r.path]
    assert len(puts) == 1  # the SDK did not send it again
    assert not sandbox.faults.active  # the lost answer did happen


def test_a_target_database_restored_by_our_running_migration_is_no_clash():
    """In Azure the target of a running restore already shows as a database: when the
    project lost that migration's id, step 8's name check must not refuse to start it."""
    from screens.step_summary import SummaryStep
    from tui.errors import AzureError
    from tui.models import MigrationDetail, TargetKind

    target = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"

    class Controller:
        def get_migration(self, migration_id):
            name = migration_id.rsplit("/", 1)[-1]
            if name == "Other":
                raise AzureError("not found", code="ResourceNotFound", status=404)
            source = {"SalesDB": "SalesDB", "Payroll": "HR"}[name]
            return MigrationDetail(
                id=migration_id,
                name=name,
                kind=TargetKind.SQL_MI,
                status="InProgress",
                source_database=source,
                target_database=name,
                migration_operation_id="op",
            )

    names = {"SalesDB": "SalesDB", "Payroll": "Payroll", "Other": "Other"}
    left = SummaryStep._without_our_running(
        Controller(), target, names, ["master", "SalesDB", "Payroll", "Other"]
    )
    # SalesDB is ours; Payroll is restored from another source database; Other has none
    assert left == ["master", "Payroll", "Other"]
