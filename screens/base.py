"""The frame every screen shares: title bar, sandbox banner, body, key footer; and
``run_blocking`` (``screens.workers``) for every call that may block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from screens.screen_commands import ScreenActions
from screens.workers import Workers
from widgets.key_footer import KeyFooter
from widgets.sandbox_banner import SandboxBanner

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DmsTuiApp
    from tui.context import AppContext


class BaseScreen(Workers, Screen[None]):
    """Subclasses implement ``compose_body``; header, banner and footer come from here."""

    COMMANDS = {ScreenActions}  # the palette offers every action of the screen by name
    BINDINGS = [
        Binding(
            "f2",
            "read_message",
            "Read message",
            id="screen.read_message",
            tooltip="Move into a message longer than its room, to scroll it (Esc comes back)",
            show=False,
        ),
    ]

    if TYPE_CHECKING:
        # ``self.app`` is the dms-tui app, as Textual itself declares ``app`` for checkers.
        # For the checker only: at run time screens never import the app shell (which
        # imports them), and ``self.app`` stays Textual's own property.
        app = getters.app(DmsTuiApp)

    def compose(self) -> ComposeResult:
        yield Header()
        if self.app.context.is_sandbox:
            yield SandboxBanner()
        yield from self.compose_body()
        # compact: the screen's chosen keys fit an 80-column jump-box terminal; F1 lists all
        yield KeyFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def action_read_message(self) -> None:
        """F2: into the first message that runs past its room (the cue under it says so)."""
        from widgets.message_pane import MessagePane  # loaded with the screens that have one

        for pane in self.query(MessagePane):
            if pane.display and pane.overflows:
                pane.enter()
                return
        self.notify("Every message on this screen is shown whole.", timeout=4)

    @property
    def context(self) -> AppContext:
        return self.app.context
