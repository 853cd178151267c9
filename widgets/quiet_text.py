"""Writing a Static's text without a screen layout when its shape cannot have changed.

``Static.update`` lays the whole screen out again by default: on the monitor, a status line
or a totals line rewritten every refresh cost a layout each. When the new text has as many
lines as the old one and every line of both fits the widget's width, the widget keeps its
size and a repaint of the widget is enough.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static


def _fits(text: str, width: int) -> bool:
    return all(cell_len(line) <= width for line in text.split("\n"))


def write_text(static: Static, old: str | None, new: str) -> None:
    """Show ``new`` in ``static`` (which showed ``old``), laying out only when needed."""
    width = static.content_region.width
    same_shape = (
        old is not None
        and width > 0
        and old.count("\n") == new.count("\n")
        and bool(old) == bool(new)
        and _fits(old, width)
        and _fits(new, width)
    )
    static.update(new, layout=not same_shape)
