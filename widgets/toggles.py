"""Check boxes, radio buttons and selection lists whose state shows in the glyph, not only in
its colour: "▐X▌" ticked and "▐ ▌" not, "▐●▌" chosen and "▐○▌" not. Textual draws the same
glyph both ways and tells them apart by colour alone, which a 16-colour terminal (or a DBA
who can't tell the two shades apart) loses."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton

TICKED, UNTICKED = "X", " "
CHOSEN, UNCHOSEN = "●", "○"


class MarkedCheckbox(Checkbox):
    # Textual reads this constant to draw the glyph; here it follows the value
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return TICKED if self.value else UNTICKED


class MarkedRadioButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - as above
        return CHOSEN if self.value else UNCHOSEN


T = TypeVar("T")


class MarkedSelectionList(SelectionList[T]):
    """A ``SelectionList`` whose rows show "X" when selected and a blank when not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except Exception:  # noqa: BLE001 - past the last row: nothing to mark
            return strip
        selected = getattr(option, "value", None) in self._selected
        segments[1] = Segment(TICKED if selected else UNTICKED, segments[1].style)
        return Strip(segments, strip.cell_length)
