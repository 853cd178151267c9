"""The logins screen keeps to 80x24 once the results are in: it does not start to scroll,
which would narrow it and cut the lines at its right edge."""

from __future__ import annotations

from textual.widgets import Static  # noqa: E402

from screens.logins import LoginsScreen  # noqa: E402
from tests.helpers.sandbox_migrations import open_monitor, settle, start  # noqa: E402
from tui.app import DmsTuiApp  # noqa: E402
from tui.models import TargetKind  # noqa: E402


async def wait_until(pilot, predicate, limit=400):
    for _ in range(limit):
        if predicate():
            return
        await pilot.pause()
    raise AssertionError("never reached")


async def test_the_results_of_creating_logins_fit_80x24(context, sandbox, tmp_path, dms_home):
    mig = start(context.azure, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig, export_folder=tmp_path)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginsScreen))
        logins = app.screen
        await settle(app, pilot)
        await wait_until(pilot, lambda: logins.reading is not None)
        await pilot.click("#logins-domain")
        await pilot.press(*"contoso.com")  # every Windows login can then be created
        await pilot.press("tab", "down")  # a login highlighted: its whole line below the list
        await pilot.pause()
        assert str(logins.query_one("#logins-detail", Static).render())
        await pilot.press("ctrl+a")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        await wait_until(pilot, lambda: not logins.busy)
        results = str(logins.query_one("#logins-results", Static).render())
        assert results.count("\n") >= 5  # a result per login: more lines than the box shows
        await pilot.pause()
        assert logins.max_scroll_y == 0  # the screen itself does not scroll
        assert logins.scrollbars_enabled == (False, False)
        # what sits at the bottom is on screen: the results' box and the plan above it
        box = logins.query_one("#logins-results-box")
        assert box.region.bottom <= app.size.height - 1  # above the footer
        assert logins.query_one("#logins-plan").region.height >= 5
