"""Sign in to Azure from the jump box: pick how, and for a device code see it with a countdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from screens.workers import Workers
from tui.errors import DmsTuiError
from tui.signin import DeviceCodePrompt, SignInMethod, environment_ready
from widgets.compact import compact_all
from widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from textual import getters
    from textual.timer import Timer

    from tui.app import DmsTuiApp


class SignInScreen(Workers, Screen[bool]):
    if TYPE_CHECKING:  # as in screens.base: ``self.app`` typed for the checker only
        app = getters.app(DmsTuiApp)

    BINDINGS = [
        Binding("escape", "cancel", "Quit", id="signin.cancel", tooltip="Leave without signing in")
    ]

    @dataclass
    class CodeShown(Message):
        prompt: DeviceCodePrompt

    @dataclass
    class Done:
        """Signed in (a worker's answer)."""

        credential: TokenCredential
        label: str
        method: str = ""
        tenant_id: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.prompt: DeviceCodePrompt | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Sign in to Azure: how should dms-tui get a token?", classes="step-title")
        options = []
        for method in SignInMethod:
            note = ""
            if method == SignInMethod.ENVIRONMENT and not environment_ready():
                note = " — AZURE_CLIENT_ID/TENANT_ID/SECRET not set"
            options.append(Option(method.label + note, id=method.value))
        yield OptionList(*options, id="methods")
        yield Static("", id="device-code")
        yield Static("", id="step-error", classes="step-error")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        compact_all(self)

    @on(OptionList.OptionSelected, "#methods")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#step-error", Static).update("Signing in…")
        self.sign_in(SignInMethod(event.option.id))

    def sign_in(self, method: SignInMethod) -> None:
        from tui.signin import check_credential, make_credential

        def sign_in() -> SignInScreen.Done:
            credential = make_credential(
                method, on_device_code=lambda p: self.post_message(self.CodeShown(p))
            )
            tenant_id = check_credential(credential)
            return self.Done(credential, method.label, method.value, tenant_id)

        self.run_blocking(sign_in, on_done=self.done, on_error=self.failed, group="signin")

    @on(CodeShown)
    def code_shown(self, message: CodeShown) -> None:
        self.prompt = message.prompt
        self._tick()
        if self._timer is None:
            self._timer = self.set_interval(1, self._tick)

    def _tick(self) -> None:
        from datetime import datetime

        if self.prompt is None:
            return
        expires = self.prompt.expires_on
        now = datetime.now(expires.tzinfo or UTC) if expires.tzinfo else datetime.now()
        left = max(0, int((expires - now).total_seconds()))
        self.query_one("#device-code", Static).update(
            f"On any device, open {self.prompt.verification_uri}\nand enter the code  "
            f"{self.prompt.user_code}\nThe code expires in {left // 60}:{left % 60:02d}."
        )

    def failed(self, error: DmsTuiError) -> None:
        self.query_one("#step-error", Static).update(error.full_text)

    def done(self, message: Done) -> None:
        if self._timer is not None:
            self._timer.stop()
        ctx = self.app.context
        ctx.credential = message.credential
        ctx.credential_label = message.label
        ctx.sign_in_method = message.method
        ctx.tenant_id = message.tenant_id
        ctx.controller = ctx.make_controller(message.credential, self.app.subscription_id or "")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
