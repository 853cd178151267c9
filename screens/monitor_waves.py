"""The monitor's waves: mark several online MI/VM migrations (space), or pick a wave saved in
the project, and open one cutover for them all (``WaveCutoverScreen``)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from tui.errors import DmsTuiError
from tui.models import MigrationDetail
from tui.monitoring.actions import can_open_cutover
from tui.monitoring.rows import MigrationRow

if TYPE_CHECKING:
    from screens.base import BaseScreen as _Base
    from screens.wave_pick import WaveChoice
else:
    _Base = object

MARK = "• "


class MonitorWaves(_Base):
    """Mixed into ``MonitorScreen``."""

    WAVE_BINDINGS = [
        Binding(
            "space",
            "mark",
            "Mark",
            id="monitor.mark",
            tooltip="Mark or unmark the highlighted migration for a cutover wave",
            show=False,
        ),
        Binding(
            "w",
            "wave",
            "Wave",
            id="monitor.wave",
            tooltip="Cut over the marked migrations (or a saved wave) together, each gated",
            show=False,
        ),  # the 80-column footer is full
    ]

    project: Any
    rows: dict[str, MigrationRow]
    details: dict[str, MigrationDetail]
    selected_id: str
    notes: list[str]
    export_folder: Any
    marked: set[str]

    if TYPE_CHECKING:

        @property
        def selected(self) -> MigrationDetail | None: ...
        def now(self) -> Any: ...
        def note(self, text: str) -> None: ...
        def _render_list(self, now: Any = None) -> None: ...
        def action_refresh_now(self) -> None: ...
        def with_source(self, detail: MigrationDetail, then: Any) -> None: ...
        def _need_selected(self) -> MigrationDetail | None: ...

        @property
        def schedule(self) -> Any: ...

    def marked_cells(self, key: str, cells: tuple[str, ...]) -> tuple[str, ...]:
        """A marked row's first cell carries the mark (no colour needed to see it)."""
        if key in self.marked and cells:
            return (MARK + cells[0], *cells[1:])
        return cells

    def action_mark(self) -> None:
        row = self.rows.get(self.selected_id) if self.selected_id else None
        if row is None:
            self.note("Nothing marked: select a migration first.")
            return
        key = self.selected_id
        if key in self.marked:
            self.marked.discard(key)
        else:
            allowed = can_open_cutover(self.details.get(key) or row.summary)
            if not allowed.ok:
                self.note(f"Not marked for a wave: {allowed.reason}")
                return
            self.marked.add(key)
        names = [self.rows[k].summary.source_database for k in self.rows if k in self.marked]
        self.note(
            f"Marked for a wave: {', '.join(names)} (w opens the wave)."
            if names
            else "No migration marked."
        )
        self._render_list()

    def action_wave(self) -> None:
        from screens.wave_pick import WavePickScreen

        marked = [self.rows[k].summary.source_database for k in self.rows if k in self.marked]
        saved = dict(getattr(self.project, "waves", None) or {})
        if not marked and not saved:
            self.note("No wave: mark the migrations of one application with space, then press w.")
            return
        suggestion = f"wave-{len(saved) + 1}"
        self.app.push_screen(WavePickScreen(marked, saved, suggestion), self._wave_chosen)

    def _wave_chosen(self, choice: WaveChoice | None) -> None:
        if choice is None:
            return
        name, databases = choice
        by_db = {r.summary.source_database.lower(): k for k, r in self.rows.items()}
        keys = [by_db[d.lower()] for d in databases if d.lower() in by_db]
        missing = [d for d in databases if d.lower() not in by_db]
        if missing:
            self.note(f"Wave {name}: no migration of {', '.join(missing)} in this monitor.")
        if not keys:
            return
        self._save_wave(name, databases)
        ids = [self.rows[k].summary.id for k in keys]
        azure = self.context.azure
        self.note(f"Opening the wave {name}: reading its {len(ids)} migrations…")
        self.run_blocking(
            lambda: [azure.get_migration(i) for i in ids],
            on_done=lambda details: self._open_wave(name, details),
            on_error=lambda error: self.note(f"Wave {name} not opened: {error.full_text}"),
            group="monitor-wave",
        )

    def _open_wave(self, name: str, details: list[MigrationDetail]) -> None:
        refused = [(d, can_open_cutover(d)) for d in details]
        bad = [f"{d.source_database}: {a.reason}" for d, a in refused if not a.ok]
        if bad:
            self.note(f"Wave {name} not opened — " + " ".join(bad))
            return
        from screens.wave_cutover import WaveCutoverScreen, WaveOutcome
        from tui.wave import Wave

        wave = Wave.of(name, details)

        def opened(params: Any) -> None:
            sources = {d.id.lower(): params for d in details}

            def done(outcome: WaveOutcome | None) -> None:
                if outcome is not None and outcome.text:
                    self.notes.append(outcome.text)
                    self.note(outcome.text)
                self.action_refresh_now()

            self.app.push_screen(
                WaveCutoverScreen(
                    wave,
                    sources=sources,
                    clock=self.now,
                    interval=self.schedule.interval,
                    export_folder=self.export_folder,
                ),
                done,
            )

        self.with_source(details[0], opened)

    def _save_wave(self, name: str, databases: list[str]) -> None:
        """Kept in the project file, so the wave can be opened again on the night."""
        project = self.project
        if project is None or not hasattr(project, "waves"):
            return
        if project.waves.get(name) == list(databases):
            return
        project.waves = {**project.waves, name: list(databases)}
        saved = copy.deepcopy(project)
        lock = getattr(self.app, "project_lock", None)

        def save() -> str:
            from tui.projects import save_project

            try:
                path = save_project(saved, lock=lock)
            except (OSError, DmsTuiError) as exc:
                raise DmsTuiError(
                    f"The wave {name} could not be saved in the project ({exc}).",
                    code="ProjectNotSaved",
                ) from exc
            return f"Wave {name} saved in {path.name}."

        self.run_blocking(
            save,
            on_done=self.note,
            on_error=lambda error: self.note(error.message),
            group="monitor-project",
        )
