"""Name the marked migrations as a wave, or pick a wave saved in the project.

Returns ``(name, source databases)`` or None. Enter in the name box takes the marked
databases under that name (saved in the project file); Enter on a saved wave opens it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.wave import wave_name_problem
from widgets.compact import steady_cursors

WaveChoice = tuple[str, list[str]]


class WavePickScreen(ModalScreen[WaveChoice | None]):
    CSS_PATH = "wave_pick.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="wave_pick.cancel",
            tooltip="Close without picking a wave",
        )
    ]

    def __init__(self, marked: list[str], saved: dict[str, list[str]], suggestion: str) -> None:
        super().__init__()
        self.marked = marked
        self.saved = saved
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="wave-pick"):
            if self.marked:
                yield Static(
                    f"A wave of {', '.join(self.marked)}: its name (saved in the project), "
                    "then Enter:",
                    markup=False,
                )
                yield Input(self.suggestion, id="wave-pick-name")
                yield Static("", id="wave-pick-why", markup=False)
            if self.saved:
                yield Static("Saved waves (Enter opens one):", markup=False)
                yield OptionList(
                    *(
                        Option(f"{name}: {', '.join(dbs)}", id=name)
                        for name, dbs in self.saved.items()
                    ),
                    id="wave-pick-saved",
                )
            yield Static("Esc: back to the monitor.", classes="hint", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        target = "#wave-pick-name" if self.marked else "#wave-pick-saved"
        self.query_one(target).focus()

    @on(Input.Submitted, "#wave-pick-name")
    def _named(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        why = wave_name_problem(name)
        if why:
            self.query_one("#wave-pick-why", Static).update(why)
            return
        self.dismiss((name, list(self.marked)))

    @on(OptionList.OptionSelected, "#wave-pick-saved")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id or ""
        self.dismiss((name, list(self.saved.get(name, []))))

    def action_cancel(self) -> None:
        self.dismiss(None)
