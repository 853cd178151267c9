"""The summary names the subscription (not only its id) and repeats step 6's readiness
warnings for the chosen databases, so nothing seen on step 6 is forgotten at Start."""

from __future__ import annotations

from tests.helpers.wizard_pilot import press_until, step_is, text_of, wait_for
from tests.helpers.wizard_projects import opened_at


async def test_summary_names_the_subscription(context, sandbox, ids):
    name = next(
        s.display_name
        for s in context.controller.list_subscriptions()
        if s.subscription_id == sandbox.subscription_id
    )
    assert name and name != sandbox.subscription_id
    async with opened_at(context, sandbox, ids, 8) as (app, pilot):
        await wait_for(pilot, lambda: name in text_of(app, "#summary-scope"), what="the name")
        assert sandbox.subscription_id in text_of(app, "#summary-scope")


async def test_summary_repeats_step_6_warnings(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        warned = next(
            db
            for db, found in ((db, app.wizard.findings(db)) for db in app.wizard.readiness)
            if any(f.severity.value == "warning" for f in found)
            and not any(f.severity.value == "blocker" for f in found)
        )
        message = next(
            f.message for f in app.wizard.findings(warned) if f.severity.value == "warning"
        )
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index(warned)), "space")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 7))
        app.wizard.project.step = 8
        app.goto_step(8)
        await wait_for(pilot, lambda: step_is(app, 8), what="summary")
        text = text_of(app, "#summary-readiness")
        assert "Readiness warnings from step 6" in text
        assert f"{warned}: warning — {message}" in text
