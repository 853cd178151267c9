"""The app in --sandbox: says so, and quits cleanly from the keyboard."""

from __future__ import annotations

import pytest

from tui.app import DmsTuiApp
from widgets.sandbox_banner import SANDBOX_TEXT


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def test_sandbox_banner_on_the_start_screen_and_q_quits(context):
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert SANDBOX_TEXT in screen_text(app)
        assert "SANDBOX" in app.sub_title
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
async def test_quit_keys_work_even_while_typing_in_a_field(context, key):
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")  # into the wizard, where an input has focus
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("q")  # typed into the field: must not quit
        await pilot.pause()
        assert app.is_running
        assert SANDBOX_TEXT in screen_text(app)  # the banner is on every screen
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
