"""Step 4 on a jump box: bad ports, unknown servers, slow servers, Esc and Ctrl+N while
connecting. Driven with key presses in the sandbox; what is asserted is what the DBA reads."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.test_wizard_steps import ids, opened_at  # noqa: F401 - ids is a fixture
from tests.wizard_pilot import error_text, step_is, text_of, wait_for


async def set_field(pilot, field: str, value: str) -> None:
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.value = value
    box.focus()
    await pilot.pause()


@pytest.mark.parametrize("port", ["²", "①", "١٤٣٣", "14 33"])
async def test_a_port_that_is_not_ascii_digits_is_refused_by_name(context, sandbox, ids, port):
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        await set_field(pilot, "password", "pw")
        await set_field(pilot, "port", port)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: error_text(app).startswith("Port:"), what="port message")
        assert "0-9" in error_text(app)
        assert "Connecting" not in text_of(app, "#source-result")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: error_text(app).startswith("Port:"))
        assert app.is_running and step_is(app, 4)
