"""SVG snapshots of the start screen, the scope screen and every wizard step, at 80x24 and
120x40, in the sandbox. Elapsed-time counters use a frozen clock; the project folder shown is
the same in every run: a relative DMS_TUI_HOME inside the test's own folder."""

from __future__ import annotations

import pytest

from tests.helpers.wizard_pilot import focus_settled, on_screen, text_of, wait_for
from tests.helpers.wizard_projects import (
    app_for,
    opened,
    project_at,
)

SIZES = [(80, 24), (120, 40)]


def loaded(step: int):
    """What each step shows once its Azure/source reads have answered."""
    return {
        1: lambda app: "NotRegistered" in text_of(app, "#provider-state"),
        2: lambda app: app.screen.services and app.wizard.service is not None,
        3: lambda app: True,
        4: lambda app: True,
        5: lambda app: app.screen.targets,
        6: lambda app: app.wizard.inventory,
        7: lambda app: (
            app.screen.existing is not None
            and app.screen.query_one("#container").value == "sqlmigration"
        ),
        8: lambda app: "Checking" not in text_of(app, "#summary-checks"),
    }[step]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("step", range(1, 9))
def test_step(snap_compare, context, sandbox, ids, fixed_home, step, size):
    project_at(step, sandbox, ids)
    app = app_for(context)

    async def ready(pilot):
        await opened(pilot, step)
        await wait_for(pilot, lambda: loaded(step)(app), what=f"step {step} loaded")
        await wait_for(pilot, lambda: focus_settled(app), what="focus drawn")

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start(snap_compare, context, sandbox, ids, fixed_home, size):
    project_at(6, sandbox, ids)
    app = app_for(context, project=None)

    async def ready(pilot):
        await on_screen(pilot, "StartScreen")
        menu = app.screen.query_one("#start-menu")
        await wait_for(
            pilot, lambda: app.focused is menu and focus_settled(app), what="the menu focused"
        )

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_scope(snap_compare, context, fixed_home, size):
    app = app_for(context, project=None)

    async def ready(pilot):
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        await wait_for(
            pilot,
            lambda: app.focused is app.screen.query_one("#groups Input") and focus_settled(app),
            what="focus on the resource group filter",
        )

    assert snap_compare(app, terminal_size=size, run_before=ready)
