"""The wizard's "4/9 Source" line: where the DBA is, and what comes before and after."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.wizard_state import STEPS, step_label


class StepIndicator(Static):
    DEFAULT_CSS = """
    StepIndicator { height: 2; padding: 0 1; }
    """

    def __init__(self, step: int) -> None:
        super().__init__(id="step-indicator")
        self.step = step

    def render(self) -> Text:
        text = Text()
        text.append(f"Step {step_label(self.step)}", style="bold")
        text.append("\n")
        for i, _name in enumerate(STEPS, start=1):
            style = "bold reverse" if i == self.step else ("" if i < self.step else "dim")
            text.append(f" {i}", style=style)
            text.append(" " if i < len(STEPS) else "")
        return text
