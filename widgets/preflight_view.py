"""The backup-folder preflight's verdict: per database a line, then each finding with its
severity, what DMS would do, and the fix."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

from tui.models import Severity
from tui.preflight import FolderCheck
from widgets.findings import MARK


def preflight_text(checks: Iterable[FolderCheck], *, heading: str = "") -> Text:
    """Rich text for the checks (no markup is parsed: names and codes show as written)."""
    text = Text()
    if heading:
        text.append(heading, style="bold")
    for check in checks:
        if len(text):
            text.append("\n")
        style = "bold red" if check.blockers else ("yellow" if check.findings else "green")
        text.append(check.summary, style=style)
        for f in check.findings:
            label, mark = MARK.get(f.severity, ("note", ""))
            text.append(f"\n  {label} ", style=mark)
            text.append(f"[{f.rule_id}]", style="dim")
            text.append(f" {f.message}")
            if f.fix:
                text.append(f"\n    Fix: {f.fix}", style="italic")
    return text


def count(checks: Iterable[FolderCheck], severity: Severity) -> int:
    return sum(1 for c in checks for f in c.findings if f.severity is severity)


class PreflightView(Static):
    DEFAULT_CSS = """
    PreflightView { height: auto; padding: 0 1; }
    """

    def show(self, checks: Iterable[FolderCheck], *, heading: str = "") -> None:
        self.update(preflight_text(list(checks), heading=heading))
