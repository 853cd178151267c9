"""Post-cutover validation: row counts per table, source against target, mismatches first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
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
        Binding("r", "run", "Count again", id="validation.run"),
        Binding("e", "export", "Export", id="validation.export"),
        Binding("escape", "back", "Back", id="validation.back"),
    ]

    @dataclass
    class Counted(Message):
        report: ValidationReport

    @dataclass
    class Failed(Message):
        error: DmsTuiError

    @dataclass
    class Exported(Message):
        text: str

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

    def compose_body(self) -> ComposeResult:
        d = self.detail
        yield Static(
            f"Row counts: {d.source_database} (source) against "
            f"{d.target_name}/{d.target_database} (target)",
            id="validation-title",
            markup=False,
        )
        yield Static("Counting rows on both sides…", id="validation-summary", markup=False)
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
        self.query_one("#validation-summary", Static).update("Counting rows on both sides…")
        self._count()

    @work(thread=True, exclusive=True, exit_on_error=False, group="validation")
    def _count(self) -> None:
        from tui.row_validation import validate

        ctx = self.app.context
        try:
            fqdn = next(
                (
                    t.fqdn
                    for t in ctx.azure.list_targets(self.detail.kind)
                    if t.id.lower() == self.detail.target_id.lower()
                ),
                "",
            )
            if not fqdn:
                raise DmsTuiError(
                    "The target server's address is not known.",
                    code="NoTargetAddress",
                    hint="Check the target still exists in Azure.",
                )
            target = replace(self.target_login or self.source_params, server=fqdn, port=1433)
            report = validate(
                ctx, self.detail, self.source_params, target, source_counts=self.source_counts
            )
        except Exception as exc:  # noqa: BLE001
            from tui.azure_errors import translate

            self.post_message(self.Failed(exc if isinstance(exc, DmsTuiError) else translate(exc)))
        else:
            self.post_message(self.Counted(report))

    @on(Counted)
    def _show(self, message: Counted) -> None:
        report = self.report = message.report
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

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#validation-summary", Static).update(
            "Could not count rows: " + message.error.full_text
        )

    def action_export(self) -> None:
        if self.report is None:
            self.notify("Nothing counted yet.")
            return
        from tui.monitoring import default_clock

        stamp = default_clock(getattr(self.app.context, "sandbox", None))()
        self._export(self.report, stamp.strftime("%Y%m%d-%H%M%S"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="validation-export")
    def _export(self, report: ValidationReport, stamp: str) -> None:
        from tui.export import export_migration

        try:
            paths = export_migration(self.detail, report, folder=self.export_folder, stamp=stamp)
            self.post_message(
                self.Exported(f"Exported to {paths[0].parent}: " + ", ".join(p.name for p in paths))
            )
        except OSError as exc:
            self.post_message(self.Exported(f"Could not write the export: {exc}"))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.query_one("#validation-summary", Static).update(message.text)

    def action_back(self) -> None:
        self.app.pop_screen()


def _n(value: int | None) -> str:
    return "missing" if value is None else f"{value:,}"
