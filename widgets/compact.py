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


def steady_cursors(node: DOMNode) -> None:
    """No blinking cursor in the text fields under ``node``: a blink redraws the field twice a
    second, over the SSH link, for as long as the dialog is open."""
    for field in node.query(Input):
        field.cursor_blink = False
