"""A labelled one-line chart over the session: a caption, a sparkline, the latest value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Label, Sparkline


class _Sparkline(Sparkline):
    """Textual's sparkline, its bars of one colour written as one run: a flat line (a
    migration waiting, nothing copied) is one colour change and the bars, not a colour
    change per bar — a sixth of the bytes on a slow link."""

    def render_lines(self, crop: Region) -> list[Strip]:
        return [strip.simplify() for strip in super().render_lines(crop)]


class SparklinePanel(Horizontal):
    DEFAULT_CSS = """
    SparklinePanel {
        height: 1;
        width: 1fr;
    }
    SparklinePanel > .spark-caption {
        width: auto;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    SparklinePanel > Sparkline {
        width: 1fr;
        height: 1;
    }
    SparklinePanel > .spark-value {
        width: auto;
        min-width: 6;
        padding: 0 0 0 1;
    }
    """

    def __init__(
        self, caption: str, fmt: Callable[[float], str] = lambda v: f"{v:g}", **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.caption = caption
        self.fmt = fmt
        self._shown: tuple[tuple, str] | None = None
        self._value = "—"

    def compose(self) -> ComposeResult:
        yield Label(self.caption, classes="spark-caption")
        yield _Sparkline([], summary_function=max)
        yield Label("—", classes="spark-value")

    def show(self, values: Sequence[float], *, current: bool = True) -> None:
        """The last 60 ``values``; the latest as text only while ``current`` (a finished
        migration's last rate is history, not a rate). Untouched when it would look the same:
        a sample more of the same values redraws nothing."""
        data = list(values)[-60:]
        spark = self.query_one(Sparkline)
        value = self.fmt(data[-1]) if data and current else "—"
        # one sample is a flat line, not a full-height bar (Textual draws a single value as
        # its maximum)
        line = data * 2 if len(data) == 1 else data
        shown = (_looks(line, spark.size.width), value)
        if shown == self._shown:
            return
        self._shown = shown
        spark.data = line
        # the value's width sets the chart's: a layout only when that changes
        label = self.query_one(".spark-value", Label)
        label.update(value, layout=cell_len(value) != cell_len(self._value))
        self._value = value


def _looks(data: Sequence[float], width: int) -> tuple:
    """What a sparkline of ``data`` ``width`` cells wide shows (the way Textual's draws it):
    each cell's bar height against the lowest and highest values (its colour follows the
    same ratio)."""
    if not data or width <= 0:
        return (width, tuple(data))
    low, high = min(data), max(data)
    extent = (high - low) or 1
    step = len(data) / width
    heights = []
    for i in range(width):
        bucket = data[int(step * i) : int(step * (i + 1))]
        if bucket:
            heights.append((max(bucket) - low) / extent)
    per_cell = len(heights) / width
    return (width, tuple(heights[int(per_cell * i)] for i in range(width)))
