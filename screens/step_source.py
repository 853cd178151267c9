"""Step 4: the source SQL Server, and a connection test from this jump box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select, Static
from textual.worker import get_current_worker

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.context import SourceParams
from tui.errors import DmsTuiError
from tui.models import ServerInfo
from tui.source import deadline
from widgets.elapsed import elapsed_text
from widgets.toggles import MarkedCheckbox

ENCRYPT = "Encrypt the connection"
TRUST = "Trust the server certificate without checking it (self-signed only)"
AUTH = [("SQL login", "sql"), ("Windows / Kerberos", "windows"), ("Microsoft Entra", "entra")]


class SourceStep(WizardStep):
    STEP = 4
    BINDINGS = [
        Binding(
            "ctrl+t",
            "test",
            "Test connection",
            id="source.test",
            tooltip="Connect to the source with these details and say what answered",
        )
    ]

    @dataclass
    class Connected:
        """A connection test that answered (a worker's answer)."""

        source: object
        info: ServerInfo
        params: SourceParams

    def __init__(self) -> None:
        super().__init__()
        self.tested: SourceParams | None = None
        self._connecting: tuple[str, float] | None = None  # address, started (app clock)
        self._ticker: Timer | None = None

    def compose_step(self) -> ComposeResult:
        src = self.state.project.source
        hint = ""
        sandbox = self.app.context.sandbox
        if sandbox is not None:
            hint = f"Sandbox source server: {sandbox.source_address}"
        yield Static(
            "The SQL Server that holds the databases. The jump box connects to test "
            "it and read the databases; DMS connects with the same login.",
            classes="lead",
        )
        if hint:
            yield Static(hint, classes="hint")
        yield Static("Server", classes="label")
        yield Input(src.server, placeholder="sql01.contoso.com", id="server")
        yield Static("Port", classes="label")
        yield Input(str(src.port), id="port")
        yield Static("Authentication", classes="label")
        yield Select(AUTH, value=src.authentication or "sql", allow_blank=False, id="auth")
        yield Static("User", classes="label")
        yield Input(src.user, placeholder="migration_login", id="user")
        yield Static("Password (kept in memory only)", classes="label")
        yield Input(self.state.secrets.source_password, password=True, id="password")
        yield MarkedCheckbox(ENCRYPT, src.encrypt, id="encrypt")
        yield MarkedCheckbox(TRUST, src.trust_server_certificate, id="trust")
        yield Static("Press Ctrl+T to test the connection.", id="source-result", markup=False)

    def start(self) -> None:
        self._label_checkboxes()
        self.query_one("#server", Input).focus()
        if self.state.source is not None:
            self.tested = self.state.source_params()

    @on(Checkbox.Changed)
    def _label_checkboxes(self) -> None:
        """Say ON/off in words: a 16-colour terminal may not show the box's state."""
        for box_id, text in (("#encrypt", ENCRYPT), ("#trust", TRUST)):
            box = self.query_one(box_id, Checkbox)
            box.label = f"{text}: {'ON' if box.value else 'off'}"

    def params(self) -> SourceParams:
        port = self.query_one("#port", Input).value.strip()
        return SourceParams(
            server=self.query_one("#server", Input).value.strip(),
            port=int(port) if not v.port(port) else 1433,
            authentication=str(self.query_one("#auth", Select).value),
            user=self.query_one("#user", Input).value.strip(),
            password=self.query_one("#password", Input).value,
            encrypt=self.query_one("#encrypt", Checkbox).value,
            trust_server_certificate=self.query_one("#trust", Checkbox).value,
        )

    def field_problem(self) -> str | None:
        p = self.params()
        return (
            v.server(p.server)
            or v.port(self.query_one("#port", Input).value)
            or v.login(p.authentication, p.user, p.password)
        )

    def action_test(self) -> None:
        error = self.field_problem()
        if error:
            self.show_error(error)
            return
        self.show_error("")
        params = self.params()
        self._connecting = (f"{params.server},{params.port}", self.app.clock())
        self._show_connecting()
        if self._ticker is None:
            self._ticker = self.set_interval(0.5, self._show_connecting)
        self.connect(params)

    def _show_connecting(self) -> None:
        if self._connecting is None:
            return
        address, started = self._connecting
        self.query_one("#source-result", Static).update(
            f"Connecting to {address}… {elapsed_text(self.app.clock() - started)} elapsed "
            "(Esc cancels)."
        )

    def _connected_or_not(self) -> None:
        """The attempt is over (answered, failed or cancelled): stop the elapsed time."""
        self._connecting = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def connect(self, params: SourceParams) -> None:
        """Open the source and read what it is, in a thread the step can stop waiting for:
        Esc, a newer attempt, leaving the step or quitting end the wait at once, and the
        driver's own attempt is left to finish (its connection then closed) on its own."""
        context = self.app.context

        def attempt() -> tuple[Any, ServerInfo]:
            source = context.open_source(params)
            try:
                return source, source.server_info()
            except BaseException:
                _close(source)
                raise

        def test() -> SourceStep.Connected | None:
            worker = get_current_worker()
            try:
                with deadline.cancelled_by(worker.cancelled_event):
                    source, info = deadline.call(
                        attempt,
                        seconds=None,
                        what=f"the connection test to {params.server}",
                        late=lambda result: _close(result[0] if result else None),
                    )
            except deadline.Abandoned:
                return None  # cancelled: the screen already says so
            except Exception as exc:  # noqa: BLE001 - every failure ends the attempt on screen
                raise _as_error(exc) from exc
            if worker.is_cancelled:
                _close(source)
                return None
            return self.Connected(source, info, params)

        self.run_blocking(test, on_done=self.connected, on_error=self.failed, group="source")

    def action_back(self) -> None:
        """Esc while connecting cancels the attempt; otherwise it goes back a step."""
        if self.is_busy():
            self.workers.cancel_group(self, "source")
            self._connected_or_not()
            self.tested = None
            self.query_one("#source-result", Static).update(
                "Connection test cancelled. Press Ctrl+T to try again."
            )
            return
        super().action_back()

    def busy_message(self) -> str:
        if self._connecting is None:
            return "Wait: the connection test is still running; Esc cancels it."
        address, started = self._connecting
        return (
            f"Wait: the connection test to {address} is still running "
            f"({elapsed_text(self.app.clock() - started)}); Esc cancels it."
        )

    def worker_failed(self, error: BaseException | None) -> None:
        self._connected_or_not()
        self.tested = None
        self.query_one("#source-result", Static).update("Connection failed.")

    def failed(self, error: DmsTuiError) -> None:
        self._connected_or_not()
        self.tested = None
        self.query_one("#source-result", Static).update("Connection failed.")
        self.show_failure(error)

    def connected(self, message: Connected | None) -> None:
        if message is None:
            return  # cancelled on the way: Esc already said so
        self._connected_or_not()
        info = message.info
        if self.state.source is not None and self.state.source is not message.source:
            try:
                self.state.source.close()
            except Exception:  # noqa: BLE001 - best effort
                pass
        self.state.source = message.source
        self.state.inventory = {}
        self.tested = message.params
        self.query_one("#source-result", Static).update(
            f"Connected ✓ {info.server_name or info.server}: SQL Server {info.version} "
            f"{info.edition} on {info.host_platform or 'Windows'}"
            + ("" if info.is_sysadmin else " — the login is not sysadmin; DMS needs it")
        )

    def is_busy(self) -> bool:
        return any(
            w.is_running and w.group == "source" and w.node is self for w in self.app.workers
        )

    def problem(self) -> str | None:
        error = self.field_problem()
        if error:
            return error
        if self.tested != self.params() or self.state.source is None:
            return "Source: press Ctrl+T to test the connection before going on."
        return None

    def commit(self) -> None:
        """Each field that passes its check; a field that does not keeps its saved value."""
        src = self.state.project.source
        server = self.query_one("#server", Input).value.strip()
        port = self.query_one("#port", Input).value.strip()
        auth = str(self.query_one("#auth", Select).value)
        user = self.query_one("#user", Input).value.strip()
        if not v.server(server):
            src.server = server
        if port.isascii() and not v.port(port):
            src.port = int(port)
        src.authentication = auth
        if not v.login_user(auth, user):
            src.user = user
        src.encrypt = self.query_one("#encrypt", Checkbox).value
        src.trust_server_certificate = self.query_one("#trust", Checkbox).value
        self.state.secrets.source_password = self.query_one("#password", Input).value


def _close(source: Any) -> None:
    if source is not None:
        try:
            source.close()
        except Exception:  # noqa: BLE001 - best effort
            pass


def _as_error(exc: BaseException) -> DmsTuiError:
    """Any failure as the app's error type: plain words, the original kept in the code."""
    if isinstance(exc, DmsTuiError):
        return exc
    return DmsTuiError(
        f"The connection test failed unexpectedly: {exc}",
        code=type(exc).__name__,
        hint="Check the server name and try again; if it repeats, report it with this message.",
    )
