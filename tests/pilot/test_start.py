"""The start screen, CLI routing (--project, --monitor), sign-in first outside the sandbox."""

from __future__ import annotations

from datetime import UTC

from tests.helpers.wizard_pilot import (
    highlighted_command,
    on_screen,
    screen_text,
    step_is,
    wait_for,
)
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.projects import Project, save_project


def app_for(context, **kw) -> DmsTuiApp:
    return DmsTuiApp(context, clock=lambda: 0.0, poll_interval=0.2, **kw)


async def test_start_screen_offers_new_open_and_monitor(context):
    save_project(Project(name="payroll", step=4, sandbox=True))
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        text = screen_text(app)
        assert "SANDBOX" in text
        options = app.screen.query_one("#start-menu").options
        labels = [str(o.prompt) for o in options]
        assert any("new migration project" in label for label in labels)
        assert any("saved project" in label for label in labels)
        assert any("Monitor" in label for label in labels)
        projects = [str(o.prompt) for o in app.screen.query_one("#projects").options]
        assert projects and "payroll" in projects[0] and "4/9 Source" in projects[0]
        await pilot.press("o", "enter")  # open the highlighted saved project
        await wait_for(pilot, lambda: step_is(app, 4))


async def test_project_flag_resumes_at_its_step(context, sandbox):
    save_project(
        Project(name="payroll", step=3, sandbox=True, subscription_id=sandbox.subscription_id)
    )
    app = app_for(context, project="payroll")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: step_is(app, 3))
        assert "3/9 Project" in screen_text(app)


async def test_unknown_project_says_so_and_stays_on_start(context):
    app = app_for(context, project="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await wait_for(
            pilot,
            lambda: any(
                "No saved project named 'nope'" in str(n.message) for n in app._notifications
            ),
            what="the notice",
        )


async def test_project_and_monitor_flags_open_the_monitor_on_the_project(context, sandbox):
    save_project(
        Project(name="payroll", step=9, sandbox=True, subscription_id=sandbox.subscription_id)
    )
    app = app_for(context, project="payroll", monitor=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "MonitorScreen")
        assert app.screen.project.name == "payroll"


async def test_outside_the_sandbox_sign_in_comes_first():
    app = app_for(AppContext())
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "SignInScreen")
        labels = [str(o.prompt) for o in app.screen.query_one("#methods").options]
        assert any("Azure CLI" in label for label in labels)
        assert any("Device code" in label for label in labels)
        assert "SANDBOX" not in screen_text(app)


async def test_command_palette_lists_projects_and_the_monitor(context):
    save_project(Project(name="payroll", step=2, sandbox=True))
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"open project pay")
        await wait_for(pilot, lambda: "payroll" in highlighted_command(app), what="the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: step_is(app, 2))


async def test_device_code_is_shown_with_a_countdown():
    from datetime import datetime, timedelta

    from tui.signin import DeviceCodePrompt

    app = app_for(AppContext())
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "SignInScreen")
        expires = datetime.now(UTC) + timedelta(minutes=14, seconds=30)
        app.screen.post_message(
            app.screen.CodeShown(
                DeviceCodePrompt("https://microsoft.com/devicelogin", "ABCD-EFGH", expires)
            )
        )
        await wait_for(pilot, lambda: "ABCD-EFGH" in screen_text(app))
        text = screen_text(app)
        assert "https://microsoft.com/devicelogin" in text
        assert "expires in 14:" in text
