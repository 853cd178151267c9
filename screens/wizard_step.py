"""What every wizard step shares: the step indicator, Back/Next, the inline error line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import BaseScreen
from tui.wizard_state import WizardState
from widgets.step_indicator import StepIndicator
from widgets.compact import compact_all


class WizardStep(BaseScreen):
    """A step: subclasses set ``STEP`` and implement ``compose_step``, ``problem`` (None when
    Next may go on) and ``commit`` (write the choices into the project)."""

    STEP = 0
    BINDINGS = [
        Binding("ctrl+n", "next", "Next", id="wizard.next", priority=True),
        Binding("escape", "back", "Back", id="wizard.back"),
    ]

    @property
    def state(self) -> WizardState:
        return self.app.wizard

    def compose_body(self) -> ComposeResult:
        yield StepIndicator(self.STEP)
        with VerticalScroll(id="step-body"):
            yield from self.compose_step()
        # markup off: error codes ("[KeyError]") and T-SQL ("[SalesDB]") show as written
        yield Static("", id="step-error", classes="step-error", markup=False)

    def compose_step(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        compact_all(self)
        missing = self.state.missing_secrets(self.STEP)
        if missing:
            from widgets.secrets_prompt import SecretsPrompt
            src = self.state.project.source
            who = {"source_password": f"{src.get('user', '')} on {src.get('server', '')}",
                   "target_password": self.state.settings.get("target_user", "")}
            self.app.push_screen(SecretsPrompt(missing, who), self._got_secrets)
        else:
            self.start()

    def _got_secrets(self, values: dict | None) -> None:
        for name, value in (values or {}).items():
            setattr(self.state.secrets, name, value)
        self.start()

    def start(self) -> None:
        """Called once the screen is up and the secrets it needs are in memory."""

    def poll_later(self, callback) -> None:
        """Run ``callback`` after the poll interval — one pending poll per step at most, so a
        key pressed twice during a long wait never starts a second polling chain."""
        pending = getattr(self, "_poll_timer", None)
        if pending is not None:
            pending.stop()
        self._poll_timer = self.set_timer(self.app.poll_interval, callback)

    # ---------------------------------------------------------------- feedback

    def show_error(self, message: str) -> None:
        self.query_one("#step-error", Static).update(message)
        self.query_one("#step-error", Static).set_class(bool(message), "-shown")

    def show_failure(self, error: BaseException | None) -> None:
        text = getattr(error, "full_text", None) or str(error)
        self.show_error(text)

    # ---------------------------------------------------------------- navigation

    def problem(self) -> str | None:
        return None

    def commit(self) -> None:
        """Write what is on screen into ``self.state.project`` (no validation)."""

    def action_next(self) -> None:
        if self.is_busy():
            self.show_error(self.busy_message())
            return
        message = self.problem()
        if message:
            self.show_error(message)
            return
        self.show_error("")
        self.commit()
        self.state.save(self.STEP + 1)
        self.app.goto_step(self.STEP + 1)

    def action_back(self) -> None:
        self.commit()
        if self.STEP <= 1:
            self.app.leave_wizard()
            return
        self.state.save(self.STEP - 1)
        self.app.goto_step(self.STEP - 1)

    def is_busy(self) -> bool:
        return False

    def busy_message(self) -> str:
        """What Next says while ``is_busy``: name what is still running."""
        return "Wait: an Azure operation of this step is still answering."
