"""What every wizard step shares: the step indicator, Back/Next, the inline error line, and
saving every valid change as it is made (so a dropped SSH session loses nothing)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, RadioSet, Select, SelectionList, Static

from screens.base import BaseScreen
from tui.errors import DmsTuiError
from tui.wizard_state import WizardState
from widgets.compact import compact_all
from widgets.message_pane import READ_KEYS, MessagePane
from widgets.more_cue import MoreCue
from widgets.step_indicator import StepIndicator

# ctrl+n and Esc, the same on every wizard screen (the scope screen before step 1 too)
NEXT_AND_BACK: list[BindingType] = [
    Binding(
        "ctrl+n",
        "next",
        "Next",
        id="wizard.next",
        tooltip="Check this step and go on to the next one",
        priority=True,
    ),
    Binding(
        "escape",
        "back",
        "Back",
        id="wizard.back",
        tooltip="Go back a step; every valid choice here is kept",
    ),
]


class WizardStep(BaseScreen):
    """A step: subclasses set ``STEP`` and implement ``compose_step``, ``problem`` (None when
    Next may go on) and ``commit`` (write into the project each choice on screen that passes
    its own check; leave the saved value of any that does not).

    A change on the step (typing, a pick, a toggle) is saved within ``SAVE_DELAY`` seconds:
    the first change arms one timer, later ones ride along, so a burst of keys is one small
    write. Next, Back, quitting and leaving the step write at once."""

    STEP = 0
    SAVE_DELAY = 0.3
    _save_timer: Timer | None  # a save armed by the first change (set on first use)
    BINDINGS = [
        *NEXT_AND_BACK,
        Binding(
            "f3",
            "scroll_body",
            "More",
            id="wizard.more",
            tooltip="Scroll the step a page down to what lies below (at the end, back to the top)",
            show=False,
        ),
    ]

    @property
    def state(self) -> WizardState:
        """The project this step was opened for (see ``bound_state``)."""
        bound = self.bound_state()
        if bound is None:
            raise RuntimeError("A wizard step was opened with no project open.")
        return bound

    def bound_state(self) -> WizardState | None:
        """The project this step was opened for — bound on first use, so a step still on its
        way out can never write into a project opened after it; None if there never was
        one."""
        bound: WizardState | None = getattr(self, "_wizard_state", None)
        if bound is None:
            bound = self._wizard_state = self.app.wizard
        return bound

    def compose_body(self) -> ComposeResult:
        yield StepIndicator(self.STEP)
        body = VerticalScroll(id="step-body")
        with body:
            yield from self.compose_step()
        yield MoreCue(body, keys="F3", back="F3 goes back to the top", id="step-more")
        # capped at 4 lines; a longer message scrolls, and the cue says how to read the rest
        pane = MessagePane(id="step-error-pane")
        with pane:
            # markup off: error codes ("[KeyError]") and T-SQL ("[SalesDB]") show as written
            yield Static("", id="step-error", classes="step-error", markup=False)
        yield MoreCue(pane, keys=READ_KEYS, back="F2, then ↑ PgUp", id="step-error-more")

    def compose_step(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        compact_all(self)
        missing = self.state.missing_secrets(self.STEP)
        if missing:
            from widgets.secrets_prompt import SecretsPrompt

            src = self.state.project.source
            who = {
                "source_password": f"{src.user} on {src.server}",
                "target_password": self.state.settings.target_user,
            }
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
        self.query_one("#step-error-pane", MessagePane).scroll_home(animate=False)

    def recheck_refusal(self) -> None:
        """The message Next showed goes when its cause does (a database unselected, the
        instance ready); a different remaining problem replaces it. Other messages stay."""
        refusal = getattr(self, "_refusal", "")
        shown = str(self.query_one("#step-error", Static).render())
        if not refusal or shown != refusal:
            self._refusal = ""
            return
        now = self.problem() or ""
        if now != refusal:
            self.show_error(now)
            self._refusal = now

    def show_failure(self, error: BaseException | None) -> None:
        text = getattr(error, "full_text", None) or str(error)
        self.show_error(text)

    def action_scroll_body(self) -> None:
        """F3: what lies below the fold, whatever field has the focus (a list's PgDn moves
        its own cursor); from the end, back to the top."""
        body = self.query_one("#step-body", VerticalScroll)
        if body.scroll_y >= body.max_scroll_y:
            body.scroll_home(animate=False)
        else:
            body.scroll_page_down(animate=False)

    # ---------------------------------------------------------------- navigation

    def problem(self) -> str | None:
        return None

    def commit(self) -> None:
        """Write into ``self.state.project`` each value on screen that passes its check."""

    # ---------------------------------------------------------------- saving

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    @on(DataTable.RowSelected)
    def changed(self) -> None:
        """Something on the step changed: save it soon, and check Next's refusal again once
        every handler of the change has run."""
        self._dirty = True
        if getattr(self, "_refusal", ""):
            self.call_after_refresh(self.recheck_refusal)
        state = self.bound_state()
        if getattr(self, "_save_timer", None) is None and state is not None and state.named:
            self._save_timer = self.set_timer(self.SAVE_DELAY, self.save_now)

    def save_now(self, at: int | None = None) -> bool:
        """Write what is on screen (what passes its checks) now; ``at`` is the step the DBA
        goes to (default: this one). ``False`` when it could not be written — said on
        screen, never raised."""
        timer: Timer | None = getattr(self, "_save_timer", None)
        self._save_timer = None
        if timer is not None:
            timer.stop()
        state = self.bound_state()
        if state is None or (not getattr(self, "_dirty", False) and at is None):
            return True
        self._dirty = False
        try:
            if self.is_mounted:
                self.commit()
            state.save(self.STEP if at is None else at)
        except (OSError, DmsTuiError) as exc:
            self._dirty = True
            text = exc.full_text if isinstance(exc, DmsTuiError) else f"{exc.strerror or exc}"
            if text != getattr(self, "_save_failed", ""):
                self.app.notify(
                    f"Not saved: {text}",
                    title="Project not saved",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            self._save_failed = text
            return False
        self._save_failed = ""
        return True

    # ---------------------------------------------------------------- navigation

    def action_next(self) -> None:
        if self.is_busy():
            self.show_error(self.busy_message())
            return
        message = self.problem()
        if message:
            self.show_error(message)
            self._refusal = message
            return
        self.show_error("")
        if self.save_now(at=self.STEP + 1):
            self.app.goto_step(self.STEP + 1)

    def action_back(self) -> None:
        """Back keeps each valid choice of this step; it never renames, never rewinds the
        step reached, and goes back even when the save failed (it was said on screen)."""
        self.save_now(at=max(1, self.STEP - 1))
        if self.STEP <= 1:
            self.app.leave_wizard()
            return
        self.app.goto_step(self.STEP - 1)

    def is_busy(self) -> bool:
        return False

    def busy_message(self) -> str:
        """What Next says while ``is_busy``: name what is still running."""
        return "Wait: an Azure operation of this step is still answering."
