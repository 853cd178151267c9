"""Post-cutover validation: row counts per table, source against target, mismatches first."""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Static

from screens.base import BaseScreen
from tui.errors import DmsTuiError
from tui.models import MigrationDetail
from tui.row_validation import ValidationReport
from widgets.progress_table import KeyedTable

COLUMNS = ("Table", "Source rows", "Target rows", "Difference", "Match")


class ValidationScreen(BaseScreen):
    CSS_PATH = "validation.tcss"
    BINDINGS = [
        Binding(
            "r",
            "run",
            "Count again",
            id="validation.run",
            tooltip="Count the rows again, source against target",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="validation.export",
            tooltip="Export the row counts to a CSV file",
        ),
        Binding("escape", "back", "Back", id="validation.back", tooltip="Back to the monitor"),
    ]

    def __init__(
        self,
        detail: MigrationDetail,
        source_params: Any,
        *,
        export_folder: Any = None,
        target_login: Any = None,
        source_counts: Any = None,
    ) -> None:
        """``target_login``: the login for the target (``SourceParams``; its server is
        looked up), else the source's; ``source_counts``: the source's counts taken just
        before the tail-log backup (``SourceCounts``), used instead of reading the source."""
        super().__init__()
        self.detail = detail
        self.source_params = source_params
        self.target_login = target_login
        self.source_counts = source_counts
        self.export_folder = export_folder
        self.report: ValidationReport | None = None
        self._phase_text = ""
        self._phase_started: float | None = None  # while counting (monotonic)
        self._ticker: Timer | None = None

    def compose_body(self) -> ComposeResult:
        d = self.detail
        yield Static(
            f"Row counts: {d.source_database} (source) against "
            f"{d.target_name}/{d.target_database} (target)",
            id="validation-title",
            markup=False,
        )
        yield Static("Counting rows on both sides…", id="validation-summary", markup=False)
        # what export did, beside the verdict (never in its place)
        yield Static("", id="validation-export", markup=False)
        yield KeyedTable(COLUMNS, sort_value=self._sort_value, id="validation-table")

    def on_mount(self) -> None:
        self.action_run()

    def _sort_value(self, key: str, col: int):
        if self.report is None:
            return None
        for r in self.report.rows:
            if r.table == key:
                diff = (
                    None
                    if r.source_rows is None or r.target_rows is None
                    else r.target_rows - r.source_rows
                )
                return (r.table.lower(), r.source_rows, r.target_rows, diff, r.matches)[col]
        return None

    def action_run(self) -> None:
        self._phase("Counting rows on both sides")
        self._count()

    def _phase(self, text: str) -> None:
        """What the count is doing, with the time it has taken so far (ticks every second
        until the answer comes, so a long count on 10,000 tables visibly moves on)."""
        self._phase_text = text
        if self._phase_started is None:
            self._phase_started = time.monotonic()
            self._ticker = self.set_interval(1, self._tick)
        self._tick()

    def _tick(self) -> None:
        started = self._phase_started
        if started is None:
            return
        seconds = int(time.monotonic() - started)
        self.query_one("#validation-summary", Static).update(
            f"{self._phase_text}… {seconds} s so far. The footer's keys still work."
        )

    def _phase_done(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        self._ticker = None
        self._phase_started = None

    def _count(self) -> None:
        from tui.row_validation import validate_on_target

        def told(text: str) -> None:  # from the worker thread: hand it to the UI thread
            self.app.call_from_thread(self._phase, text)

        self.run_blocking(
            validate_on_target,
            self.app.context,
            self.detail,
            self.source_params,
            self.target_login,
            source_counts=self.source_counts,
            progress=told,
            on_done=self._show,
            on_error=self._failed,
            group="validation",
        )

    def _show(self, report: ValidationReport) -> None:
        self._phase_done()
        self.report = report
        if not report.compared:
            text = (
                f"Source NOT counted, nothing compared: {report.source_error}\n"
                f"Target alone: {len(report.rows)} tables · {report.target_total:,} rows"
            )
        else:
            bad = report.mismatches
            verdict = "All tables match." if not bad else f"{bad} table(s) DIFFER — listed first."
            text = (
                f"{verdict}  {len(report.rows)} tables · source {report.source_total:,} "
                f"rows · target {report.target_total:,} rows"
            )
            if report.source_counted_at is not None:
                text += (
                    f"\nsource counted at {report.source_counted_at:%H:%M:%S}, {report.source_when}"
                )
        self.query_one("#validation-summary", Static).update(text)
        rows = {}
        for r in report.rows:
            diff = (
                "—"
                if r.source_rows is None or r.target_rows is None
                else f"{r.target_rows - r.source_rows:+,}"
            )
            match = ("yes" if r.matches else "NO") if report.compared else "—"
            source = _n(r.source_rows) if report.compared else "—"
            rows[r.table] = (r.table, source, _n(r.target_rows), diff, match)
        with self.app.batch_update():
            self.query_one(KeyedTable).sync(rows)

    def _failed(self, error: DmsTuiError) -> None:
        self._phase_done()
        self.query_one("#validation-summary", Static).update(
            "Could not count rows: " + error.full_text
        )

    def action_export(self) -> None:
        if self.report is None:
            self.notify("Nothing counted yet.")
            return
        from tui.monitoring.clock import default_clock

        stamp = default_clock(getattr(self.app.context, "sandbox", None))()
        self._export(self.report, stamp.strftime("%Y%m%d-%H%M%S"))

    def _export(self, report: ValidationReport, stamp: str) -> None:
        from tui.export import export_migration

        def write() -> str:
            try:
                paths = export_migration(
                    self.detail, report, folder=self.export_folder, stamp=stamp
                )
            except OSError as exc:
                return f"Could not write the export: {exc}"
            return f"Exported to {paths[0].parent}: " + ", ".join(p.name for p in paths)

        self.run_blocking(
            write,
            on_done=self._exported,
            on_error=lambda error: self._exported(f"Could not export: {error.full_text}"),
            group="validation-export",
        )

    def _exported(self, text: str) -> None:
        self.query_one("#validation-export", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()


def _n(value: int | None) -> str:
    return "missing" if value is None else f"{value:,}"
