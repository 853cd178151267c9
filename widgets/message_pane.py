"""A message that may run past its room (an Azure error with its fix, T-SQL to run): the pane
keeps its capped height and scrolls, and ``MoreCue`` under it says when more lies below. F2
on the screen moves the focus into it (↓ and PgDn scroll); Esc or F2 gives the focus back to
the field it came from. Out of the Tab order otherwise, so it never traps the focus."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget

READ_KEYS = "F2, then ↓ PgDn"


class MessagePane(VerticalScroll):
    DEFAULT_CSS = """
    MessagePane {
        height: auto;
        max-height: 4;
    }
    MessagePane:focus {
        background: $boost;
    }
    """
    BINDINGS = [
        Binding(
            "escape,f2",
            "leave",
            "Back to the fields",
            id="message.leave",
            tooltip="Leave the message; the focus goes back where it was",
        ),
    ]

    def __init__(self, *children: Widget, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self.can_focus = False
        self._came_from: Widget | None = None

    @property
    def overflows(self) -> bool:
        return self.max_scroll_y > 0

    def enter(self) -> None:
        """Take the focus (from the field that has it) to scroll the message."""
        self._came_from = self.screen.focused
        self.can_focus = True
        self.focus()

    def action_leave(self) -> None:
        self.can_focus = False
        back = self._came_from
        self._came_from = None
        if back is not None and back.is_attached and back.focusable:
            back.focus()
        else:
            self.screen.focus_next()
