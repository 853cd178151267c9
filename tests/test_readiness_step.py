"""Step 6 says the right fix, with the database's name as written, at 80x24."""

from __future__ import annotations

from tests.test_wizard_steps import opened_at, refused
from tests.wizard_pilot import text_of, wait_for
from tui.sandbox.sqlserver import SimDatabase

ODD = "[Stage]Q1"  # a name with both brackets: Textual markup would swallow "[Stage]"


async def test_a_restoring_database_with_brackets_is_told_restore_with_recovery(
    context, sandbox, ids
):
    source = sandbox.world.source
    source.add(SimDatabase(ODD, source.next_database_id(), state="RESTORING"))
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: ODD in app.wizard.inventory, what="databases")
        await pilot.press("end", "space")
        await wait_for(pilot, lambda: ODD in text_of(app, "#findings"), what="findings")
        fix = "RESTORE DATABASE [[Stage]]Q1] WITH RECOVERY;"
        assert fix in text_of(app, "#findings")
        assert "SET ONLINE" not in text_of(app, "#findings")
        assert f"Selected: {ODD}" in text_of(app, "#databases-selected")
        await refused(pilot, 6, f"Databases: {ODD} can't be migrated", fix)
