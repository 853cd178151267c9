"""Step 4: the source SQL Server, and a connection test from this jump box."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Checkbox, Input, Select, Static

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.context import SourceParams
from tui.errors import DmsTuiError
from tui.models import ServerInfo

ENCRYPT = "Encrypt the connection"
TRUST = "Trust the server certificate without checking it (self-signed only)"
AUTH = [("SQL login", "sql"), ("Windows / Kerberos", "windows"), ("Microsoft Entra", "entra")]


class SourceStep(WizardStep):
    STEP = 4
    BINDINGS = [Binding("ctrl+t", "test", "Test connection", id="source.test")]

    @dataclass
    class Connected(Message):
        source: object
        info: ServerInfo
        params: SourceParams

    @dataclass
    class Failed(Message):
        error: DmsTuiError

    def __init__(self) -> None:
        super().__init__()
        self.tested: SourceParams | None = None

    def compose_step(self) -> ComposeResult:
        src = self.state.project.source
        hint = ""
        if self.app.context.is_sandbox:
            hint = f"Sandbox source server: {self.app.context.sandbox.source_address}"
        yield Static("The SQL Server that holds the databases. The jump box connects to test "
                     "it and read the databases; DMS connects with the same login.",
                     classes="lead")
        if hint:
            yield Static(hint, classes="hint")
        yield Static("Server", classes="label")
        yield Input(src.get("server", ""), placeholder="sql01.contoso.com", id="server")
        yield Static("Port", classes="label")
        yield Input(str(src.get("port", 1433)), id="port")
        yield Static("Authentication", classes="label")
        yield Select(AUTH, value=src.get("authentication", "sql"), allow_blank=False,
                     id="auth")
        yield Static("User", classes="label")
        yield Input(src.get("user", ""), placeholder="migration_login", id="user")
        yield Static("Password (kept in memory only)", classes="label")
        yield Input(self.state.secrets.source_password, password=True, id="password")
        yield Checkbox(ENCRYPT, src.get("encrypt", True), id="encrypt")
        yield Checkbox(TRUST, src.get("trust_server_certificate", False), id="trust")
        yield Static("Press Ctrl+T to test the connection.", id="source-result")

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
            trust_server_certificate=self.query_one("#trust", Checkbox).value)

    def field_problem(self) -> str | None:
        p = self.params()
        return (v.server(p.server) or v.port(self.query_one("#port", Input).value)
                or v.login(p.authentication, p.user, p.password))

    def action_test(self) -> None:
        error = self.field_problem()
        if error:
            self.show_error(error)
            return
        self.show_error("")
        params = self.params()
        self.query_one("#source-result", Static).update(
            f"Connecting to {params.server},{params.port}…")
        self.connect(params)

    @work(thread=True, exclusive=True, exit_on_error=False, group="source")
    def connect(self, params: SourceParams) -> None:
        try:
            source = self.app.context.open_source(params)
            info = source.server_info()
        except DmsTuiError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Connected(source, info, params))

    @on(Failed)
    def failed(self, message: Failed) -> None:
        self.tested = None
        self.query_one("#source-result", Static).update("Connection failed.")
        self.show_failure(message.error)

    @on(Connected)
    def connected(self, message: Connected) -> None:
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
            + ("" if info.is_sysadmin else " — the login is not sysadmin; DMS needs it"))

    def is_busy(self) -> bool:
        return any(w.is_running for w in self.workers if w.group == "source")

    def problem(self) -> str | None:
        error = self.field_problem()
        if error:
            return error
        if self.tested != self.params() or self.state.source is None:
            return "Source: press Ctrl+T to test the connection before going on."
        return None

    def commit(self) -> None:
        """Each field that passes its check; a field that does not keeps its saved value."""
        src = dict(self.state.project.source)
        server = self.query_one("#server", Input).value.strip()
        port = self.query_one("#port", Input).value.strip()
        auth = str(self.query_one("#auth", Select).value)
        user = self.query_one("#user", Input).value.strip()
        if not v.server(server):
            src["server"] = server
        if port.isascii() and not v.port(port):
            src["port"] = int(port)
        src["authentication"] = auth
        if not v.login_user(auth, user):
            src["user"] = user
        src["encrypt"] = self.query_one("#encrypt", Checkbox).value
        src["trust_server_certificate"] = self.query_one("#trust", Checkbox).value
        self.state.project.source = src
        self.state.secrets.source_password = self.query_one("#password", Input).value
