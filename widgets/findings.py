"""Readiness findings for one database: severity, what, and the fix."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.models import Finding, Severity

MARK = {
    Severity.BLOCKER: ("BLOCKER", "bold red"),
    Severity.WARNING: ("warning", "yellow"),
    Severity.INFO: ("note", "cyan"),
}


class FindingsView(Static):
    DEFAULT_CSS = """
    FindingsView { height: auto; padding: 0 1; }
    """

    def show(self, database: str, findings: list[Finding]) -> None:
        text = Text()
        text.append(f"Readiness of {database}: ", style="bold")
        if not findings:
            text.append("no findings — ready to migrate.")
        for f in findings:
            label, style = MARK.get(f.severity, ("note", ""))
            text.append(f"\n{label}: ", style=style)
            text.append(f.message)
            if f.fix:
                text.append(f"\n  Fix: {f.fix}", style="italic")
        self.update(text)
