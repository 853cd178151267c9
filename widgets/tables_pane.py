"""The Azure SQL Database detail: totals, counts by table state, and every table's progress.

Made for 10,000 tables: rows are keyed by table name and only changed cells are written.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.models import MigrationDetail, TableProgress
from tui.monitoring.problem import problem_text
from tui.monitoring.tables import (
    TABLE_COLUMNS,
    TableTotals,
    table_cells,
    table_columns,
    table_sort_value,
    table_totals,
)
from widgets.progress_table import KeyedTable


class TablesPane(Vertical):
    DEFAULT_CSS = """
    TablesPane {
        height: 1fr;
    }
    TablesPane > .totals {
        height: auto;
        padding: 0 1;
    }
    TablesPane > .problem {
        height: auto;
        padding: 0 1;
        color: $error;
        text-style: bold;
    }
    TablesPane > .problem.-empty {
        display: none;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tables: dict[str, TableProgress] = {}
        self.totals: TableTotals | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="totals", markup=False)
        yield Static("", classes="problem -empty", markup=False)
        yield KeyedTable(
            TABLE_COLUMNS,
            widths=(None, 17, 12, 12, 13, 8, 7),
            sort_value=self._sort_value,
            id="table-progress",
        )

    def set_width(self, width: int) -> None:
        self.query_one(KeyedTable).show_columns(table_columns(width))

    def _sort_value(self, key: str, col: int):
        t = self._tables.get(key)
        return None if t is None else table_sort_value(t, col)

    def show(self, detail: MigrationDetail) -> None:
        self._tables = {t.name: t for t in detail.tables}
        totals = self.totals = table_totals(detail.tables)
        states = "  ".join(f"{name} {n:,}" for name, n in totals.by_status) or "no tables yet"
        self.query_one(".totals", Static).update(
            f"Rows {totals.rows_copied:,} of {totals.rows_read:,} ({totals.percent:.0f}%), "
            f"{totals.tables:,} tables\n{states}"
        )
        problem = problem_text(detail)
        p = self.query_one(".problem", Static)
        p.update(problem)
        p.set_class(not problem, "-empty")
        self.query_one(KeyedTable).sync({t.name: table_cells(t) for t in detail.tables})
