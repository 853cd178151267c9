"""The Textual App: owns the context (one Controller), routes screens, handles worker errors."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui import __version__
from tui.context import AppContext
from tui.errors import DmsTuiError

if TYPE_CHECKING:  # both imported when first needed, to keep start-up light
    from tui.project_lock import ProjectLock
    from tui.wizard_state import WizardState

# wizard step → (module, class); step 9 is the monitor
STEP_SCREENS = {
    1: ("screens.step_provider", "ProviderStep"),
    2: ("screens.step_service", "ServiceStep"),
    3: ("screens.step_project", "ProjectStep"),
    4: ("screens.step_source", "SourceStep"),
    5: ("screens.step_target", "TargetStep"),
    6: ("screens.step_databases", "DatabasesStep"),
    7: ("screens.step_settings", "SettingsStep"),
    8: ("screens.step_summary", "SummaryStep"),
}


LABEL_CLASSES = ("label", "db-label")


def field_label(widget):
    """The label just above (or left of) ``widget`` or of the row/group holding it, if any."""
    from textual.screen import Screen

    node = widget
    for _ in range(3):
        parent = node.parent
        if parent is None or isinstance(parent, Screen):
            return None
        before = [w for w in parent.children[: parent.children.index(node)] if w.display]
        if before and any(before[-1].has_class(c) for c in LABEL_CLASSES):
            return before[-1]
        if parent.id == "step-body":
            return None
        node = parent
    return None


class WizardCommands(Provider):
    """Command palette: start or open projects, the monitor, and going back to earlier steps."""

    def _commands(self) -> list[tuple[str, Callable[[], None], str]]:
        from tui.projects import list_projects
        from tui.steps import step_label

        app = self.app
        assert isinstance(app, DmsTuiApp)
        found: list[tuple[str, Callable[[], None], str]] = [
            ("New migration project", app.start_new, "Start the setup wizard"),
            ("Monitor migrations", app.open_monitor, "Every migration of the DMS instance"),
        ]
        for p in list_projects():
            found.append(
                (
                    f"Open project {p.name}",
                    partial(app.open_project, p.name),
                    f"Resume at step {step_label(min(p.step, 9))}",
                )
            )
        wizard = app.wizard
        if wizard is not None and wizard.named:
            for step in range(1, min(wizard.project.step, 8) + 1):
                found.append(
                    (
                        f"Go to step {step_label(step)}",
                        partial(app.goto_step, step),
                        f"Back to this step of {wizard.project.name}",
                    )
                )
        return found

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


HELP_WORDS = "Every key of this screen and what it does"
QUIT_WORDS = "Leave dms-tui; asks first if something is in flight (Azure carries on)"


class DmsTuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "dms-tui"
    COMMANDS = App.COMMANDS | {WizardCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip=HELP_WORDS),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip=QUIT_WORDS),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.quit_ctrl_c"),
    ]

    def __init__(
        self,
        context: AppContext,
        *,
        project: str | None = None,
        monitor: bool = False,
        subscription_id: str | None = None,
        clock: Callable[[], float] | None = None,
        poll_interval: float = 2.0,
    ) -> None:
        super().__init__()
        self.context = context
        self.project_name = project
        self.open_monitor_first = monitor
        self.subscription_id = subscription_id
        self.clock = clock or time.monotonic  # elapsed-time displays (frozen in tests)
        self.poll_interval = poll_interval  # seconds between polls of long Azure operations
        self.wizard: WizardState | None = None  # while a project is open
        self.project_lock: ProjectLock | None = None  # the project open here
        self.sub_title = f"v{__version__}" + (" · SANDBOX" if context.is_sandbox else "")

    # ------------------------------------------------------------------ routing

    def get_default_screen(self) -> Screen:
        """The start screen, when no sign-in comes first: it is composed with the app, so
        the first frame written is the start screen itself, not an empty screen before it."""
        if self._signs_in:
            return super().get_default_screen()
        from screens.start import StartScreen

        return StartScreen()

    @property
    def _signs_in(self) -> bool:
        return not self.context.pending and self.context.controller is None

    def on_mount(self) -> None:
        if self.context.sandbox_notice:
            self.notify(self.context.sandbox_notice, severity="warning", timeout=20)
        if self._signs_in:
            from screens.signin import SignInScreen

            self.push_screen(SignInScreen(), self._signed_in)
            return
        self._route(start_shown=True)
        if self.context.pending:
            # --sandbox: the first screen first, then the sandbox, in a worker (what needs it
            # before it is ready waits for it: ``AppContext.prepare``)
            self.call_after_refresh(self._prepare_context)

    def _prepare_context(self) -> None:
        self.run_worker(
            self.context.prepare,
            thread=True,
            group="prepare",
            name="prepare the sandbox",
            exit_on_error=False,
        )

    def _signed_in(self, ok: bool | None) -> None:
        if ok:
            self._route()
        else:
            self.exit()

    def _route(self, *, start_shown: bool = False) -> None:
        """The start screen (unless it is already the screen at the bottom), then the
        project or monitor the command line asked for."""
        if self.subscription_id:
            self.context.use_subscription(self.subscription_id)
        if not start_shown:
            from screens.start import StartScreen

            self.push_screen(StartScreen())
        if self.project_name and self.open_monitor_first:
            self.open_monitor(project=self.project_name)
        elif self.project_name:
            self.open_project(self.project_name)

    def start_new(self) -> None:
        from screens.scope import ScopeScreen
        from tui.projects import Project
        from tui.wizard_state import WizardState

        self.close_project()
        sign_in = (
            "sandbox" if self.context.is_sandbox else getattr(self.context, "sign_in_method", "")
        )
        self.wizard = WizardState(
            Project(name="", sandbox=self.context.is_sandbox, sign_in=sign_in)
        )
        self.push_screen(ScopeScreen())

    def open_project(self, name: str) -> None:
        from tui.projects import ProjectLocked, load_project, lock_project
        from tui.wizard_state import WizardState

        self.close_project()
        try:
            project = load_project(name)
            lock = lock_project(name)
        except ProjectLocked as exc:
            self._open_read_only(project, exc)
            return
        except DmsTuiError as exc:
            self.show_error(exc)
            return
        except OSError as exc:
            self.show_error(
                DmsTuiError(
                    f"Project {name} can't be locked for writing: {exc.strerror or exc}.",
                    code="ProjectLockFailed",
                    hint="Check the projects folder's owner and space.",
                )
            )
            return
        self.project_lock = lock
        if project.sandbox != self.context.is_sandbox:
            where = "in the sandbox" if project.sandbox else "against real Azure"
            self.notify(
                f"Project {name} was set up {where}: its resource ids may not exist here.",
                severity="warning",
                timeout=10,
            )
        self.wizard = WizardState(project, named=True, lock=lock)
        if project.subscription_id:
            self.context.use_subscription(project.subscription_id)
        if project.step >= 9:
            self.open_monitor(project=project, service_id=project.service_id or None)
        else:
            self.goto_step(project.resume_at)

    def _open_read_only(self, project, locked) -> None:
        """Another instance has the project: the wizard refuses; its migrations can still be
        watched, in a monitor that writes nothing to the project."""
        who = locked.holder.describe()
        if not project.migration_ids and project.step < 9:
            self.notify(
                f"Project {project.name} is open in {who}: only one dms-tui at a "
                "time can change it. Close it there first.",
                title="Project in use",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        self.notify(
            f"Project {project.name} is open in {who}. Its migrations are shown here "
            "read-only; the wizard and any change to the project stay with that one.",
            title="Read-only",
            severity="warning",
            timeout=15,
            markup=False,
        )
        short = f"pid {locked.holder.pid}" if locked.holder.pid else "another dms-tui"
        self._push_monitor(project, project.service_id or None, read_only=short)

    def close_project(self) -> None:
        """Nothing is open any more (back on the start screen, or quitting): let go of the
        project's lock so another instance may change it."""
        self._flush_step()
        if self.project_lock is not None:
            self.project_lock.release()
            self.project_lock = None
        self.wizard = None

    def save_wizard(self, at: int) -> bool:
        """Note the wizard is on step ``at`` and write the project; a failure is said on
        screen (``False``), never raised. With no project open there is nothing to write."""
        if self.wizard is None:
            return True
        try:
            self.wizard.save(at)
        except (OSError, DmsTuiError) as exc:
            text = getattr(exc, "full_text", None) or str(exc)
            self.notify(
                f"Not saved: {text}",
                title="Project not saved",
                severity="error",
                timeout=15,
                markup=False,
            )
            return False
        return True

    def _flush_step(self) -> None:
        wizard_step = sys.modules.get("screens.wizard_step")  # not loaded: no step is shown
        if wizard_step is not None and isinstance(self.screen, wizard_step.WizardStep):
            self.screen.save_now()

    def goto_step(self, step: int) -> None:
        """Show wizard step ``step`` in place of the current step (or on top of the start)."""
        from screens.scope import ScopeScreen
        from screens.wizard_step import WizardStep

        self._flush_step()
        if self.wizard is not None and step < 9:
            self.save_wizard(at=step)  # a jump from the palette: resume there too
        if step >= 9:
            project = self.wizard.project if self.wizard else None
            self.leave_wizard(to_start=True)
            self.open_monitor(
                project=project, service_id=(project.service_id or None) if project else None
            )
            return
        module, cls = STEP_SCREENS[step]
        screen = getattr(importlib.import_module(module), cls)()
        if isinstance(self.screen, (WizardStep, ScopeScreen)):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def leave_wizard(self, *, to_start: bool = False) -> None:
        """Step 1's Back returns to the scope screen; ``to_start`` closes the wizard."""
        from screens.scope import ScopeScreen

        if to_start:
            from screens.start import StartScreen

            while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
                self.pop_screen()
            return
        self.switch_screen(ScopeScreen())

    def open_monitor(self, project=None, service_id: str | None = None) -> None:
        """The monitor for a project (its name or ``Project``), a DMS instance, or everything."""
        if isinstance(project, str):
            from tui.projects import ProjectLocked, load_project, lock_project

            self.close_project()
            try:
                project = load_project(project)
                if project.subscription_id:
                    self.context.use_subscription(project.subscription_id)
                self.project_lock = lock_project(project.name)
            except ProjectLocked as exc:
                self._open_read_only(project, exc)
                return
            except (DmsTuiError, OSError) as exc:
                self.show_error(exc)
                return
        self._push_monitor(project, service_id)

    def _push_monitor(self, project, service_id: str | None, read_only: str = "") -> None:
        from screens.monitor import MonitorScreen

        monitor = MonitorScreen(project=project, service_id=service_id)
        self.push_screen(monitor)
        if read_only:
            monitor.sub_title = f"{self.sub_title} · READ-ONLY, open in {read_only}"

    def action_help(self) -> None:
        """F1 or ?: the keys of the screen in front, in words."""
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands, but "Keys" opens the help screen (the screen's keys
        first) instead of Textual's panel (the focused table's cursor keys first)."""
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                continue
            yield command
        yield SystemCommand("Keys", HELP_WORDS, self.action_help)

    async def action_quit(self) -> None:
        """Ctrl+Q / Ctrl+C: quit at once, unless something is in flight (a create, a cutover
        sent or followed, a backup): then ask first, saying that Azure carries on. Every change
        on a step is saved as it is made; what is pending is written before leaving."""
        from screens.quit_confirm import QuitConfirm, in_flight

        if isinstance(self.screen, QuitConfirm):
            return  # already asking
        busy = in_flight(self)
        if busy:
            self.push_screen(QuitConfirm(self, busy), self._quit_answered)
            return
        self._save_and_exit()

    def _quit_answered(self, leave: bool | None) -> None:
        if leave:
            self._save_and_exit()

    def _save_and_exit(self) -> None:
        """Write what is pending on the current step, so the next run resumes there."""
        from screens.quit_confirm import QuitConfirm
        from screens.wizard_step import WizardStep

        stack = [s for s in self.screen_stack if not isinstance(s, QuitConfirm)]
        if stack and isinstance(stack[-1], WizardStep):
            stack[-1].save_now()
        self.exit()

    def on_unmount(self) -> None:
        """Give the project back, and quit without waiting for SQL Server: every wait for a
        driver call ends now (the calls run in daemon threads, which do not keep the process
        alive)."""
        if self.project_lock is not None:
            self.project_lock.release()
        self.context.keep_sandbox()  # the simulated clock as it is now, for the next run
        waits = sys.modules.get("tui.source.deadline")
        if waits is not None:
            waits.abandon_all()

    # ------------------------------------------------------------------ focus

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The label of the focused field shows focus as well as the field's own bar."""
        self._show_focus_label(event.widget)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_focus_label(event.widget)

    def _show_focus_label(self, widget: Widget) -> None:
        """Mark the label of the field focused *now* on ``widget``'s screen. Focus and blur
        events bubble up through different widgets and may land out of order (focus moved
        twice in quick succession, on a busy machine): the screen's focus, not the event's
        widget, says which label is lit, so the last event handled is always right."""
        try:
            screen = widget.screen
        except NoScreen:  # focus arrived as the widget's dialog was being dismissed
            return
        focused = screen.focused
        wanted = field_label(focused) if focused is not None else None
        for label in screen.query(".-focus-label"):
            if label is not wanted:
                label.remove_class("-focus-label")
        if wanted is not None:
            wanted.add_class("-focus-label")

    # ------------------------------------------------------------------ errors

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes a message the DBA can act on."""
        if event.state == WorkerState.SUCCESS and event.worker.group == "prepare":
            notice = self.context.sandbox_notice  # what became of the sandbox's saved world
            if notice:
                self.notify(notice, severity="warning", timeout=20)
            return
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
        self.notify(text, title="Something went wrong", severity="error", timeout=12, markup=False)
