"""Cancel a migration: say why (kept in the session's notes and exports), then confirm.

Returns the reason, or ``None`` when the DBA backs out. Escape = back out; focus starts on
the safe button; the confirm button stays disabled until a reason is typed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from widgets.compact import steady_cursors


class CancelMigrationScreen(ModalScreen[str | None]):
    CSS_PATH = "cancel_migration.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "back_out",
            "Keep running",
            id="cancel.back_out",
            tooltip="Keep the migration running; nothing is sent",
        )
    ]

    def __init__(self, what: str) -> None:
        """``what`` names the migration: ``source db → target server/database``."""
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="cancel-dialog"):
            yield Static(f"Cancel the migration {self.what}?", id="cancel-title", markup=False)
            yield Static(
                "DMS stops restoring; the partly restored database is removed from "
                "the target. The source is not touched. Starting again means a new "
                "migration from a full backup.",
                id="cancel-text",
                markup=False,
            )
            yield Input(placeholder="reason (for the change ticket)", id="cancel-reason")
            with Horizontal(id="cancel-buttons"):
                yield Button("Keep running (Esc)", id="cancel-no", variant="primary")
                yield Button("Cancel migration", id="cancel-yes", variant="error", disabled=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#cancel-no", Button).focus()

    @on(Input.Changed, "#cancel-reason")
    def _reason(self, event: Input.Changed) -> None:
        self.query_one("#cancel-yes", Button).disabled = not event.value.strip()

    @on(Button.Pressed, "#cancel-no")
    def action_back_out(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel-yes")
    def _yes(self) -> None:
        reason = self.query_one("#cancel-reason", Input).value.strip()
        if reason:
            self.dismiss(reason)
