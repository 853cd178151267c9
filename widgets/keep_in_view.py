"""Bring what the DBA asked to see into view, and keep it there while the layout settles.

A single scroll right after new lines appear can land short: the new content may make the
pane overflow, its scrollbar then narrows the text, longer lines wrap, the "more below" cue
takes a row — each a further layout after the scroll. This follows every layout of the
screen, scrolling the widget back into view, until the DBA scrolls the pane or the widget
is hidden or gone.
"""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.widget import Widget


class KeepInView:
    def __init__(self, pane: ScrollableContainer, widget: Widget) -> None:
        self.pane = pane
        self.widget = widget
        self._left_at: int | None = None  # where this left the pane; elsewhere = the DBA moved it
        signal = widget.screen.screen_layout_refresh_signal
        signal.subscribe(widget, self._follow)
        widget.call_after_refresh(self._follow)

    def _stop(self) -> None:
        if self.widget.is_attached:
            self.widget.screen.screen_layout_refresh_signal.unsubscribe(self.widget)

    def _follow(self, *_layout: object) -> None:
        pane, widget = self.pane, self.widget
        if not widget.is_attached or not widget.display:
            self._stop()
            return
        if self._left_at is not None and round(pane.scroll_y) != self._left_at:
            self._stop()  # the DBA scrolled: theirs from now on
            return
        view, region = pane.scrollable_content_region, widget.region
        if region.height and not (view.y <= region.y and region.bottom <= view.bottom):
            pane.scroll_to_widget(widget, animate=False, immediate=True)
        self._left_at = round(pane.scroll_y)
