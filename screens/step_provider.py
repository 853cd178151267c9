"""Step 1: the Microsoft.DataMigration resource provider must be registered."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.wizard_step import WizardStep
from tui.controller import DMS_NAMESPACE
from tui.models import ProviderState
from widgets.elapsed import elapsed_text


class ProviderStep(WizardStep):
    STEP = 1
    BINDINGS = [
        Binding(
            "r",
            "register",
            "Register",
            id="provider.register",
            tooltip="Register Microsoft.DataMigration in the subscription (once per subscription)",
        )
    ]

    def __init__(self) -> None:
        super().__init__()
        self.provider: ProviderState | None = None

    def compose_step(self) -> ComposeResult:
        yield Static(
            f"DMS needs the {DMS_NAMESPACE} resource provider registered in the "
            "subscription (once per subscription).",
            classes="lead",
        )
        yield Static("Checking…", id="provider-state")
        yield Static("", id="provider-wait", classes="hint")

    def start(self) -> None:
        self.check()

    def check(self) -> None:
        controller = self.app.context.azure
        self.run_blocking(
            controller.provider_state,
            on_done=self.got_state,
            on_error=self.show_failure,
            group="provider",
        )

    def register(self) -> None:
        controller = self.app.context.azure
        self.run_blocking(
            controller.register_provider,
            on_done=self.got_state,
            on_error=self.show_failure,
            group="provider",
        )

    def got_state(self, state: ProviderState) -> None:
        self.provider = state
        waits = self.state.waits
        label = self.query_one("#provider-state", Static)
        if state.registered:
            waits.pop("provider", None)
            label.update(f"{DMS_NAMESPACE}: Registered ✓ — press Ctrl+N for the next step.")
            self.query_one("#provider-wait", Static).update("")
            self.show_error("")
            return
        label.update(f"{DMS_NAMESPACE}: {state.registration_state}")
        if state.registration_state.lower() == "registering":
            waits.setdefault("provider", self.app.clock())
            self.query_one("#provider-wait", Static).update(
                f"Registering… {elapsed_text(self.app.clock() - waits['provider'])} elapsed. "
                "It usually takes a few minutes and carries on in Azure if you leave this "
                "screen or quit."
            )
            self.poll_later(self.check)
        else:
            self.query_one("#provider-wait", Static).update("Press r to register it.")

    def action_register(self) -> None:
        if self.provider is not None and self.provider.registered:
            self.notify("Already registered.")
            return
        self.state.waits.setdefault("provider", self.app.clock())
        self.query_one("#provider-state", Static).update(f"{DMS_NAMESPACE}: asking Azure…")
        self.register()

    def problem(self) -> str | None:
        if self.provider is None:
            return "Resource provider: still reading its state from Azure; wait a moment."
        if not self.provider.registered:
            return (
                f"Resource provider: {DMS_NAMESPACE} is "
                f"{self.provider.registration_state} — press r to register it and wait "
                "until it shows Registered."
            )
        return None
