"""Asks again for the secrets a resumed project needs (they are never saved)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

LABELS = {
    "source_password": "Source SQL Server password",
    "target_password": "Target SQL login password",
    "share_password": "SMB share password",
}


class SecretsPrompt(ModalScreen[dict | None]):
    """Masked inputs, one per missing secret; Enter on the last one returns them all."""

    DEFAULT_CSS = """
    SecretsPrompt { align: center middle; }
    SecretsPrompt > Vertical {
        width: 64; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    SecretsPrompt .secret-error { color: $error; }
    SecretsPrompt .label { padding: 0; }
    """
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Later",
            id="secrets.cancel",
            tooltip="Not now: the step opens without the passwords",
        )
    ]

    def __init__(self, names: list[str], who: dict[str, str] | None = None) -> None:
        super().__init__()
        self.names = names
        self.who = who or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "Passwords are never saved with the project: type them again for this session."
            )
            for name in self.names:
                label = LABELS[name] + (f" for {self.who[name]}" if name in self.who else "")
                yield Static(label, classes="label")
                yield Input(password=True, id=f"secret-{name}", placeholder="(masked)")
            yield Static("", classes="secret-error", id="secret-error")

    def on_mount(self) -> None:
        from widgets.compact import compact_all

        compact_all(self)  # borderless with the app's focus bar, like every other form

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        values = {n: self.query_one(f"#secret-{n}", Input).value for n in self.names}
        empty = [n for n, val in values.items() if not val]
        if empty:
            self.query_one("#secret-error", Static).update(
                f"{LABELS[empty[0]]}: type it, or press Escape to continue without it."
            )
            self.query_one(f"#secret-{empty[0]}", Input).focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
