"""The Azure SQL Database detail: tables done of all tables, rows copied of rows read, what is
left, and every table's progress — failed and in-flight tables first, a filter over them.

Made for 20,000 tables: a refresh compares each table with what it showed and rewrites only
the rows that changed; the rows are drawn only where they are seen (``VirtualTable``); the
order is worked out again only when a table changed state (or the sorted column changed).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.models import MigrationDetail, TableProgress
from tui.monitoring.problem import problem_text
from tui.monitoring.table_changes import TableChanges, changes_for
from tui.monitoring.table_order import RankOrder
from tui.monitoring.tables import (
    RANK_FAILED,
    TABLE_COLUMNS,
    TABLE_WIDTHS,
    TableTotals,
    estimate_text,
    same_progress,
    table_cells,
    table_columns,
    table_matches,
    table_rank,
    table_sort_value,
    totals_of,
)
from widgets.quiet_text import write_text
from widgets.virtual_table import VirtualTable


def _failed(t: TableProgress) -> bool:
    return table_rank(t.status) == RANK_FAILED


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
    TablesPane > #table-filter {
        height: 1;
        border: none;
        padding: 0 1;
        margin: 0 1;
        background: $boost;
    }
    TablesPane > #table-filter.-hidden {
        display: none;
    }
    """

    BINDINGS = [
        Binding("slash", "filter_tables", "Find table", id="monitor.tables_filter"),
        Binding("escape", "close_filter", "Clear filter", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tables: dict[str, TableProgress] = {}  # by name, as last shown
        self._index: dict[str, int] = {}  # where Azure lists each table
        self._ranked = RankOrder()  # the order until the DBA sorts
        self._words: tuple[str, ...] = ()
        self._shown: MigrationDetail | None = None
        self._texts: dict[str, str] = {}
        self.totals: TableTotals | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="totals", markup=False)
        yield Static("", classes="problem -empty", markup=False)
        yield Input(
            placeholder="find tables: text in the name or state (Enter: keep, Esc: clear)",
            id="table-filter",
            classes="-hidden",
            disabled=True,
        )
        yield VirtualTable(
            TABLE_COLUMNS,
            cells=table_cells,
            widths=TABLE_WIDTHS,
            on_sort=self._reorder,
            alert=_failed,
            id="table-progress",
        )

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def set_width(self, width: int) -> None:
        self.table.show_columns(table_columns(width))

    def _text(self, selector: str, text: str) -> None:
        """Write ``text`` to the Static only when it differs (a rewrite costs a layout)."""
        old = self._texts.get(selector)
        if old != text:
            self._texts[selector] = text
            write_text(self.query_one(selector, Static), old, text)

    def show(self, detail: MigrationDetail, tables_per_second: float | None = None) -> None:
        """Show ``detail``'s tables; ``tables_per_second``: the rate at which this session saw
        tables finish (for the estimate)."""
        totals = self.totals = totals_of(detail)
        estimate = estimate_text(totals, tables_per_second, detail.status.is_final)
        self._text(".totals", "\n".join((*totals.lines(), *([estimate] if estimate else []))))
        problem = problem_text(detail)
        self._text(".problem", problem)
        self.query_one(".problem", Static).set_class(not problem, "-empty")
        if detail is self._shown:
            self.table.updates = 0  # the same answer again: nothing written
            return
        changes = changes_for(detail)
        if (
            changes is not None
            and changes.base is self._shown
            and len(self._tables) == len(detail.tables)
        ):
            self._shown = detail
            self._sync_changed(changes)  # counted on the worker
            return
        self._shown = detail
        self._sync(detail.tables)

    def _sync_changed(self, changes: TableChanges) -> None:
        """Rewrite the tables that moved since the detail shown (the same tables, in the
        same order), as the worker counted them (``table_changes``)."""
        changed = changes.changed
        self._tables.update(changed)
        index, ranked = self._index, self._ranked
        reorder = self.table.sort_column is not None and bool(changed)
        for t in changes.restated:
            reorder = ranked.put(t.name, table_rank(t.status), index[t.name]) or reorder
        self.table.show(changed, self._order() if reorder else None)

    def _sync(self, tables: tuple[TableProgress, ...]) -> None:
        known, index, ranked = self._tables, self._index, self._ranked
        changed: dict[str, TableProgress] = {}
        reorder = False
        sc = self.table.sort_column
        for i, t in enumerate(tables):
            name = t.name
            old = known.get(name)
            if old is not None and same_progress(old, t):
                continue
            known[name] = t
            if old is None:
                index[name] = i
                ranked.put(name, table_rank(t.status), i)
                reorder = True
            elif old.status != t.status:
                reorder = ranked.put(name, table_rank(t.status), index[name]) or reorder
            if sc is not None:
                reorder = True
            changed[name] = t  # shown or not: its text is made only when drawn
        removed: list[str] = []
        if len(known) != len(tables):
            names = {t.name for t in tables}
            removed = [k for k in known if k not in names]
            for k in removed:
                del known[k]
                index.pop(k, None)
                ranked.drop(k)
            reorder = True
        self.table.show(changed, self._order() if reorder else None, removed)

    def _order(self) -> list[str]:
        """The names shown, in order: the DBA's sort, or failed, in flight, waiting, done,
        each as Azure lists them (kept in order as tables change: ``RankOrder``). Sort
        values are worked out only here."""
        sc = self.table.sort_column
        if sc is None:
            names = self._ranked.names()
            if self._words:
                tables, words = self._tables, self._words
                names = [n for n in names if table_matches(tables[n], words)]
            return names
        rows: Iterable[TableProgress] = self._tables.values()
        if self._words:
            rows = [t for t in rows if table_matches(t, self._words)]
        ranked = sorted(
            rows, key=lambda t: table_sort_value(t, sc), reverse=self.table.sort_reverse
        )
        return [t.name for t in ranked]

    def _reorder(self) -> None:
        self.table.show({}, self._order())

    # ------------------------------------------------------------------ the filter

    def action_filter_tables(self) -> None:
        box = self.query_one("#table-filter", Input)
        box.disabled = False
        box.remove_class("-hidden")
        box.focus()

    def action_close_filter(self) -> None:
        box = self.query_one("#table-filter", Input)
        if box.has_class("-hidden"):
            raise SkipAction()  # nothing to close: Esc means what the screen says
        box.value = ""
        self._filter("")
        box.add_class("-hidden")
        box.disabled = True
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()
        if not event.value.strip():
            event.input.add_class("-hidden")
            event.input.disabled = True

    def _filter(self, text: str) -> None:
        words = tuple(text.lower().split())
        if words == self._words:
            return
        self._words = words
        self.table.show({}, self._order())
        self.table.move_cursor(0)

    @property
    def filter_text(self) -> str:
        return " ".join(self._words)
