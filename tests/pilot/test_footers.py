"""At 80 columns every footer shows its screen's chosen keys whole — none cut off under the
palette key; the rest are in help (F1)."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import settled, wait_for
from tests.helpers.wizard_projects import app_for, opened, project_at
from tui.app import DmsTuiApp
from tui.models import TargetKind

COMMON = ["^q", "f1"]
CHOSEN = {
    1: ["^n", "esc", "r", *COMMON],
    2: ["^n", "esc", "^o", "^g", "^y", *COMMON],
    3: ["^n", "esc", "^r", *COMMON],
    4: ["^n", "esc", "^t", *COMMON],
    5: ["^n", "esc", "^r", *COMMON],
    6: ["^n", "esc", "^r", "m", "t", *COMMON],
    7: ["^n", "esc", *COMMON],
    8: ["^n", "esc", "^r", *COMMON],
}
MONITOR = ["p", "/", "c", "l", "v", "e", "x", "f1"]


def whole_keys(screen) -> list[str]:
    """The footer keys drawn whole, left of the palette key and inside the terminal."""
    footer = screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
    palette = footer.query_one(".-command-palette", FooterKey)
    limit = min(palette.region.x, screen.size.width)
    return [k.key_display for k in keys if k.region.width and k.region.right <= limit]


def footer_settled(screen, expected: list[str]) -> bool:
    return sorted(whole_keys(screen)) == sorted(expected)


@pytest.mark.parametrize("step", range(1, 9))
async def test_each_wizard_step_footer_fits_80_columns(context, sandbox, ids, step):
    project_at(step, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, step)
        await wait_for(
            pilot,
            lambda: footer_settled(app.screen, CHOSEN[step]),
            what=f"footer of step {step}: {CHOSEN[step]}",
        )


async def test_monitor_footer_fits_80_columns(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await wait_for(
            pilot, lambda: footer_settled(monitor, MONITOR), what=f"monitor footer {MONITOR}"
        )


async def test_the_footer_is_rebuilt_only_when_its_keys_change(context, sandbox, ids):
    """Tab between fields that share their keys leaves the footer's keys as drawn (rebuilding
    them on every focus move cost more than anything else a key press did)."""
    project_at(4, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 4)
        await wait_for(pilot, lambda: footer_settled(app.screen, CHOSEN[4]), what="footer")
        footer = app.screen.query_one(Footer)
        drawn = list(footer.query(FooterKey))
        server = app.focused
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is not server, what="the next field")
        await settled(pilot)
        assert list(footer.query(FooterKey)) == drawn  # same keys: nothing rebuilt
        assert footer_settled(app.screen, CHOSEN[4])
