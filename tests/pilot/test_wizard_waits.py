"""Long Azure operations show progress and elapsed time, and are picked up again on return."""

from __future__ import annotations

from tests.helpers.wizard_pilot import (
    on_screen,
    press_until,
    step_is,
    text_of,
    wait_for,
)
from tui.app import DmsTuiApp


async def test_registration_and_creation_waits_survive_leaving_the_step(context, sandbox):
    now = [1000.0]
    app = DmsTuiApp(context, clock=lambda: now[0], poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        await pilot.press(*"dms-mig", "enter")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 1))
        await wait_for(pilot, lambda: "NotRegistered" in text_of(app, "#provider-state"))
        await pilot.press("r")
        await wait_for(pilot, lambda: "Registering" in text_of(app, "#provider-state"))
        now[0] += 42
        await wait_for(pilot, lambda: "0:42 elapsed" in text_of(app, "#provider-wait"))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Resource provider:" in text_of(app, "#step-error"))
        # leave the step and come back: the wait is picked up with its elapsed time
        await press_until(pilot, ["escape"], lambda: type(app.screen).__name__ == "ScopeScreen")
        now[0] += 18
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 1))
        await wait_for(pilot, lambda: "1:00 elapsed" in text_of(app, "#provider-wait"))
        sandbox.advance(600)
        await wait_for(pilot, lambda: "Registered ✓" in text_of(app, "#provider-state"))
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 2))

        await wait_for(pilot, lambda: app.screen.services, what="services")
        await pilot.press("tab", *"dms-new", "ctrl+o")
        await wait_for(pilot, lambda: "Creating dms-new" in text_of(app, "#service-wait"))
        now[0] += 30
        await wait_for(pilot, lambda: "0:30 elapsed" in text_of(app, "#service-wait"))
        await press_until(pilot, ["escape"], lambda: step_is(app, 1))
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 2))
        await wait_for(pilot, lambda: "Creating dms-new" in text_of(app, "#service-wait"))
        sandbox.advance(300)
        await wait_for(pilot, lambda: "Created ✓" in text_of(app, "#service-wait"))
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 3))
