"""The live monitor: every migration of the project (or of the DMS instance), its detail,
the charts, and the actions — cutover, log backup, validation, export, cancel/retry/delete.

Polling cannot pile up: one fetch in flight at most, the next one armed with ``set_timer``
only after the previous one finished, backing off after failures; the timer belongs to
this screen, so leaving it stops polling. Rows are keyed and updated in place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from screens.base import BaseScreen
from screens.monitor_preflight import MonitorPreflight
from tui import monitoring as mon
from tui.context import SourceParams
from tui.errors import DmsTuiError
from tui.models import BackupResult, MigrationDetail, MigrationState, TargetKind
from widgets.backup_pane import BackupPane
from widgets.progress_table import KeyedTable
from widgets.sparkline_panel import SparklinePanel
from widgets.state_counts import StateCounts
from widgets.tables_pane import TablesPane

_STATE_CYCLE = (None, *mon.COUNTED)


def _translate(exc: BaseException) -> DmsTuiError:
    if isinstance(exc, DmsTuiError):
        return exc
    from tui.azure_errors import translate

    return translate(exc)


class MonitorScreen(MonitorPreflight, BaseScreen):
    CSS_PATH = "monitor.tcss"
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh", id="monitor.refresh"),
        Binding("p", "toggle_pause", "Pause", id="monitor.pause"),
        Binding("slash", "filter", "Find", id="monitor.filter"),
        Binding("f", "cycle_state", "State", id="monitor.state", show=False),
        Binding("o", "sort", "Sort", id="monitor.sort", show=False),
        Binding("c", "cutover", "Cutover", id="monitor.cutover"),
        Binding("l", "log_backup", "Log", id="monitor.log_backup"),
        Binding("v", "validate", "Verify", id="monitor.validate"),
        Binding("e", "export", "Export", id="monitor.export"),
        MonitorPreflight.PREFLIGHT_BINDING,
        Binding("x", "cancel_migration", "Cancel", id="monitor.cancel"),
        Binding("t", "retry", "Retry", id="monitor.retry", show=False),
        Binding("d", "delete", "Delete", id="monitor.delete", show=False),
        Binding("a", "toggle_all", "All", id="monitor.all", show=False),
        Binding("escape", "back", "Back", id="monitor.back", show=False),
    ]

    # ------------------------------------------------------------------ messages

    @dataclass
    class Fetched(Message):
        snapshot: mon.Snapshot

    @dataclass
    class FetchFailed(Message):
        error: DmsTuiError

    @dataclass
    class ActionDone(Message):
        text: str
        refresh: bool = True
        busy: str = ""  # the action that finished (no longer in flight)
        forget: str = ""  # a migration id that no longer exists
        reread: str = ""  # a final migration that changed (retried): read it again

    @dataclass
    class ActionFailed(Message):
        error: DmsTuiError
        extra: str = ""
        busy: str = ""
        reread: str = ""  # Azure may have acted: read this migration again

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
        self.schedule = mon.PollSchedule(interval=interval)
        self.history = mon.History()
        self._clock = clock
        self.export_folder = export_folder
        self.rows: dict[str, mon.MigrationRow] = {}
        self.details: dict[str, MigrationDetail] = {}
        self.selected_id: str = ""
        self.filter_text = ""
        self.state_filter: mon.Bucket | None = None
        self.notes: list[str] = []
        self.last_note = ""
        self._timer: Timer | None = None
        self._again = False
        self._gen_started = 0
        self._gen_done = 0
        self._done_event: asyncio.Event | None = None
        self._visible: set[str] = set()  # ids of the rows the filters let through
        self._busy: set[str] = set()  # actions in flight, one of each at most
        self._stale: set[str] = set()  # final migrations to read again (retried)
        self._source_password = ""  # typed for this session only, never saved

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
                mon.COLUMNS,
                widths=mon.COLUMN_WIDTHS,
                sort_value=self._row_sort_value,
                id="migrations",
            )
            yield Static("Select a migration to see its detail.", id="detail-title", markup=False)
            yield BackupPane(id="backup-pane", classes="-hidden")
            yield TablesPane(id="tables-pane", classes="-hidden")
            with Horizontal(id="charts"):
                yield SparklinePanel("Pending", fmt=lambda v: f"{v:.0f}", id="spark-pending")
                yield SparklinePanel("Rate", fmt=mon.fmt_bytes, id="spark-rate")
            yield Static("", id="monitor-status", markup=False)

    def on_mount(self) -> None:
        self._done_event = asyncio.Event()
        self._fit(self.app.size.width)
        self._render_status()
        self.query_one("#migrations", KeyedTable).focus()
        from textual.widgets import Footer

        for footer in self.query(Footer):
            footer.compact = True  # every key fits on an 80-column jump-box terminal
        self._arm(0)

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Compact columns on a narrow terminal, every column from ``mon.WIDE`` up."""
        if not width:
            return
        self.query_one("#migrations", KeyedTable).show_columns(mon.list_columns(width))
        self.query_one(BackupPane).set_width(width)
        self.query_one(TablesPane).set_width(width)

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # ------------------------------------------------------------------ clock

    def now(self) -> datetime:
        if self._clock is None:
            self._clock = mon.default_clock(getattr(self.context, "sandbox", None))
        return self._clock()

    # ------------------------------------------------------------------ polling

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        if self.schedule.paused:
            return
        self._timer = self.set_timer(max(0.01, delay), self._tick)

    def _tick(self) -> None:
        self._timer = None
        self._start_fetch()

    def _request(self) -> mon.FetchRequest:
        final = frozenset(
            k for k, r in self.rows.items() if r.summary.status.is_final and k not in self._stale
        )
        sel = self.selected_id
        cached = self.details.get(sel.lower()) if sel else None
        return mon.FetchRequest(
            migration_ids=self.migration_ids,
            service_id=self.service_id,
            show_all=self.show_all,
            selected_id=sel,
            final=final,
            selected_cached_final=cached is not None
            and cached.status.is_final
            and sel.lower() not in self._stale,
        )

    def _start_fetch(self, *, force: bool = False) -> bool:
        if self.schedule.in_flight or (self.schedule.paused and not force):
            return False
        self.schedule.started()
        self._gen_started += 1
        self._render_status()
        self._fetch(self._request())
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="monitor-poll")
    def _fetch(self, request: mon.FetchRequest) -> None:
        try:
            snap = mon.fetch_round(self.context.azure, request)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a back-off
            self.post_message(self.FetchFailed(_translate(exc)))
        else:
            self.post_message(self.Fetched(snap))

    def _finished(self, delay: float) -> None:
        self._gen_done += 1
        if self._done_event is not None:
            self._done_event.set()
            self._done_event = asyncio.Event()
        if self._again:
            self._again = False
            delay = min(delay, 0.0) if not self.schedule.last_error else delay
        self._arm(delay)
        self._render_status()

    async def refresh_once(self) -> None:
        """Fetch now and wait for the result to be shown (tests; also ``r``)."""
        if self.schedule.in_flight:
            self._again = True
            need = self._gen_started + 1
        else:
            self._start_fetch(force=True)
            need = self._gen_started
        while self._gen_done < need:
            event = self._done_event
            assert event is not None
            await event.wait()

    @on(Fetched)
    def _on_fetched(self, message: Fetched) -> None:
        now = self.now()
        delay = self.schedule.succeeded(now)
        with self.app.batch_update():
            self._apply(message.snapshot, now)
        if message.snapshot.errors:
            mid, text = message.snapshot.errors[0]
            self.last_note = f"{mid.rsplit('/', 1)[-1]}: {text}"
        self._finished(delay)

    @on(FetchFailed)
    def _on_fetch_failed(self, message: FetchFailed) -> None:
        delay = self.schedule.failed(message.error)
        self.last_note = message.error.message
        self._finished(delay)

    def _apply(self, snap: mon.Snapshot, now: datetime) -> None:
        if snap.detail is not None:
            d = snap.detail
            self.details[d.id.lower()] = d
            self.history.add(d, now.timestamp())
            if not d.status.is_final:
                self._stale.discard(d.id.lower())  # the retry took: polled as usual again
        for s in snap.summaries:
            key = s.id.lower()
            self.rows[key] = mon.MigrationRow(s, mon.bucket_of(s.status, self.details.get(key)))
        if not self.show_all:
            wanted = {i.lower() for i in self.migration_ids}
            for k in [k for k in self.rows if k not in wanted]:
                del self.rows[k]
        self._render_list(now)
        self._render_detail()
        self._forward_to_dialog()

    # ------------------------------------------------------------------ rendering

    def _row_sort_value(self, key: str, col: int) -> Any:
        row = self.rows.get(key)
        return None if row is None else mon.sort_value(row, col, self.now())

    def _render_list(self, now: datetime | None = None) -> None:
        now = now or self.now()
        table = self.query_one("#migrations", KeyedTable)
        visible = {
            k: r
            for k, r in self.rows.items()
            if mon.row_matches(r, self.filter_text, self.state_filter)
        }
        self._visible = set(visible)
        table.sync({k: r.cells(now) for k, r in visible.items()})
        counts = mon.count_buckets(r.bucket for r in self.rows.values())
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
        if detail is None or not detail.status.is_final:
            if self.schedule.in_flight:
                self._again = True
            else:
                self._arm(0)

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
        title = self.query_one("#detail-title", Static)
        d = self.selected
        row = self.rows.get(self.selected_id)
        backup_pane = self.query_one(BackupPane)
        tables_pane = self.query_one(TablesPane)
        if d is None:
            backup_pane.add_class("-hidden")
            tables_pane.add_class("-hidden")
            title.update(
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
        backup_pane.set_class(sqldb, "-hidden")
        tables_pane.set_class(not sqldb, "-hidden")
        mode = "offline" if not d.online else "online"
        pct = mon.table_totals(d.tables).percent if sqldb else _restore_percent(d)
        ready = ""
        if not sqldb and d.online and not d.status.is_final:
            ready = self._readiness(d)
        title.update(
            f"{d.source_database} → {d.target_name}/{d.target_database} · "
            f"{d.kind.value} {mode} · {d.status}{ready}\n{mon.bar(pct, 30)}"
        )
        if sqldb:
            tables_pane.show(d)
        else:
            backup_pane.show(d, self.history.restore_times(d.id))
        pending = self.query_one("#spark-pending", SparklinePanel)
        pending.set_class(sqldb, "-hidden")
        pending.show(self.history.pending(d.id))
        rate = self.query_one("#spark-rate", SparklinePanel)
        rate.fmt = (lambda v: f"{v:,.0f} rows/s") if sqldb else (lambda v: f"{mon.fmt_bytes(v)}/s")
        rate.show(self.history.throughput(d.id))

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
        self.query_one("#monitor-status", Static).update(text)

    def note(self, text: str) -> None:
        self.last_note = text
        self._render_status()

    # ------------------------------------------------------------------ keys: view

    def action_refresh_now(self) -> None:
        if self.schedule.in_flight:
            self._again = True
        else:
            self._start_fetch(force=True)

    def action_toggle_pause(self) -> None:
        self.schedule.paused = not self.schedule.paused
        if self.schedule.paused:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
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

    def action_sort(self) -> None:
        focused = self.focused
        table = (
            focused
            if isinstance(focused, KeyedTable)
            else self.query_one("#migrations", KeyedTable)
        )
        table.cycle_sort()
        self.note(
            f"Sorted by {table.column_names[table.sort_column or 0]} "
            "(o: next column, click a header to reverse)"
        )

    def action_toggle_all(self) -> None:
        if not self.service_id:
            self.note("No DMS instance known for this project: can't list its other migrations.")
            return
        if not self.migration_ids:
            self.note("Showing every migration of the DMS instance.")
            return
        self.show_all = not self.show_all
        self._apply(mon.Snapshot((), None), self.now())
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

    # ------------------------------------------------------------------ actions

    def _need_selected(self) -> MigrationDetail | None:
        """The highlighted, visible migration an action applies to; None (and why) else."""
        d = self.selected
        if d is None:
            if self.rows and not self._visible:
                self.note(f"Nothing done. {self._hidden_text()}")
            elif not self.rows:
                self.note("Nothing done: no migration to act on yet.")
            else:
                self.note(
                    "Nothing done: select a migration first (its detail may still be loading)."
                )
        return d

    def action_cutover(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = mon.can_open_cutover(d)
        if not allowed.ok:
            self.note(f"Cutover not possible: {allowed.reason}")
            return
        from screens.cutover import CutoverScreen

        def done(outcome: str | None) -> None:
            if outcome:
                self.notes.append(outcome)
                self.note(outcome)
                self.action_refresh_now()

        self.app.push_screen(CutoverScreen(d, source=self.source_params(d), clock=self.now), done)

    def _forward_to_dialog(self) -> None:
        from screens.cutover import CutoverScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, CutoverScreen):
                d = self.details.get(screen.migration_id.lower())
                if d is not None:
                    screen.show_detail(d)

    def source_params(self, detail: MigrationDetail) -> SourceParams:
        src = dict(getattr(self.project, "source", {}) or {})
        if src.get("server"):
            known = {
                "server",
                "port",
                "authentication",
                "user",
                "encrypt",
                "trust_server_certificate",
            }
            params = SourceParams(**{k: v for k, v in src.items() if k in known})
            params.password = self._source_password
            return params
        sandbox = getattr(self.context, "sandbox", None)
        if sandbox is not None and getattr(sandbox, "source_address", None):
            return SourceParams(server=sandbox.source_address)
        return SourceParams(server=detail.source_server, authentication="windows")

    def with_source(self, detail: MigrationDetail, then: Callable[[SourceParams], None]) -> None:
        """Call ``then`` with the source's connection, asking for the password first when
        SQL authentication needs one this session."""
        params = self.source_params(detail)
        if (
            getattr(self.context, "sandbox", None) is not None
            or params.authentication != "sql"
            or params.password
        ):
            then(params)
            return
        from widgets.secrets_prompt import SecretsPrompt

        def got(values: dict | None) -> None:
            if values and values.get("source_password"):
                self._source_password = values["source_password"]
                then(self.source_params(detail))
            else:
                self.note(
                    "No password: run the T-SQL on the source yourself (shown in the "
                    "cutover dialog), or press the key again."
                )

        self.app.push_screen(
            SecretsPrompt(["source_password"], {"source_password": params.server}), got
        )

    def action_log_backup(self) -> None:
        from tui.log_backup import is_running, new_file_name

        d = self._need_selected()
        if d is None:
            return
        if d.kind == TargetKind.SQL_DB or not d.online or d.status.is_final:
            self.note("Log backups matter only for online MI/VM migrations still in progress.")
            return
        if is_running(d.source_database):
            self.note(
                f"A log backup of {d.source_database} is already running: wait until it "
                "has finished."
            )
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        name = new_file_name(d.source_database, self.now())

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.with_source(d, lambda params: go(params))

        def go(params: SourceParams) -> None:
            if is_running(d.source_database):
                self.note(f"A log backup of {d.source_database} is already running.")
                return
            self.note(f"Taking a log backup of {d.source_database} into {name}…")
            self._take_backup(d, params, name)

        self.app.push_screen(
            ConfirmModal(
                f"Take a log backup of {d.source_database} (migration {route(d)}) now?\n\n"
                f"File: {name}\n\nThe database stays online; DMS restores the file once it has "
                "listed it.",
                yes="Take backup",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=False, exit_on_error=False, group="monitor-backup")
    def _take_backup(self, detail: MigrationDetail, params: SourceParams, name: str) -> None:
        from tui.log_backup import take_log_backup

        try:
            result: BackupResult = take_log_backup(self.context, detail, params, name)
        except Exception as exc:  # noqa: BLE001
            err = _translate(exc)
            extra = ""
            if err.code != "LogBackupRunning":
                from tui.log_backup import manual_statement

                extra = manual_statement(self.context, detail, name)
            self.post_message(self.ActionFailed(err, extra))
        else:
            where, _, file = result.url.replace("\\", "/").rpartition("/")
            self.post_message(
                self.ActionDone(
                    f"Log backup of {detail.source_database} taken: {file} (in …/"
                    f"{'/'.join(where.rsplit('/', 2)[-2:])})"
                )
            )

    def action_validate(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        from screens.validation import ValidationScreen

        counts = self.context.source_counts.get(d.id.lower())

        def count(params: SourceParams) -> None:
            self.ask_target_login(
                d,
                params,
                lambda login: self.app.push_screen(
                    ValidationScreen(
                        d,
                        params,
                        export_folder=self.export_folder,
                        target_login=login,
                        source_counts=counts,
                    )
                ),
            )

        if counts is not None:
            count(self.source_params(d))  # counted before the tail-log: not read again
        else:
            self.with_source(d, count)

    def ask_target_login(
        self, detail: MigrationDetail, source: SourceParams, then: Callable[[SourceParams], object]
    ) -> None:
        """Ask which login counts rows on the target (Enter accepts what is shown: the
        login typed earlier this session, else the source's user); kept in memory only."""
        from screens.target_login import TargetLoginScreen

        logins = self.context.target_logins
        key = (detail.target_id or detail.target_name).lower()
        shown = logins.get(key) or SourceParams(
            server="",
            user=source.user,
            authentication="entra" if source.authentication == "entra" else "sql",
        )
        entra = getattr(self.context, "credential", None) is not None

        def got(login: SourceParams | None) -> None:
            if login is None:
                self.note("Validation not started: no target login.")
                return
            logins[key] = login
            then(login)

        self.app.push_screen(
            TargetLoginScreen(detail.target_name or "the target", shown, entra=entra), got
        )

    def action_export(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        self._export(
            d,
            self.now().strftime("%Y%m%d-%H%M%S"),
            list(self.notes),
            self.history.restore_times(d.id),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="monitor-export")
    def _export(
        self, detail: MigrationDetail, stamp: str, notes: list[str], restore_times: dict
    ) -> None:
        from tui.export import export_migration

        try:
            paths = export_migration(
                detail,
                folder=self.export_folder,
                stamp=stamp,
                notes=notes,
                restore_times=restore_times,
            )
        except OSError as exc:
            self.post_message(
                self.ActionFailed(
                    DmsTuiError(
                        f"Could not write the export: {exc}",
                        code="ExportFailed",
                        hint="Check the folder exists and is writable.",
                    ),
                    "",
                )
            )
        else:
            self.post_message(
                self.ActionDone(
                    f"Exported {', '.join(p.name for p in paths)} to {paths[0].parent}",
                    refresh=False,
                )
            )

    def action_cancel_migration(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = mon.can_cancel(d)
        if not allowed.ok:
            self.note(f"Can't cancel: {allowed.reason}")
            return
        from screens.cancel_migration import CancelMigrationScreen
        from tui.cutover import route

        def done(reason: str | None) -> None:
            if reason is not None:
                self.notes.append(f"Cancel of {route(d)} asked: {reason}")
                self.note(f"Canceling {route(d)}…")
                self._run_action("cancel", d.id, reason)

        self.app.push_screen(CancelMigrationScreen(route(d)), done)

    def action_retry(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = mon.can_retry(d)
        if not allowed.ok:
            self.note(f"Can't retry: {allowed.reason}")
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                self.note(f"Retrying {route(d)}…")
                self._run_action("retry", d.id, "")

        self.app.push_screen(
            ConfirmModal(
                f"Retry the migration {route(d)}? Azure copies again the tables that did not "
                "finish; the finished ones stay.",
                yes="Retry",
            ),
            done,
        )

    def action_delete(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = mon.can_delete(d)
        if not allowed.ok:
            self.note(f"Can't delete: {allowed.reason}")
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                self._run_action("delete", d.id, "")

        self.app.push_screen(
            ConfirmModal(
                f"Delete the migration record {route(d)} ({d.status})? The database on the "
                "target stays; only the migration's history in Azure goes.",
                yes="Delete",
            ),
            done,
        )

    def _run_action(self, what: str, migration_id: str, reason: str) -> None:
        if what in self._busy:
            self.note(f"{what.title()} is already running.")
            return
        self._busy.add(what)
        self._action_worker(what, migration_id, reason)

    @work(thread=True, exclusive=False, exit_on_error=False, group="monitor-action")
    def _action_worker(self, what: str, migration_id: str, reason: str) -> None:
        from tui.cutover import route
        from tui.writes import WriteFailed, accepted_text

        c = self.context.azure
        name = migration_id.rsplit("/", 1)[-1]
        try:
            if what == "cancel":
                d = c.cancel_migration(migration_id)
                text = accepted_text(f"the cancel of {name}", f"{route(d)} is {d.status}")
                if reason:
                    text += f" Reason: {reason}."
            elif what == "retry":
                d = c.retry_migration(migration_id)
                self.post_message(
                    self.ActionDone(
                        accepted_text(f"the retry of {name}", f"{route(d)} is {d.status}"),
                        busy=what,
                        reread=migration_id,
                    )
                )
                return
            else:
                c.delete_migration(migration_id)
                self.post_message(
                    self.ActionDone(
                        accepted_text(f"the deletion of {name}", "the migration no longer exists"),
                        busy=what,
                        forget=migration_id,
                    )
                )
                return
        except WriteFailed as exc:
            # what Azure holds after the error decides: its state is re-read below
            self.post_message(
                self.ActionFailed(
                    exc, "", busy=what, reread=migration_id if exc.accepted is not False else ""
                )
            )
        except Exception as exc:  # noqa: BLE001
            self.post_message(self.ActionFailed(_translate(exc), "", busy=what))
        else:
            self.post_message(self.ActionDone(text, busy=what))

    def _forget(self, migration_id: str) -> None:
        key = migration_id.lower()
        self.migration_ids = tuple(i for i in self.migration_ids if i.lower() != key)
        self.rows.pop(key, None)
        self.details.pop(key, None)
        if self.selected_id == key:
            self.selected_id = ""
        self._render_list()
        project = self.project
        ids = list(getattr(project, "migration_ids", None) or [])
        if project is not None and any(i.lower() == key for i in ids):
            # saved too, so the deleted migration does not come back on the next run
            project.migration_ids = [i for i in ids if i.lower() != key]
            import copy

            self._save_project(
                copy.deepcopy(project), migration_id, getattr(self.app, "project_lock", None)
            )

    @dataclass
    class ProjectSaved(Message):
        text: str
        ok: bool

    @work(thread=True, exclusive=True, exit_on_error=False, group="monitor-project")
    def _save_project(self, project: Any, deleted: str, lock: Any) -> None:
        from tui.projects import save_project

        try:
            path = save_project(project, lock=lock, forget=(deleted,))
        except (OSError, DmsTuiError) as exc:
            self.post_message(
                self.ProjectSaved(
                    f"The project file could not be saved ({exc}); the deleted migration may "
                    "show again next time.",
                    False,
                )
            )
        else:
            self.post_message(self.ProjectSaved(f"Removed from the project ({path.name}).", True))

    @on(ProjectSaved)
    def _on_project_saved(self, message: ProjectSaved) -> None:
        self.note(f"{self.last_note} {message.text}".strip())
        if not message.ok:
            self.app.notify(
                message.text,
                title="Project not saved",
                severity="warning",
                timeout=15,
                markup=False,
            )

    @on(ActionDone)
    def _on_action_done(self, message: ActionDone) -> None:
        self._busy.discard(message.busy)
        if message.forget:
            self._forget(message.forget)
        if message.reread:
            self._stale.add(message.reread.lower())
        self.note(message.text)
        if message.refresh:
            self.action_refresh_now()

    @on(ActionFailed)
    def _on_action_failed(self, message: ActionFailed) -> None:
        self._busy.discard(message.busy)
        text = message.error.full_text
        if message.extra:
            text += f"\nRun it yourself on the source:\n{message.extra}"
        if message.reread:
            self._stale.add(message.reread.lower())
        accepted = getattr(message.error, "accepted", False)
        title = {None: "Outcome unknown", True: "Accepted, not read back"}.get(accepted, "Not done")
        self.note(text)
        self.app.notify(text, title=title, severity="error", timeout=15, markup=False)
        self.action_refresh_now()  # show what Azure holds now


def _restore_percent(d: MigrationDetail) -> float:
    total = sum(f.total_size or 0 for f in d.backup_files)
    if not total:
        return 100.0 if d.status == MigrationState.SUCCEEDED else 0.0
    done = sum(
        f.total_size or 0
        for f in d.backup_files
        if (f.status or "").lower() in ("restored", "skipped", "ignored")
    )
    return 100.0 * done / total
