"""The first screen: open a saved project, start a new one, or watch existing migrations.

Every file of the projects folder is listed: a damaged one as damaged, with the reason and
its path (it can't be opened, and it never stops the app); a project open in another dms-tui
says who has it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.base import BaseScreen
from tui.projects import ProjectFile, holder_of, scan_projects
from tui.steps import step_label


class StartScreen(BaseScreen):
    BINDINGS = [
        Binding(
            "n",
            "new",
            "New project",
            id="start.new",
            tooltip="Start the setup wizard for a new migration project",
        ),
        Binding(
            "o",
            "open",
            "Open project",
            id="start.open",
            tooltip="Open a saved project where it was left",
        ),
        Binding(
            "m",
            "monitor",
            "Monitor",
            id="start.monitor",
            tooltip="Monitor every migration of a DMS instance",
        ),
        Binding("q", "app.quit", "Quit", show=False, id="start.quit", tooltip="Leave dms-tui"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Migrate SQL Server databases to Azure with Database Migration Service.", classes="lead"
        )
        yield OptionList(
            Option("n  Start a new migration project", id="new"),
            Option("o  Open a saved project", id="open"),
            Option("m  Monitor existing migrations", id="monitor"),
            id="start-menu",
            compact=True,
        )
        yield Static("Saved projects", classes="section-title")
        yield OptionList(id="projects", compact=True)
        yield Static("", id="projects-hint", classes="hint")

    def on_screen_resume(self) -> None:
        """Shown, first or again: the list is read afresh (once: resuming follows mounting,
        so the first showing reads the projects folder here too)."""
        if self.app.screen is self:  # back here for good, not passing through to the monitor
            self.app.close_project()
        self.refresh_projects()

    def refresh_projects(self) -> None:
        entries = scan_projects()
        options = self.query_one("#projects", OptionList)
        options.clear_options()
        for entry in entries:
            options.add_option(_option(entry))
        openable = sum(1 for e in entries if e.project is not None)
        damaged = len(entries) - openable
        hint = (
            "Enter opens the highlighted project."
            if openable
            else "No saved projects yet. Press n to start one."
            if not damaged
            else "No project can be opened. Press n to start one."
        )
        if damaged:
            hint += (
                f" {damaged} damaged file{'s' if damaged > 1 else ''} can't be opened: "
                f"fix or move {'them' if damaged > 1 else 'it'} away, then come back "
                "here."
            )
        self.query_one("#projects-hint", Static).update(hint)

    @on(OptionList.OptionSelected, "#start-menu")
    def menu(self, event: OptionList.OptionSelected) -> None:
        actions = {"new": self.action_new, "open": self.action_open, "monitor": self.action_monitor}
        action = actions.get(event.option.id or "")
        if action is not None:
            action()

    @on(OptionList.OptionSelected, "#projects")
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_project(event.option.id)

    def action_new(self) -> None:
        self.app.start_new()

    def action_open(self) -> None:
        projects = self.query_one("#projects", OptionList)
        if any(not o.disabled for o in projects.options):
            projects.highlighted = projects.highlighted or 0
            projects.focus()
        else:
            self.notify("No saved projects yet: press n to start one.")

    def action_monitor(self) -> None:
        self.app.open_monitor()


def _option(entry: ProjectFile) -> Option:
    """One line per project (more for notes); a damaged file is listed, not selectable."""
    if entry.project is None:
        text = Text(f"{entry.path.stem:<24} DAMAGED — can't be opened", style="bold")
        text.append(f"\n  {entry.problem}\n  {entry.path}", style="")
        return Option(text, id=f"damaged:{entry.path.name}", disabled=True)
    p = entry.project
    where = "migrations started" if p.step >= 9 else f"at step {step_label(p.resume_at)}"
    text = Text(f"{p.name:<24} {where}")
    holder = holder_of(p.name, entry.path)
    if holder is not None:
        watch = " (monitor only here)" if p.migration_ids or p.step >= 9 else ""
        text.append(f"\n  in use by {holder.describe()}{watch}")
    for note in entry.notes:
        text.append(f"\n  note: {note}")
    return Option(text, id=p.name)
