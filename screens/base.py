"""The frame every screen shares: title bar, sandbox banner, body, key footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from widgets.sandbox_banner import SandboxBanner

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DmsTuiApp
    from tui.context import AppContext


class BaseScreen(Screen[None]):
    """Subclasses implement ``compose_body``; header, banner and footer come from here."""

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
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def context(self) -> AppContext:
        return self.app.context

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen that fails unexpectedly is reported, and the screen is
        put back in a state the DBA can act on (``worker_failed``). Worker messages do not
        bubble, so the app's own handler never sees a screen's workers."""
        if event.state == WorkerState.ERROR and event.worker.node is self:
            self.app.show_error(event.worker.error)
            self.worker_failed(event.worker.error)

    def worker_failed(self, error: BaseException | None) -> None:
        """Undo "in progress" displays after a worker's unexpected failure."""
