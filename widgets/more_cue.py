"""A one-line cue under a scrolling pane: it says when more lies below (or above) and which
key reaches it, so nothing is hidden below the fold without the DBA knowing. Blank when the
pane shows everything."""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.widgets import Static


class MoreCue(Static):
    """Follows ``pane`` (a scrolling container): "▼ more below — PgDn" while part of its
    content lies below the visible part, "▲ more above" once scrolled to the end."""

    DEFAULT_CSS = """
    MoreCue {
        height: 1;
        padding: 0 1;
        color: $text-accent;
        text-style: bold;
        display: none;
    }
    MoreCue.-more {
        display: block;
    }
    """

    def __init__(
        self, pane: ScrollableContainer, keys: str = "PgDn", back: str = "PgUp", **kwargs
    ) -> None:
        super().__init__("", markup=False, **kwargs)
        self.pane = pane
        self.keys = keys
        self.back = back
        self._said: str | None = None

    def on_mount(self) -> None:
        for attribute in ("scroll_y", "virtual_size"):
            self.watch(self.pane, attribute, self.follow, init=False)
        # The pane's content height and its own height change in the same layout, and the
        # watcher of its content height reads its own height stale (the count stayed wrong
        # until something else moved): read both again once the screen's layout is done.
        self.screen.screen_layout_refresh_signal.subscribe(self, self.follow)
        self.call_after_refresh(self.follow)

    def on_resize(self) -> None:
        self.call_after_refresh(self.follow)

    def follow(self, *_changed: object) -> None:
        """Say what lies outside the pane's visible part (called whenever it may change)."""
        pane = self.pane
        below = pane.max_scroll_y - round(pane.scroll_y)
        if below > 0:
            text = f"▼ {below} more line{'s' if below > 1 else ''} below — {self.keys}"
        elif pane.max_scroll_y > 0:
            text = f"▲ end; more above — {self.back}"
        else:
            text = ""
        if text != self._said:  # an unchanged cue is not drawn again
            self._said = text
            self.update(text)
            self.set_class(bool(text), "-more")
