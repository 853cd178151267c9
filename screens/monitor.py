"""The live monitor: every migration of the project (or of the DMS instance), the selected
one's detail and charts, and the keys. The screen holds the state and the view keys; the
fetch loop is ``MonitorPolling`` (screens/monitor_polling.py), the actions on a migration
``MonitorActions`` (screens/monitor_actions.py), the backup-folder check
``MonitorPreflight`` (screens/monitor_preflight.py), the cutover waves ``MonitorWaves``
(screens/monitor_waves.py), the stall detector ``MonitorStalls`` (screens/monitor_stalls.py),
the detail's rendering the ``MigrationDetailView`` widget. Rows are keyed and updated in
place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from screens.base import BaseScreen
from screens.monitor_actions import MonitorActions
from screens.monitor_polling import MonitorPolling
from screens.monitor_preflight import MonitorPreflight
from screens.monitor_stalls import MonitorStalls
from screens.monitor_waves import MonitorWaves
from tui.models import MigrationDetail, TargetKind
from tui.monitoring.buckets import COUNTED, Bucket, count_buckets
from tui.monitoring.clock import default_clock
from tui.monitoring.fetch import Instances, Snapshot
from tui.monitoring.history import History
from tui.monitoring.rows import COLUMN_WIDTHS, COLUMNS, MigrationRow, list_columns, row_matches
from tui.monitoring.rows import sort_value as row_sort_value
from tui.monitoring.schedule import PollSchedule
from tui.monitoring.stall import StallWatch
from widgets.compact import steady_cursors
from widgets.message_pane import READ_KEYS, MessagePane
from widgets.migration_detail import MigrationDetailView
from widgets.more_cue import MoreCue
from widgets.progress_table import KeyedTable
from widgets.quiet_text import write_text
from widgets.state_counts import StateCounts
from widgets.virtual_table import VirtualTable

_STATE_CYCLE = (None, *COUNTED)


class MonitorScreen(
    MonitorPolling, MonitorActions, MonitorPreflight, MonitorWaves, MonitorStalls, BaseScreen
):
    CSS_PATH = "monitor.tcss"
    BINDINGS = [
        Binding(
            "r",
            "refresh_now",
            "Refresh",
            id="monitor.refresh",
            tooltip="Read every migration from Azure now, without waiting for the next poll",
            show=False,  # it refreshes by itself; the footer keeps room for the actions
        ),
        Binding(
            "p",
            "toggle_pause",
            "Pause",
            id="monitor.pause",
            tooltip="Stop or restart the automatic refresh (the screen says when it is paused)",
        ),
        Binding(
            "slash",
            "filter",
            "Find",
            id="monitor.filter",
            tooltip="Show only the migrations whose row contains the text typed",
        ),
        Binding(
            "f",
            "cycle_state",
            "State",
            id="monitor.state",
            tooltip="Show only one state (in progress, ready, failed…); again for the next",
            show=False,
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            id="monitor.sort",
            tooltip="Sort the focused list by its next column",
            show=False,
        ),
        Binding(
            "O",
            "reverse_sort",
            "Reverse",
            id="monitor.reverse_sort",
            tooltip="Reverse the focused list's order (▲ ascending, ▼ descending)",
            show=False,
        ),
        Binding(
            "c",
            "cutover",
            "Cutover",
            id="monitor.cutover",
            tooltip="Cut over the selected migration: opens the guarded cutover dialog",
        ),
        *MonitorWaves.WAVE_BINDINGS,
        Binding(
            "l",
            "log_backup",
            "Log",
            id="monitor.log_backup",
            tooltip="Take a log backup of the selected database on the source into its folder",
        ),
        Binding(
            "v",
            "validate",
            "Verify",
            id="monitor.validate",
            tooltip="Validate: count the rows of every table, source against target",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="monitor.export",
            tooltip="Export the selected migration's detail, files and notes to CSV/JSON",
        ),
        MonitorPreflight.PREFLIGHT_BINDING,
        Binding(
            "x",
            "cancel_migration",
            "Cancel",
            id="monitor.cancel",
            tooltip="Cancel the selected migration (asks first; the target database is left)",
        ),
        Binding(
            "t",
            "retry",
            "Retry",
            id="monitor.retry",
            tooltip="Retry a failed migration with the same settings",
            show=False,
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            id="monitor.delete",
            tooltip="Delete a finished migration's record from Azure (asks first)",
            show=False,
        ),
        Binding(
            "a",
            "toggle_all",
            "All",
            id="monitor.all",
            tooltip="Switch between this project's migrations and all of the DMS instance",
            show=False,
        ),
        Binding(
            "g",
            "logins",
            "Logins",
            id="monitor.logins",
            tooltip="Move the source's logins to the target (the plan, then one confirmation)",
            show=False,
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="monitor.back",
            tooltip="Close the filter, or leave the monitor",
            show=False,
        ),
        # Ctrl+Q works as everywhere; out of the footer here to leave room for the actions
        Binding(
            "ctrl+q",
            "app.quit",
            "Quit",
            id="monitor.quit",
            tooltip="Leave dms-tui; asks first if something is in flight (Azure carries on)",
            show=False,
        ),
    ]

    def __init__(
        self,
        project: Any = None,
        service_id: str | None = None,
        *,
        migration_ids: tuple[str, ...] | list[str] = (),
        interval: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        export_folder: Any = None,
    ) -> None:
        super().__init__()
        self.project = project
        ids = list(migration_ids) or list(getattr(project, "migration_ids", []) or [])
        self.migration_ids = tuple(ids)
        self.service_id = service_id or getattr(project, "service_id", "") or ""
        self.show_all = not self.migration_ids  # no project: the whole DMS instance
        self.schedule = PollSchedule(interval=interval)
        self.history = History()
        self.instances = Instances()  # every instance's migrations: the instances, as listed
        self.stalls = StallWatch()
        self.stall_checks: dict[str, Any] = {}
        self._stall_checked: set[tuple[str, str]] = set()
        self._detail_at: dict[str, float] = {}
        self._fresh: set[str] = set()  # details in the answer being applied
        self._clock = clock
        self.export_folder = export_folder
        self.rows: dict[str, MigrationRow] = {}
        self.details: dict[str, MigrationDetail] = {}
        self.selected_id: str = ""
        self.filter_text = ""
        self.state_filter: Bucket | None = None
        self.notes: list[str] = []
        self.last_note = ""
        self._timer: Timer | None = None
        self._due_now = False
        self._again = False
        self._gen_started = 0
        self._gen_done = 0
        self._done_event: asyncio.Event | None = None
        self._visible: set[str] = set()  # ids of the rows the filters let through
        self._busy: set[str] = set()  # actions in flight, one of each at most
        self._stale: set[str] = set()  # final migrations to read again (retried)
        self._source_password = ""  # typed for this session only, never saved
        self.marked: set[str] = set()  # rows marked for a wave (space)
        self._status_text: str | None = None  # the status line as written
        self._list_now: datetime | None = None  # the time the list was last drawn for
        self._slow: Timer | None = None  # shows "refreshing…" when a refresh is slow

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        with Vertical(id="monitor-body"):
            yield StateCounts(id="state-counts")
            yield Input(
                placeholder="filter: text in any column (Enter to apply, Esc to close)",
                id="monitor-filter",
                classes="-hidden",
                disabled=True,
            )
            yield KeyedTable(
                COLUMNS, widths=COLUMN_WIDTHS, sort_value=self._row_sort_value, id="migrations"
            )
            yield MigrationDetailView(id="detail")
            # the status line and the last note: a long error scrolls, the cue says so
            pane = MessagePane(id="monitor-status-pane")
            with pane:
                yield Static("", id="monitor-status", markup=False)
            yield MoreCue(pane, keys=READ_KEYS, back="F2, then ↑ PgUp", id="monitor-more")

    def on_mount(self) -> None:
        steady_cursors(self)
        self._done_event = asyncio.Event()
        self._fit(self.app.size.width)
        self._render_status()
        self.query_one("#migrations", KeyedTable).focus()
        self._arm(0)

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Compact columns on a narrow terminal, every column from ``fmt.WIDE`` up."""
        if not width:
            return
        self.query_one("#migrations", KeyedTable).show_columns(list_columns(width))
        self.query_one(MigrationDetailView).set_width(width)

    def on_unmount(self) -> None:
        self._stop_polling()

    # ------------------------------------------------------------------ clock

    def now(self) -> datetime:
        if self._clock is None:
            self._clock = default_clock(getattr(self.context, "sandbox", None))
        return self._clock()

    # ------------------------------------------------------------------ rendering

    def _row_sort_value(self, key: str, col: int) -> Any:
        row = self.rows.get(key)
        return None if row is None else row_sort_value(row, col, self._list_now or self.now())

    def _render_list(self, now: datetime | None = None) -> None:
        now = self._list_now = now or self.now()
        table = self.query_one("#migrations", KeyedTable)
        text, state = self.filter_text, self.state_filter
        visible = (
            {k: r for k, r in self.rows.items() if row_matches(r, text, state)}
            if text or state is not None
            else self.rows
        )
        self._visible = set(visible)
        marked, mark = self.marked, self.marked_cells
        table.sync(
            {k: mark(k, r.cells(now)) if k in marked else r.cells(now) for k, r in visible.items()}
        )
        counts = count_buckets(r.bucket for r in self.rows.values())
        self.query_one(StateCounts).show(counts, self.state_filter)
        if self.selected_id and self.selected_id not in visible:
            # hidden by a filter, or gone: never shown, never acted on
            self.selected_id = ""
            self._render_detail()
        if not self.selected_id and visible:
            key = table.selected_key or next(iter(visible))
            self._select(key)
        elif self.selected_id:
            table.select_key(self.selected_id)

    def _select(self, key: str) -> None:
        if key == self.selected_id:
            return
        self.selected_id = key
        self._render_detail()
        detail = self.details.get(key)
        if detail is None or not (detail.status.is_final or key in self._fresh):
            self._soon()

    @on(DataTable.RowHighlighted, "#migrations")
    def _on_row(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self._select(event.row_key.value)

    @property
    def selected(self) -> MigrationDetail | None:
        """The highlighted migration, only while its row is shown."""
        if not self.selected_id or self.selected_id not in self._visible:
            return None
        return self.details.get(self.selected_id)

    def _render_detail(self) -> None:
        view = self.query_one(MigrationDetailView)
        d = self.selected
        if d is None:
            row = self.rows.get(self.selected_id)
            view.show_nothing(
                "Loading detail…"
                if row and self.selected_id in self._visible
                else "No migrations to show yet. Start one with the wizard; this list "
                "refreshes by itself."
                if not self.rows
                else self._hidden_text()
                if not self._visible
                else "No migration selected."
            )
            return
        sqldb = d.kind == TargetKind.SQL_DB
        ready = self._readiness(d) if not sqldb and d.online and not d.status.is_final else ""
        stall = self.stall_text(d)
        if stall:
            ready += " · ⚠ STALLED"
        view.show(d, self.history, ready + self._days_left(d), stall)

    def _days_left(self, d: MigrationDetail) -> str:
        """ " · 27 days left of 30": a migration to a managed instance runs 30 days at most
        (a warning from day 25; ``tui.limits``)."""
        from tui.limits import countdown

        if d.kind != TargetKind.SQL_MI or d.status.is_final:
            return ""
        left = countdown(d.started_on, self.now())
        return "" if left is None else f" · {'⚠ ' if left.warning else ''}{left.text}"

    def _readiness(self, d: MigrationDetail) -> str:
        """ " · READY" once the known tail-log is restored; " · caught up" when every file DMS
        lists is restored (the tail-log is still to come, or DMS has not listed it yet)."""
        from tui.cutover import cutover_blockers, restore_blockers

        if not d.status.is_restoring_logs:
            return ""
        tail = self.context.tail_logs.get(d.id.lower())
        if tail is not None:
            return (
                " · READY" if not cutover_blockers(d, tail.file) else f" · waiting for {tail.file}"
            )
        return " · caught up" if not restore_blockers(d) else ""

    def _hidden_text(self) -> str:
        return (
            f"No migration shown: the filter hides all {len(self.rows)}. Press / and Esc "
            "to clear the text filter, f to change the state filter."
        )

    def _render_status(self) -> None:
        if not self.is_mounted:
            return
        text = self.schedule.status_text()
        shown = self.query_one("#migrations", KeyedTable).row_count
        scope = (
            ("every DMS instance" if not self.service_id else "all of the DMS instance")
            if self.show_all
            else "project"
        )
        text += f" · {shown} of {len(self.rows)} ({scope})"
        if self.state_filter is not None:
            text += f" · state: {self.state_filter.value}"
        if self.filter_text:
            text += f" · filter: {self.filter_text}"
        if self.last_note:
            text += f"\n{self.last_note}"
        if text != self._status_text:  # the same line again costs a layout and bytes
            write_text(self.query_one("#monitor-status", Static), self._status_text, text)
            self._status_text = text

    def note(self, text: str) -> None:
        self.last_note = text
        self._render_status()

    # ------------------------------------------------------------------ keys: view

    def action_refresh_now(self) -> None:
        self.instances.expire()  # a DMS instance made or deleted meanwhile shows now
        if self.schedule.in_flight:
            self._again = True
        else:
            self._start_fetch(force=True)

    def action_toggle_pause(self) -> None:
        self.schedule.paused = not self.schedule.paused
        if self.schedule.paused:
            self._stop_polling()
        else:
            self._arm(0)
        self._render_status()

    def action_filter(self) -> None:
        box = self.query_one("#monitor-filter", Input)
        box.disabled = False
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Changed, "#monitor-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._render_list()
        self._render_status()

    @on(Input.Submitted, "#monitor-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one("#migrations", KeyedTable).focus()
        if not event.value.strip():
            event.input.add_class("-hidden")
            event.input.disabled = True

    def action_cycle_state(self) -> None:
        i = _STATE_CYCLE.index(self.state_filter)
        self.state_filter = _STATE_CYCLE[(i + 1) % len(_STATE_CYCLE)]
        self._render_list()
        self._render_status()

    def _sorted_table(self) -> KeyedTable | VirtualTable:
        focused = self.focused
        if isinstance(focused, (KeyedTable, VirtualTable)):
            return focused
        return self.query_one("#migrations", KeyedTable)

    def action_sort(self) -> None:
        table = self._sorted_table()
        table.cycle_sort()
        self._say_sort(table)

    def action_reverse_sort(self) -> None:
        table = self._sorted_table()
        table.sort_by(table.sort_column or 0, not table.sort_reverse)
        self._say_sort(table)

    def _say_sort(self, table: KeyedTable | VirtualTable) -> None:
        order = "descending ▼" if table.sort_reverse else "ascending ▲"
        self.note(
            f"Sorted by {table.column_names[table.sort_column or 0]}, {order} "
            "(o: next column, O: reverse)"
        )

    def action_toggle_all(self) -> None:
        if not self.service_id:
            self.note("No DMS instance known for this project: can't list its other migrations.")
            return
        if not self.migration_ids:
            self.note("Showing every migration of the DMS instance.")
            return
        self.show_all = not self.show_all
        self._apply(Snapshot((), None), self.now())
        self.action_refresh_now()

    def action_back(self) -> None:
        box = self.query_one("#monitor-filter", Input)
        if box.has_focus:
            box.value = ""
            box.add_class("-hidden")
            box.disabled = True
            self.query_one("#migrations", KeyedTable).focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
