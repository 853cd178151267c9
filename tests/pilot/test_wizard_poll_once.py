"""A long wait polls Azure on one chain only, however often the DBA presses the key."""

from __future__ import annotations

import time

from tests.helpers.wizard_pilot import on_screen, press_until, step_is, text_of, wait_for
from tui.app import DmsTuiApp


def provider_reads(sandbox) -> int:
    return sum(
        1
        for r in sandbox.requests
        if r.method.upper() == "GET"
        and r.path.lower().endswith("/providers/microsoft.datamigration")
    )


async def test_pressing_register_again_does_not_multiply_the_polling(context, sandbox):
    app = DmsTuiApp(context, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        await pilot.press(*"dms-mig", "enter")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 1))
        await wait_for(pilot, lambda: "NotRegistered" in text_of(app, "#provider-state"))
        for _ in range(3):
            await pilot.press("r")
            await wait_for(pilot, lambda: "Registering" in text_of(app, "#provider-state"))
        await app.workers.wait_for_complete()
        before = provider_reads(sandbox)
        started = time.monotonic()
        await wait_for(pilot, lambda: provider_reads(sandbox) >= before + 4, what="4 reads")
        took = time.monotonic() - started
        # one chain reads once per poll interval (0.2 s): after the first of four reads come
        # three intervals at least (a busy machine only makes them longer); a second chain
        # would read twice as often
        assert took >= 3 * 0.2, f"4 reads in {took:.2f} s: more than one polling chain"
