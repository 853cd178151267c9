"""The command palette's view of a screen: every action the screen has a key for, by name
(Ctrl+P, then "cutover", "export", "log backup", "preflight"…), so an action whose key fell
out of the footer is still one search away. Selecting one runs the same action as its key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class ScreenAction:
    name: str  # the binding's description: "Cutover"
    key: str  # as the footer shows it: "c", "^r"
    words: str  # what it does: the binding's tooltip
    run: Callable[[], object]
    shown: bool

    @property
    def title(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def searched(self) -> str:
        """What a search is matched against: the name and what it does."""
        return f"{self.name} {self.words}"


def screen_actions(screen) -> list[ScreenAction]:
    """The actions bound on ``screen`` itself (not a focused field's cursor keys, not the
    app's), one per action, those in the footer first."""
    found: dict[str, ScreenAction] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or binding.action in found or binding.system:
            continue
        found[binding.action] = ScreenAction(
            name=binding.description or binding.action.replace("_", " "),
            key=screen.app.get_key_display(binding.with_key(key, binding.key_display)),
            words=binding.tooltip or binding.description,
            run=partial(screen.run_action, binding.action),
            shown=binding.show,
        )
    return sorted(found.values(), key=lambda a: not a.shown)


class ScreenActions(Provider):
    """Every action of the screen the palette was opened on."""

    def _actions(self) -> Iterator[ScreenAction]:
        yield from screen_actions(self.screen)

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(action.title, action.run, help=action.words)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = max(matcher.match(action.title), matcher.match(action.searched) * 0.9)
            if score > 0:
                shown = matcher.highlight(action.title)
                yield Hit(score, shown, action.run, text=action.title, help=action.words)
