"""A one-line banner on every screen while the app runs against the built-in sandbox."""

from __future__ import annotations

from textual.widgets import Static

SANDBOX_TEXT = "SANDBOX — simulated Azure and SQL Server. Nothing here touches real resources."


class SandboxBanner(Static):
    DEFAULT_CSS = """
    SandboxBanner {
        width: 100%;
        height: 1;
        background: $warning;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__(SANDBOX_TEXT, id="sandbox-banner")
