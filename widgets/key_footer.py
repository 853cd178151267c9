"""The key footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` rebuilds every key widget whenever the screen's bindings may have
changed — each focus move (Tab, a click, a dialog closing) and each refresh of the bindings.
Most of those moves leave the shown keys exactly as they were, and the rebuild (new widgets,
their styles, a redrawn footer row sent down the SSH link) cost more than anything else a
key press does on a wizard step. This footer compares what it would show with what it shows
and rebuilds only on a difference.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _what_it_shows(self) -> tuple[object, ...]:
        """Everything ``Footer.compose`` reads from the bindings, in its order."""
        app = self.app
        shown: list[object] = [
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]
        shown.append((self.show_command_palette, self.compact))
        return tuple(shown)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self._what_it_shows()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
