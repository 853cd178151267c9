"""Step 8: the answer to a migration's PUT is lost after Azure created it. The migration is
read again, recognised as this one and kept in the project; the monitor shows it."""

from __future__ import annotations

from tests.test_wizard_steps import ids, opened_at  # noqa: F401 - ids is a fixture
from tests.wizard_pilot import on_screen, text_of, wait_for
from tui.azure_ids import migration_id_for
from tui.projects import load_project
from tui.sandbox import Fault


async def test_a_lost_put_answer_keeps_the_migration_in_the_project_and_monitor(
        context, sandbox, ids):  # noqa: F811 - the fixture imported above
    mid = migration_id_for(ids["targets"]["sqlmi-contoso-prod"].id, "SalesDB")
    async with opened_at(context, sandbox, ids, 8) as (app, pilot):
        await wait_for(pilot, lambda: "All checks passed" in text_of(app, "#summary-checks"),
                       what="summary checks")
        sandbox.inject(Fault.drop_connection(match="/databaseMigrations/SalesDB", method="PUT",
                                             after_processing=True))
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
