"""The yes/no dialog the summary (and the monitor) use before acting in Azure."""

from __future__ import annotations

import pytest
from textual.app import App

from widgets.confirm import ConfirmModal


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConfirmModal("Create 2 migrations?", yes="Start"), self.answers.append)


@pytest.mark.parametrize(
    "keys,answer", [(["y"], True), (["n"], False), (["escape"], False), (["enter"], False)]
)
async def test_keys_answer_and_the_safe_button_has_focus(keys, answer):
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "confirm-no"
        await pilot.press(*keys)
        await pilot.pause()
        assert app.answers == [answer]
