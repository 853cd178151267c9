"""The first screen: open a saved project, start a new one, or watch existing migrations."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.base import BaseScreen
from tui.projects import list_projects
from tui.wizard_state import step_label
from widgets.compact import compact_all


class StartScreen(BaseScreen):
    BINDINGS = [
        Binding("n", "new", "New project", id="start.new"),
        Binding("o", "open", "Open project", id="start.open"),
        Binding("m", "monitor", "Monitor", id="start.monitor"),
        Binding("q", "app.quit", "Quit", show=False, id="start.quit"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("Migrate SQL Server databases to Azure with Database Migration Service.",
                     classes="lead")
        yield OptionList(
            Option("n  Start a new migration project", id="new"),
            Option("o  Open a saved project", id="open"),
            Option("m  Monitor existing migrations", id="monitor"),
            id="start-menu")
        yield Static("Saved projects", classes="section-title")
        yield OptionList(id="projects")
        yield Static("", id="projects-hint", classes="hint")

    def on_mount(self) -> None:
        compact_all(self)
        self.refresh_projects()

    def on_screen_resume(self) -> None:
        self.refresh_projects()

    def refresh_projects(self) -> None:
        projects = list_projects()
        options = self.query_one("#projects", OptionList)
        options.clear_options()
        for p in projects:
            where = "migrations started" if p.step >= 9 else f"at step {step_label(p.step)}"
            options.add_option(Option(f"{p.name:<24} {where}", id=p.name))
        self.query_one("#projects-hint", Static).update(
            "Enter opens the highlighted project." if projects
            else f"No saved projects yet. Press n to start one.")

    @on(OptionList.OptionSelected, "#start-menu")
    def menu(self, event: OptionList.OptionSelected) -> None:
        {"new": self.action_new, "open": self.action_open,
         "monitor": self.action_monitor}[event.option.id]()

    @on(OptionList.OptionSelected, "#projects")
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_project(event.option.id)

    def action_new(self) -> None:
        self.app.start_new()

    def action_open(self) -> None:
        projects = self.query_one("#projects", OptionList)
        if projects.option_count:
            projects.highlighted = projects.highlighted or 0
            projects.focus()
        else:
            self.notify("No saved projects yet: press n to start one.")

    def action_monitor(self) -> None:
        self.app.open_monitor()
