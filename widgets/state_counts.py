"""One line of counts by migration state — in progress, stalled, ready for cutover,
completing, succeeded, failed, canceled — the same words the list's Status column shows.
On a narrow terminal the line drops the states nobody is in (never the one filtered on), then
shortens its words, so it never runs off the edge."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from tui.monitoring.buckets import COUNTED, Bucket

_STYLE = {Bucket.READY: "bold", Bucket.FAILED: "bold", Bucket.STALLED: "bold"}
_LABEL = {
    Bucket.IN_PROGRESS: "In progress",
    Bucket.STALLED: "⚠ Stalled",
    Bucket.READY: "Ready for cutover",
    Bucket.COMPLETING: "Completing",
    Bucket.SUCCEEDED: "Succeeded",
    Bucket.FAILED: "Failed",
    Bucket.CANCELED: "Canceled",
}
_SHORT = {**_LABEL, Bucket.IN_PROGRESS: "Running", Bucket.READY: "Ready"}
_KEEP = (Bucket.IN_PROGRESS, Bucket.READY, Bucket.FAILED)  # shown even when 0


class StateCounts(Static):
    DEFAULT_CSS = """
    StateCounts {
        height: 1;
        padding: 0 1;
    }
    """

    _shown: tuple[dict[Bucket, int], Bucket | None, int] | None = None

    def show(self, counts: dict[Bucket, int], active: Bucket | None = None) -> None:
        """Write the counts; nothing at all when they, the filter and the width are as shown
        (a rewrite costs bytes on a slow link). One line high and as wide as the screen,
        whatever it says: once it has a size, a new line is a repaint, not a layout."""
        room = self.size.width - 2 if self.size.width else 0
        if self._shown == (counts, active, room):
            return
        self._shown = (dict(counts), active, room)
        self.update(self._line(counts, active, room), layout=not room)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(self._shown[0], self._shown[1])

    @staticmethod
    def _line(counts: dict[Bucket, int], active: Bucket | None, room: int) -> Text:
        every = list(COUNTED)
        busy = [b for b in COUNTED if counts.get(b, 0) or b == active or b in _KEEP]
        tries = [(every, _LABEL), (busy, _LABEL), (busy, _SHORT)]
        for buckets, labels in tries:
            text = _render(buckets, labels, counts, active)
            if not room or cell_len(text.plain) <= room:
                return text
        return text


def _render(
    buckets: list[Bucket], labels: dict[Bucket, str], counts: dict[Bucket, int], active
) -> Text:
    text = Text()
    for i, b in enumerate(buckets):
        if i:
            text.append(" │ ", style="dim")
        style = "reverse" if active == b else _STYLE.get(b, "")
        text.append(f"{labels[b]} {counts.get(b, 0)}", style=style)
    return text
