"""A DataTable kept in step with a model by key: only changed cells are touched.

``sync(rows)`` takes ``{row key: (cell text, ...)}`` in any order: rows no longer present
are removed, new ones added, and only the cells whose text changed are updated — never
``clear()`` and refill, so the cursor and the scroll position survive every refresh.
Cells carry a sort value (a number for "1,234" or "52%"), worked out for the sorted column
only, when sorting, so sorting is numeric where it should be. Sorting happens once per
sync, and only when something it depends on changed.
The sorted column's header carries ▲ (ascending) or ▼ (descending); that column widens to
show it when its fixed width is too narrow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey


class SortableText(Text):
    """Rich text that remembers the raw value it shows, for sorting."""

    def __init__(self, text: str, value: Any, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.value = value


def _sort_key(cell: Any) -> Any:
    value = getattr(cell, "value", cell)
    # mixed types (None, numbers, text) sort without raising
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value).lower())


class KeyedTable(DataTable):
    """``DataTable`` with ``sync`` (keyed, in-place updates) and a sort state."""

    DEFAULT_CSS = """
    KeyedTable {
        height: 1fr;
    }
    """

    def __init__(
        self,
        columns: Sequence[str],
        *,
        widths: Sequence[int | None] = (),
        sort_value: Callable[[str, int], Any] | None = None,
        styler: Callable[[str, int, str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", False)
        super().__init__(**kwargs)
        self.column_names = tuple(columns)
        # fixed widths never need re-measuring (fast with 10,000 rows); None = fit the content
        self.widths = tuple(widths) + (None,) * (len(self.column_names) - len(widths))
        self._sort_value = sort_value
        self._styler = styler
        self._cells: dict[str, tuple[str, ...]] = {}
        self._row_data: dict[str, dict[ColumnKey, Any]] = {}  # each row's cells, by key
        self.sort_column: int | None = None
        self.sort_reverse = False
        self._arrow: tuple[Any, ...] = ()  # the sort the header labels show
        self.updates = 0  # cells written by the last sync (for tests and benchmarks)
        self.shown_columns: tuple[int, ...] = tuple(range(len(self.column_names)))

    def on_mount(self) -> None:
        if not self.columns:
            for i in self.shown_columns:
                self.add_column(self.column_names[i], width=self.widths[i], key=f"c{i}")
            self._arrow = ()
            if self.sort_column is not None:
                self._show_arrow()

    def show_columns(self, visible: Sequence[int]) -> None:
        """Show only the columns ``visible`` (indexes into ``column_names``), e.g. a compact
        layout on a narrow terminal. Rebuilds the rows from the model; the cursor stays on
        the same key. Nothing happens when the set is unchanged."""
        visible = tuple(i for i in range(len(self.column_names)) if i in set(visible))
        if visible == self.shown_columns:
            return
        self.shown_columns = visible
        if not self.columns:
            return  # not mounted yet: on_mount adds the visible columns
        keep = self.selected_key
        self.clear(columns=True)
        self.on_mount()
        cells, self._cells, self._row_data = self._cells, {}, {}
        if self.sort_column is not None and self.sort_column not in visible:
            self.sort_column = None
        self.sync(cells)
        if keep is not None:
            self.select_key(keep)

    def _cell(self, key: str, col: int, text: str) -> SortableText:
        # the sort value is worked out when the table is sorted by this column, not per cell
        style = self._styler(key, col, text) if self._styler else ""
        return SortableText(text, text, style=style)

    @property
    def keys(self) -> list[str]:
        return list(self._cells)

    def sync(self, rows: Mapping[str, Sequence[str]]) -> bool:
        """Make the table show ``rows``; ``True`` when anything changed.

        Changed cells are written in one batch: only those cells are drawn again, and only
        where they are on screen (a row that changed out of sight costs no frame)."""
        if not self.columns:
            self.on_mount()
        changed_sort = False
        writes = 0
        stale = [k for k in self._cells if k not in rows]
        for k in stale:
            self.remove_row(k)
            del self._cells[k]
            self._row_data.pop(k, None)
        sc = self.sort_column
        shown = self.shown_columns
        # the table's own key objects: a dict finds them by identity, without comparing
        columns = {int(k.value[1:]): k for k in self.columns if k.value}
        known, row_data = self._cells, self._row_data
        changed: dict[str, list[int]] = {}
        measure = False
        for key, cells in rows.items():
            old = known.get(key)
            if old is None:
                cells = tuple(cells)
                row_key = self.add_row(*(self._cell(key, i, cells[i]) for i in shown), key=key)
                row_data[key] = self._data[row_key]
                writes += len(shown)
                changed_sort = True
            elif old != cells:
                cells = tuple(cells)
                if old == cells:
                    continue
                data = row_data[key]
                written = []
                for i in shown:
                    b = cells[i]
                    if old[i] == b:
                        continue
                    data[columns[i]] = self._cell(key, i, b)
                    written.append(i)
                    if self.widths[i] is None:
                        self._updated_cells.add(CellKey(RowKey(key), columns[i]))
                        measure = True
                    if i == sc:
                        changed_sort = True
                writes += len(written)
                changed[key] = written
            else:
                continue
            known[key] = cells
        self.updates = writes
        if changed:
            self._repaint_cells(changed, measure)
        if changed_sort and sc is not None:
            self._apply_sort()
        return bool(stale or writes)

    def _repaint_cells(self, changed: dict[str, list[int]], measure: bool) -> None:
        """Draw again the cells ``sync`` wrote (``{row key: [column, ...]}``) and nothing
        else: their drawings are dropped from the table's caches, the other cells' kept, and
        only the changed cells on screen are repainted. (``DataTable.update_cell`` drops
        every drawing and repaints the whole widget for each cell.)"""
        if measure:  # a column may change width: everything is drawn again
            self._update_count += 1
            self._require_update_dimensions = True
            self.refresh()
            return
        index = {k: int(k.value[1:]) for k in self.columns if k.value}
        cell_cache = self._cell_render_cache
        for cache_key in list(cell_cache.keys()):
            row_key, column_key = cache_key[0], cache_key[1]
            cols = changed.get(row_key.value or "")
            if cols is not None and index.get(column_key) in cols:
                cell_cache.discard(cache_key)
        # the rows and lines are put together again from the cells (cheap)
        self._row_renderable_cache.clear()
        self._row_render_cache.clear()
        self._line_cache.clear()
        spans: dict[int, tuple[int, int]] = {}
        x = 0
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            spans[index[column.key]] = (x, width)
            x += width
        top = self.scroll_offset.y
        visible = max(0, self.scrollable_content_region.height - self.header_height)
        header = self.header_height if self.show_header else 0
        left = self.scroll_offset.x
        for row in range(top, min(top + visible, self.row_count)):
            at = self._row_locations.get_key(row)
            cols = changed.get(at.value or "") if at is not None else None
            if not cols:
                continue
            start = min(spans[i][0] for i in cols)
            end = max(spans[i][0] + spans[i][1] for i in cols)
            self.refresh(Region(start - left, header + row - top, end - start, 1))

    def sort_by(self, column: int, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._apply_sort()

    def cycle_sort(self) -> None:
        order = self.shown_columns or tuple(range(len(self.column_names)))
        if self.sort_column not in order:
            nxt = order[0]
        else:
            nxt = order[(order.index(self.sort_column) + 1) % len(order)]
        self.sort_by(nxt, False)

    def _apply_sort(self) -> None:
        if self.sort_column is None:
            return
        self._show_arrow()
        keep = self.selected_key
        column = ColumnKey(f"c{self.sort_column}")
        if self._sort_value is not None:
            for key, row in self._data.items():
                cell = row.get(column)
                if isinstance(cell, SortableText):
                    cell.value = self._sort_value(key.value or "", self.sort_column)
        self.sort(column, key=_sort_key, reverse=self.sort_reverse)
        if keep is not None:
            self.select_key(keep)

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - cursor outside the rows
            return None

    def select_key(self, key: str) -> None:
        try:
            index = self.get_row_index(key)
        except Exception:  # noqa: BLE001 - not shown (filtered out)
            return
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(self.shown_columns[event.column_index])

    def header_label(self, column: int) -> str:
        """The column's name, with ▲ or ▼ when the table is sorted by it."""
        name = self.column_names[column]
        if column == self.sort_column:
            return f"{name} {'▼' if self.sort_reverse else '▲'}"
        return name

    def _show_arrow(self) -> None:
        """Label every shown column; the sorted one gets room for its arrow. (``sort`` redraws
        the header; a width change is measured when the table is next idle, the way
        ``add_column`` has it measured.)"""
        shown = (self.sort_column, self.sort_reverse, self.shown_columns)
        if shown == self._arrow:
            return
        self._arrow = shown
        for i in self.shown_columns:
            column = self.columns[ColumnKey(f"c{i}")]
            label = self.header_label(i)
            column.label = Text(label)
            if column.auto_width:
                column.content_width = max(column.content_width, cell_len(label))
            else:
                column.width = max(self.widths[i] or 0, cell_len(label))
        self._require_update_dimensions = True
        self.check_idle()
