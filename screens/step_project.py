"""Step 3: name the project; from here on every step is saved and can be resumed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from screens.wizard_step import WizardStep
from tui.projects import delete_project, projects_dir, validate_name


class ProjectStep(WizardStep):
    STEP = 3

    def compose_step(self) -> ComposeResult:
        yield Static("Name this migration project. It is saved on this machine with every "
                     "choice and the ids of what gets created — never a password or key — so "
                     "`dms-tui --project NAME` picks up where you left off.", classes="lead")
        yield Static("Project name", classes="label")
        yield Input(self.state.project.name, placeholder="e.g. payroll-to-mi",
                    id="project-name")
        yield Static(f"Saved in {projects_dir()}", classes="hint", id="project-where")

    def start(self) -> None:
        self.query_one("#project-name", Input).focus()

    @on(Input.Submitted, "#project-name")
    def submitted(self) -> None:
        self.action_next()

    def problem(self) -> str | None:
        name = self.query_one("#project-name", Input).value.strip()
        error = validate_name(name)
        if error:
            return error
        if name != self.state.project.name and (projects_dir() / f"{name}.toml").exists():
            return (f"Project name: {name} is already a saved project — open it from the start "
                    "screen, or type another name.")
        return None

    def commit(self) -> None:
        name = self.query_one("#project-name", Input).value.strip()
        if validate_name(name):
            return
        old = self.state.project.name
        self.state.project.name = name
        if self.state.named and old and old != name:
            delete_project(old)
        self.state.named = True
