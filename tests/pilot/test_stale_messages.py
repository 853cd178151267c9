"""A refusal goes when its cause does: the SSISDB message once SSISDB is unselected, "it is
Provisioning" once the DMS instance is ready — the DBA is never left reading a stale error."""

from __future__ import annotations

from tests.helpers.wizard_pilot import create_service, error_text, until_service_ready, wait_for
from tests.helpers.wizard_projects import opened_at


async def test_the_ssisdb_refusal_goes_when_ssisdb_is_unselected(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index("SSISDB")), "space", "ctrl+n")
        await wait_for(pilot, lambda: "SSISDB" in error_text(app), what="refusal")
        await pilot.press("space")  # unselect it
        await wait_for(pilot, lambda: error_text(app) == "", what="the refusal gone")


async def test_provisioning_refusal_goes_when_the_instance_is_ready(context, sandbox, ids):
    context.controller.register_provider()
    sandbox.advance(600)
    async with opened_at(context, sandbox, ids, 2, service_id="") as (app, pilot):
        await create_service(pilot, "dms-fresh-01")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "not ready yet" in error_text(app), what="refusal")
        await until_service_ready(pilot, sandbox)
        await wait_for(pilot, lambda: error_text(app) == "", what="the refusal gone")


async def test_another_remaining_problem_replaces_the_refusal(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index("SSISDB")), "space", "ctrl+n")
        await wait_for(pilot, lambda: "SSISDB" in error_text(app), what="refusal")
        await pilot.press("up", "space", "down", "space")  # SalesDB off, SSISDB off
        await wait_for(pilot, lambda: "SSISDB" not in error_text(app), what="SSISDB gone")
        assert error_text(app) in ("", app.screen.problem())


async def test_the_resource_group_refusal_goes_when_a_group_is_picked(context):
    from tests.helpers.wizard_pilot import on_screen
    from tests.helpers.wizard_projects import app_for

    app = app_for(context, project=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Resource group: pick" in error_text(app), what="refusal")
        await pilot.press(*"dms-mig", "enter")
        await wait_for(pilot, lambda: app.wizard.project.resource_group == "rg-dms-migration")
        await wait_for(pilot, lambda: error_text(app) == "", what="the refusal gone")
