"""Borderless form controls, so a whole step fits on an 80x24 terminal."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Checkbox, Input, OptionList, RadioSet, Select, SelectionList

COMPACT = (Input, Select, RadioSet, OptionList, SelectionList, Checkbox)


def compact_all(node: DOMNode) -> None:
    """Compact every form control under ``node``; no blinking cursor (less redraw over SSH)."""
    for widget in node.query("*"):
        if isinstance(widget, COMPACT):
            widget.compact = True
        if isinstance(widget, Input):
            widget.cursor_blink = False
