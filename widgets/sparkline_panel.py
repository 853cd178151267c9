"""A labelled one-line chart over the session: a caption, a sparkline, the latest value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline


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
        self._shown: tuple[list[float], bool, Callable[[float], str]] | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.caption, classes="spark-caption")
        yield Sparkline([], summary_function=max)
        yield Label("—", classes="spark-value")

    def show(self, values: Sequence[float], *, current: bool = True) -> None:
        """The last 60 ``values``; the latest as text only while ``current`` (a finished
        migration's last rate is history, not a rate). Untouched when nothing changed."""
        data = list(values)[-60:]
        shown = (data, current, self.fmt)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one(Sparkline).data = data or [0.0]
        self.query_one(".spark-value", Label).update(
            self.fmt(data[-1]) if data and current else "—"
        )
