"""The monitor's lower half: the selected migration's title line and progress bar, its backup
files (MI/VM) or tables (SQL DB), and the session's charts — or a line saying why there is
nothing to show."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui.models import MigrationDetail, TargetKind
from tui.monitoring.fmt import bar, fmt_bytes
from tui.monitoring.history import History
from tui.monitoring.restore import file_progress, restore_percent
from tui.monitoring.tables import progress_bar, totals_of
from widgets.backup_pane import BackupPane
from widgets.quiet_text import write_text
from widgets.sparkline_panel import SparklinePanel
from widgets.tables_pane import TablesPane


def _rows_per_second(v: float) -> str:
    return f"{v:,.0f} rows/s"


def _bytes_per_second(v: float) -> str:
    return f"{fmt_bytes(v)}/s"


class MigrationDetailView(Vertical):
    DEFAULT_CSS = """
    MigrationDetailView {
        height: 1fr;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title_text = "Select a migration to see its detail."

    def compose(self) -> ComposeResult:
        yield Static("Select a migration to see its detail.", id="detail-title", markup=False)
        yield BackupPane(id="backup-pane", classes="-hidden")
        yield TablesPane(id="tables-pane", classes="-hidden")
        with Horizontal(id="charts"):
            yield SparklinePanel("Pending", fmt=lambda v: f"{v:.0f}", id="spark-pending")
            yield SparklinePanel("Rate", fmt=fmt_bytes, id="spark-rate")

    def set_width(self, width: int) -> None:
        """Compact columns on a narrow terminal."""
        self.query_one(BackupPane).set_width(width)
        self.query_one(TablesPane).set_width(width)

    def _title(self, text: str) -> None:
        """Write the title only when it changed (a rewrite costs a layout and a frame)."""
        if text != self._title_text:
            write_text(self.query_one("#detail-title", Static), self._title_text, text)
            self._title_text = text

    def show_nothing(self, why: str) -> None:
        """No detail to show, and why (loading, filtered out, nothing yet)."""
        self.query_one(BackupPane).add_class("-hidden")
        self.query_one(TablesPane).add_class("-hidden")
        self._title(why)

    def show(
        self, d: MigrationDetail, history: History, readiness: str = "", stall: str = ""
    ) -> None:
        """``readiness``: what the title adds after the state (" · READY", ...); ``stall``:
        the stall detector's words (what to check, the fix), "" when not stalled."""
        sqldb = d.kind == TargetKind.SQL_DB
        backup_pane = self.query_one(BackupPane)
        tables_pane = self.query_one(TablesPane)
        backup_pane.set_class(sqldb, "-hidden")
        tables_pane.set_class(not sqldb, "-hidden")
        mode = "offline" if not d.online else "online"
        progress = progress_bar(totals_of(d)) if sqldb else bar(restore_percent(d), 30)
        # the verdict (READY, caught up, STALLED) after the bar: in sight at 80 columns
        self._title(
            f"{d.source_database} → {d.target_name}/{d.target_database} · "
            f"{d.kind.value} {mode} · {d.status}\n{progress}{readiness}"
        )
        if sqldb:
            tables_pane.show(d, history.tables_rate(d.id))
        else:
            backup_pane.show(
                d,
                history.restore_times(d.id),
                stall=stall,
                progress=file_progress(d, lambda name: history.file_rate(d.id, name)),
            )
        pending = self.query_one("#spark-pending", SparklinePanel)
        pending.set_class(sqldb, "-hidden")
        if not sqldb:
            pending.show(history.pending(d.id))
        rate = self.query_one("#spark-rate", SparklinePanel)
        fmt: Callable[[float], str] = _rows_per_second if sqldb else _bytes_per_second
        rate.fmt = fmt
        # a finished migration copies nothing more: its last rate is not shown as current
        rate.show(history.throughput(d.id), current=not d.status.is_final)
