"""A key, URL or statement shown whole on its own line: never wrapped inside the token (a
wrapped key copied from the terminal arrives broken), scrolled sideways instead (← → when
focused, or the scrollbar) when it is wider than the screen."""

from __future__ import annotations

from rich.text import Text
from textual.containers import HorizontalScroll
from textual.widgets import Static


class TokenLine(HorizontalScroll):
    DEFAULT_CSS = """
    TokenLine {
        height: auto;
        scrollbar-size-horizontal: 1;
        margin: 0 1;
    }
    TokenLine > Static {
        width: auto;
        height: auto;
    }
    TokenLine.-hidden {
        display: none;
    }
    TokenLine:focus {
        background: $boost;
    }
    """

    def __init__(self, token: str = "", *, text_id: str | None = None, **kwargs) -> None:
        """``text_id``: the id of the Static inside, which holds the text."""
        super().__init__(Static(_unwrapped(token), markup=False, id=text_id), **kwargs)
        self.token = token

    def show(self, token: str) -> None:
        self.token = token
        self.query_one(Static).update(_unwrapped(token))
        self.scroll_home(animate=False)


def _unwrapped(token: str) -> Text:
    return Text(token, no_wrap=True, overflow="ignore", end="")
