"""A table that draws only the rows on screen, for lists of tens of thousands of rows.

The owner gives the rows by key (any object; ``cells`` turns one into its text) and the order
to show them in (``show``); the table keeps them, makes the text of the rows in its window
only, line by line, and repaints only the rows on screen that changed. Adding 20,000 rows
costs storing them; a refresh that changes rows out of sight costs no text and no frame.
The cursor stays on its line when the order changes underneath (the DBA watches the top of
a list that moves).

Columns have fixed widths, but for the first, which shows the key and takes what it needs
of the room left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class VirtualTable(ScrollView, can_focus=True):
    """Rows by key, in the order given, drawn only where they are seen."""

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    VirtualTable > .virtual-table--header {
        text-style: bold;
        background: $panel;
    }
    VirtualTable > .virtual-table--cursor {
        background: $block-cursor-blurred-background;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    VirtualTable > .virtual-table--failed {
        color: $error;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--failed",
    }

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    def __init__(
        self,
        columns: Sequence[str],
        *,
        cells: Callable[[Any], tuple[str, ...]],
        widths: Sequence[int | None] = (),
        on_sort: Callable[[], None] | None = None,
        alert: Callable[[Any], bool] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.column_names = tuple(columns)
        self.widths = tuple(widths) + (None,) * (len(self.column_names) - len(widths))
        self.shown_columns: tuple[int, ...] = tuple(range(len(self.column_names)))
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.cursor_row = 0
        self.updates = 0  # rows written by the last ``show`` (tests and benchmarks)
        self._on_sort = on_sort
        self._alert = alert  # rows drawn in the alert style (a failed table)
        self._make_cells = cells
        self._rows: dict[str, Any] = {}
        self._order: list[str] = []
        self._first_width = max((cell_len(c) for c in self.column_names[:1]), default=0)
        self._cache: dict[str, Strip] = {}  # key -> drawn row (not the cursor's)

    # ------------------------------------------------------------------ the model

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def keys(self) -> list[str]:
        """The keys in the order shown."""
        return list(self._order)

    def key_at(self, index: int) -> str | None:
        return self._order[index] if 0 <= index < len(self._order) else None

    def cell_text(self, key: str, column: int) -> str:
        return self._make_cells(self._rows[key])[column]

    @property
    def selected_key(self) -> str | None:
        return self.key_at(self.cursor_row)

    def show(
        self,
        changed: Mapping[str, Any],
        order: Sequence[str] | None = None,
        removed: Iterable[str] = (),
    ) -> bool:
        """Store ``changed`` rows, forget ``removed`` ones, and show the rows in ``order``
        (None: the order stays). Repaints what is on screen and changed; ``True`` when
        anything did."""
        rows, cache = self._rows, self._cache
        for key in removed:
            rows.pop(key, None)
            cache.pop(key, None)
        widest = self._first_width
        for key in changed.keys() - rows.keys() if rows else changed:
            widest = max(widest, len(key) if key.isascii() else cell_len(key))
        rows.update(changed)
        if len(cache) < len(changed):  # the rows drawn so far are the fewer: look them up
            for key in [k for k in cache if k in changed]:
                del cache[key]
        else:
            for key in changed:
                cache.pop(key, None)
        self.updates = len(changed)
        relayout = widest != self._first_width
        self._first_width = widest
        if order is not None and list(order) != self._order:
            self._order = list(order)
            self.cursor_row = max(0, min(self.cursor_row, len(self._order) - 1))
            relayout = True
        if relayout:
            self._resized()
            return True
        top = self.scroll_offset.y
        for i, key in enumerate(self._order[top : top + self.size.height]):
            if key in changed:
                self.refresh_lines(top + i + 1)
        return bool(changed) or bool(removed)

    # ------------------------------------------------------------------ columns

    def show_columns(self, visible: Sequence[int]) -> None:
        visible = tuple(i for i in range(len(self.column_names)) if i in set(visible))
        if visible == self.shown_columns:
            return
        self.shown_columns = visible
        if self.sort_column is not None and self.sort_column not in visible:
            self.sort_column = None
            if self._on_sort is not None:
                self._on_sort()
        self._resized()

    def _column_widths(self) -> list[int]:
        room = self.scrollable_content_region.width
        fixed = [self.widths[i] or 0 for i in self.shown_columns[1:]]
        labels = [cell_len(self.header_label(i)) for i in self.shown_columns]
        widths = [max(w, lab) for w, lab in zip([0, *fixed], labels, strict=True)]
        pads = 2 * len(widths)
        first = max(labels[0], min(self._first_width, room - pads - sum(widths[1:])))
        widths[0] = max(first, 4)
        return widths

    def header_label(self, column: int) -> str:
        name = self.column_names[column]
        if column == self.sort_column:
            return f"{name} {'▼' if self.sort_reverse else '▲'}"
        return name

    # ------------------------------------------------------------------ sorting

    def sort_by(self, column: int, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._cache.clear()
        self.refresh()
        if self._on_sort is not None:
            self._on_sort()

    def cycle_sort(self) -> None:
        order = self.shown_columns
        if self.sort_column not in order:
            nxt = order[0]
        else:
            nxt = order[(order.index(self.sort_column) + 1) % len(order)]
        self.sort_by(nxt, False)

    # ------------------------------------------------------------------ drawing

    def _line(self, cells: Sequence[str], widths: Sequence[int], style: Style) -> Strip:
        text = "".join(
            f" {set_cell_size(cells[i], w)} "
            for i, w in zip(self.shown_columns, widths, strict=True)
        )
        return Strip([Segment(text, style)]).adjust_cell_length(
            self.scrollable_content_region.width, style
        )

    def render_line(self, y: int) -> Strip:
        widths = self._column_widths()
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header")
            labels = [self.header_label(i) for i in range(len(self.column_names))]
            return self._line(labels, widths, style)
        index = self.scroll_offset.y + y - 1
        key = self.key_at(index)
        if key is None:
            return Strip.blank(self.scrollable_content_region.width, base)
        row = self._rows[key]
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("virtual-table--cursor")
            return self._line(self._make_cells(row), widths, style)
        strip = self._cache.get(key)
        if strip is None:
            cells = self._make_cells(row)
            if self._alert is not None and self._alert(row):
                base = base + self.get_component_rich_style("virtual-table--failed")
            strip = self._cache[key] = self._line(cells, widths, base)
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self._resized()

    def _resized(self) -> None:
        """Rows and columns as they are now: the drawn width, the rows' height."""
        self._cache.clear()
        drawn = sum(self._column_widths()) + 2 * len(self.shown_columns)
        self.virtual_size = Size(drawn, len(self._order) + 1)
        self.refresh()

    # ------------------------------------------------------------------ the cursor

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        if not self._order:
            return
        row = max(0, min(row, len(self._order) - 1))
        old, self.cursor_row = self.cursor_row, row
        top = self.scroll_offset.y
        shown = self._visible_rows()
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
            self.refresh()
        elif row >= top + shown:
            self.scroll_to(y=row - shown + 1, animate=False, immediate=True)
            self.refresh()
        else:
            self.refresh_lines(old + 1)
            self.refresh_lines(row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._visible_rows())

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._visible_rows())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._order) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 0
            for i, w in zip(self.shown_columns, self._column_widths(), strict=True):
                x += w + 2
                if offset.x < x:
                    self.sort_by(i)
                    return
            return
        self.move_cursor(self.scroll_offset.y + offset.y - 1)
