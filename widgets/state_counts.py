"""One line of counts by migration state: in progress, ready, completing, succeeded, failed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.monitoring.buckets import COUNTED, Bucket

_STYLE = {Bucket.READY: "bold", Bucket.FAILED: "bold", Bucket.SUCCEEDED: ""}
_LABEL = {
    Bucket.IN_PROGRESS: "In progress",
    Bucket.READY: "Ready for cutover",
    Bucket.COMPLETING: "Completing",
    Bucket.SUCCEEDED: "Succeeded",
    Bucket.FAILED: "Failed",
}


class StateCounts(Static):
    DEFAULT_CSS = """
    StateCounts {
        height: 1;
        padding: 0 1;
    }
    """

    _shown: tuple[dict[Bucket, int], Bucket | None] | None = None

    def show(self, counts: dict[Bucket, int], active: Bucket | None = None) -> None:
        """Write the counts; nothing at all when they and the filter are as shown (a rewrite
        costs a layout and bytes on a slow link)."""
        if self._shown == (counts, active):
            return
        self._shown = (dict(counts), active)
        text = Text()
        for i, b in enumerate(COUNTED):
            if i:
                text.append(" │ ", style="dim")
            style = _STYLE.get(b, "")
            if active == b:
                style = "reverse"
            text.append(f"{_LABEL[b]} {counts.get(b, 0)}", style=style)
        self.update(text)
