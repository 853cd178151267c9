"""Which login to use on the target (managed instance, SQL VM or logical server): to count
rows, or to create the source's logins there.

A target usually has its own SQL login. The user defaults to the source's; the password is
masked and kept in memory for this session only (never saved, never logged). Microsoft
Entra uses the account this tool is signed in with. Enter in either box accepts what is
shown; Escape backs out. Returns the login as ``SourceParams`` (server left to the caller),
or ``None``.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from tui.context import SourceParams
from widgets.compact import steady_cursors
from widgets.toggles import MarkedCheckbox


class TargetLoginScreen(ModalScreen[SourceParams | None]):
    CSS_PATH = "target_login.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "back_out",
            "Back",
            id="target_login.back_out",
            tooltip="Close without signing in to the target",
        )
    ]

    def __init__(
        self,
        target: str,
        login: SourceParams,
        *,
        entra: bool = False,
        purpose: str = "Count rows on",
    ) -> None:
        """``login``: what to show first (the session's last login for this target, or the
        source's); ``entra``: offer Microsoft Entra sign-in."""
        super().__init__()
        self.target = target
        self.login = login
        self.entra = entra
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        login = self.login
        with Vertical(id="target-login-dialog"):
            yield Static(f"{self.purpose} {self.target} as:", id="target-login-title", markup=False)
            if self.entra:
                yield MarkedCheckbox(
                    "Microsoft Entra (the account this tool signed in with)",
                    login.authentication == "entra",
                    id="target-entra",
                )
            with Horizontal(classes="target-login-row"):
                yield Static("SQL login", classes="target-login-label")
                yield Input(login.user, placeholder="user", id="target-user")
            with Horizontal(classes="target-login-row"):
                yield Static("Password", classes="target-login-label")
                yield Input(
                    login.password, password=True, placeholder="(masked)", id="target-password"
                )
            yield Static(
                "Kept in memory for this session only. Enter: go on · Esc: back",
                id="target-login-help",
                markup=False,
            )
            with Horizontal(id="target-login-buttons"):
                yield Button("Back (Esc)", id="target-login-back")
                # the button names what it does: "Count rows", "Create logins"
                yield Button(
                    self.purpose.removesuffix(" on"), id="target-login-ok", variant="primary"
                )

    def on_mount(self) -> None:
        steady_cursors(self)
        self._entra_changed()
        if not self.use_entra:
            box = "#target-password" if self.login.user else "#target-user"
            self.query_one(box, Input).focus()

    @property
    def use_entra(self) -> bool:
        return self.entra and self.query_one("#target-entra", Checkbox).value

    @on(Checkbox.Changed, "#target-entra")
    def _entra_changed(self) -> None:
        entra = self.use_entra
        for box in self.query(".target-login-row Input"):
            box.disabled = entra
        if entra:  # nothing to type: Enter counts
            self.query_one("#target-login-ok", Button).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#target-login-ok")
    def accept(self) -> None:
        if self.use_entra:
            self.dismiss(replace(self.login, authentication="entra", password=""))
            return
        user = self.query_one("#target-user", Input).value.strip()
        password = self.query_one("#target-password", Input).value
        self.dismiss(replace(self.login, authentication="sql", user=user, password=password))

    @on(Button.Pressed, "#target-login-back")
    def action_back_out(self) -> None:
        self.dismiss(None)
