"""The frame every screen shares: title bar, sandbox banner, body, key footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from widgets.sandbox_banner import SandboxBanner


class BaseScreen(Screen):
    """Subclasses implement ``compose_body``; header, banner and footer come from here."""

    def compose(self) -> ComposeResult:
        yield Header()
        if getattr(self.app, "context", None) is not None and self.app.context.is_sandbox:
            yield SandboxBanner()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def context(self):
        return self.app.context
