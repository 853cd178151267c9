"""The target-login dialog's button names what it does: from the monitor's logins (g) it
creates logins, it does not count rows."""

from __future__ import annotations

from textual.widgets import Button  # noqa: E402

from screens.target_login import TargetLoginScreen  # noqa: E402
from tests.helpers.sandbox_migrations import open_monitor, start  # noqa: E402
from tui.app import DmsTuiApp  # noqa: E402
from tui.models import TargetKind  # noqa: E402


async def test_the_logins_target_login_button_says_create_logins(
    context, sandbox, tmp_path, dms_home
):
    mig = start(context.azure, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig, export_folder=tmp_path)
        await pilot.press("g")
        for _ in range(400):
            if isinstance(app.screen, TargetLoginScreen):
                break
            await pilot.pause()
        login = app.screen
        assert isinstance(login, TargetLoginScreen)
        await pilot.pause()
        button = login.query_one("#target-login-ok", Button)
        assert str(button.label) == "Create logins"
        assert button.region.width >= len("Create logins")  # shown whole at 80x24
        await pilot.press("escape")
