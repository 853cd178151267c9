"""Step 6 says the right fix, with the database's name as written, at 80x24."""

from __future__ import annotations

from tests.helpers.wizard_pilot import step_is, text_of, wait_for
from tests.helpers.wizard_projects import opened_at, refused
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


def _blocked(app, name: str) -> bool:
    sel = app.screen.query_one("#databases")
    index = list(app.wizard.inventory).index(name)
    return "BLOCKED" in str(sel.get_option_at_index(index).prompt)


async def test_simple_recovery_blocks_online_only_and_the_mode_is_chosen_on_step_6(
    context, sandbox, ids
):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        names = list(app.wizard.inventory)
        await pilot.press(*(["down"] * names.index("StagingETL")), "space")
        await wait_for(pilot, lambda: "StagingETL" in text_of(app, "#findings"))
        assert "an online migration needs FULL" in text_of(app, "#findings")
        assert _blocked(app, "StagingETL")
        await refused(pilot, 6, "Databases: StagingETL can't be migrated online")

        await pilot.press("m")  # offline: SIMPLE recovery is fine, the backups still matter
        await wait_for(pilot, lambda: "needs FULL" not in text_of(app, "#findings"))
        assert "StagingETL" in text_of(app, "#findings")
        assert "without CHECKSUM" in text_of(app, "#findings")
        assert not _blocked(app, "StagingETL") and app.wizard.settings.mode == "offline"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 7), what="step 7")
        assert app.wizard.project.databases == ["StagingETL"]
        assert app.screen.query_one("#mode-offline").value
