"""Step 3: name the project; from here on every step is saved and can be resumed.

Naming creates the file and never replaces one. Renaming a saved project is its own key
(Ctrl+R) and refuses a name that is taken; Back and Next never rename.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from screens.wizard_step import WizardStep
from tui.errors import DmsTuiError
from tui.projects import project_path, projects_dir, validate_name


class ProjectStep(WizardStep):
    STEP = 3
    BINDINGS = [
        Binding(
            "ctrl+r",
            "rename",
            "Rename",
            id="project.rename",
            tooltip="Rename the project to the name typed",
        )
    ]

    def compose_step(self) -> ComposeResult:
        yield Static(
            "Name this migration project. It is saved on this machine with every "
            "choice and the ids of what gets created — never a password or key — so "
            "`dms-tui --project NAME` picks up where you left off.",
            classes="lead",
        )
        yield Static("Project name", classes="label")
        yield Input(self.state.project.name, placeholder="e.g. payroll-to-mi", id="project-name")
        yield Static(f"Saved in {projects_dir()}", classes="hint", id="project-where")

    def start(self) -> None:
        self.query_one("#project-name", Input).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "rename":
            return self.state.named  # only a saved project has a name to change
        return True

    @on(Input.Submitted, "#project-name")
    def submitted(self) -> None:
        self.action_next()

    def typed(self) -> str:
        return self.query_one("#project-name", Input).value.strip()

    def problem(self) -> str | None:
        name = self.typed()
        error = validate_name(name)
        if error:
            return error
        saved = self.state.project.name
        if self.state.named and name != saved:
            return (
                f"Project name: this project is saved as {saved}. Press Ctrl+R to rename "
                f"it to {name}, or type {saved} again."
            )
        if not self.state.named and project_path(name).exists():
            return (
                f"Project name: {name} is already a saved project — open it from the start "
                "screen, or type another name."
            )
        return None

    def action_next(self) -> None:
        if not self.state.named and not self.problem():
            try:
                self.state.create(self.typed())
            except DmsTuiError as exc:
                self.show_error(exc.full_text)
                return
            self.app.project_lock = self.state.lock
        super().action_next()

    def action_back(self) -> None:
        name = self.typed()
        if self.state.named and name != self.state.project.name:
            self.notify(
                f"The project is still called {self.state.project.name}: Back never "
                "renames (Ctrl+R on this step does).",
                timeout=8,
            )
        super().action_back()

    def action_rename(self) -> None:
        name, old = self.typed(), self.state.project.name
        error = validate_name(name)
        if error:
            self.show_error(error)
            return
        if name == old:
            self.show_error(f"Project name: type the new name for {old} first, then Ctrl+R.")
            return
        try:
            self.state.rename(name)
        except DmsTuiError as exc:
            self.show_error(f"{exc.full_text}\nNothing was renamed.")
            return
        self.app.project_lock = self.state.lock
        self.show_error("")
        self.notify(f"Renamed {old} to {name}.")
