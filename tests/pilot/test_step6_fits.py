"""Step 6 at 80x24: the highlighted database's readiness and the managed instance's limit
line are on screen next to the list, not below it where no key can bring them."""

from __future__ import annotations

from tests.helpers.wizard_pilot import text_of, wait_for
from tests.helpers.wizard_projects import opened_at


async def test_the_findings_and_the_limit_line_are_on_screen_at_80x24(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        await pilot.press("space")
        await wait_for(pilot, lambda: "Readiness of" in text_of(app, "#findings"))
        await wait_for(pilot, lambda: "user databases" in text_of(app, "#databases-limit"))
        await pilot.pause()
        body = app.screen.query_one("#step-body")
        for selector in ("#databases-limit", "#findings"):
            widget = app.screen.query_one(selector)
            assert widget.region.height > 0, selector
            # its first line lies within what the step's body shows
            assert body.region.y <= widget.region.y < body.region.bottom, selector
