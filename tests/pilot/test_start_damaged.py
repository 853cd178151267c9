"""The app starts whatever the projects folder holds: damaged files are listed as damaged
(reason and path), copies are shown once with a note, and the good projects open."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.helpers.project_files import DAMAGED, write
from tests.helpers.wizard_pilot import on_screen, step_is, wait_for
from tui.app import DmsTuiApp
from tui.projects import Project, project_path, projects_dir, save_project


def app_for(context, **kw) -> DmsTuiApp:
    return DmsTuiApp(context, clock=lambda: 0.0, poll_interval=0.2, **kw)


def listed(app) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one("#projects", OptionList).options]


@pytest.mark.parametrize("case", sorted(DAMAGED))
async def test_app_starts_lists_the_damaged_file_and_opens_the_others(context, case):
    save_project(Project(name="payroll", step=4, sandbox=True))
    data, reason = DAMAGED[case]
    path = write(case, data)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        lines = listed(app)
        damaged = [line for line in lines if "DAMAGED" in line]
        assert len(damaged) == 1 and case in damaged[0]
        assert reason in damaged[0] and str(path) in damaged[0]
        assert "1 damaged file can't be opened" in str(
            app.screen.query_one("#projects-hint").render()
        )
        await pilot.press("o", "enter")  # the good project opens
        await wait_for(pilot, lambda: step_is(app, 4))
        assert app.wizard.project.name == "payroll"


async def test_opening_a_damaged_project_by_name_says_why_and_stays_on_start(context):
    path = write("broken", DAMAGED["ids-number"][0])
    app = app_for(context, project="ids-number")
    path.rename(path.with_name("ids-number.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await wait_for(
            pilot, lambda: any("can't be used" in str(n.message) for n in app._notifications)
        )
        text = next(str(n.message) for n in app._notifications if "can't be used" in str(n.message))
        assert "migration_ids should be a list of text" in text
        assert str(projects_dir() / "ids-number.toml") in text
        assert type(app.screen).__name__ == "StartScreen"


async def test_a_copied_project_file_shows_once_with_a_note(context):
    save_project(Project(name="payroll", step=4, sandbox=True))
    (projects_dir() / "payroll-copy.toml").write_bytes(project_path("payroll").read_bytes())
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        lines = listed(app)
        assert len(lines) == 1
        assert lines[0].startswith("payroll ") and "payroll-copy.toml" in lines[0]
        await pilot.press("o", "enter")
        await wait_for(pilot, lambda: step_is(app, 4))
