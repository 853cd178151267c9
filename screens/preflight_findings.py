"""The backup-folder preflight of one migration, on demand from the monitor (``b``).

A dialog that only shows: Escape, Enter or ``b`` closes it. The findings scroll on a small
terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.preflight import FolderCheck
from widgets.preflight_view import PreflightView


class PreflightScreen(ModalScreen[None]):
    CSS_PATH = "preflight_findings.tcss"
    BINDINGS = [
        Binding(
            "escape,enter,b", "close", "Close", id="preflight.close", tooltip="Close the findings"
        ),
    ]

    def __init__(self, check: FolderCheck, route: str = "") -> None:
        super().__init__()
        self.check = check
        self.route = route

    def compose(self) -> ComposeResult:
        with Vertical(id="preflight-dialog"):
            where = f" — {self.check.where}" if self.check.where else ""
            yield Static(
                f"Backup folder of {self.route or self.check.database}{where}",
                id="preflight-title",
                markup=False,
            )
            with VerticalScroll(id="preflight-body"):
                yield PreflightView(id="preflight-findings")
            yield Static(
                "Esc, Enter or b closes; b on the monitor checks again.", id="preflight-keys"
            )

    def on_mount(self) -> None:
        self.query_one(PreflightView).show([self.check])
        self.query_one("#preflight-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
