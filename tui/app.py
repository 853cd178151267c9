"""The Textual App: owns the context (one Controller), routes screens, handles worker errors."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from tui import __version__
from tui.context import AppContext
from tui.errors import DmsTuiError


class DmsTuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "dms-tui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.quit_ctrl_c"),
    ]

    def __init__(self, context: AppContext, *, project: str | None = None,
                 monitor: bool = False, subscription_id: str | None = None) -> None:
        super().__init__()
        self.context = context
        self.project_name = project
        self.open_monitor_first = monitor
        self.subscription_id = subscription_id
        self.sub_title = f"v{__version__}" + (" · SANDBOX" if context.is_sandbox else "")

    def on_mount(self) -> None:
        from screens.overview import OverviewScreen

        if self.context.controller is None:
            self._connect_default()
        self.push_screen(OverviewScreen())

    def _connect_default(self) -> None:
        """Outside the sandbox: reuse the Azure CLI sign-in on the chosen subscription."""
        import os

        from tui.controller import Controller
        from tui.signin import SignInMethod, make_credential

        subscription = self.subscription_id or os.environ.get("AZURE_SUBSCRIPTION_ID", "")
        credential = make_credential(SignInMethod.AZURE_CLI)
        self.context.credential = credential
        self.context.controller = Controller(credential, subscription)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes a message the DBA can act on."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.show_error(error)

    def show_error(self, error: BaseException | None) -> None:
        if isinstance(error, DmsTuiError):
            text = error.full_text
        else:
            from tui.azure_errors import translate
            text = translate(error).full_text if error else "Unknown failure."
        self.notify(text, title="Something went wrong", severity="error", timeout=12)
