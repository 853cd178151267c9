"""Help (F1 or ``?``): every key of the screen it was opened on, in words.

The keys are read from the screen as it is when help opens — its own bindings and the ones
it inherits, those of the focused field, and the keys that work everywhere — so the list is
always the one that applies. The screen's keys come first (the ones in the footer before the
rest); the focused field's generic keys (a table's cursor keys) come after them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# what the focused field is called in a group title
_FIELD_NAMES = {
    "KeyedTable": "the list",
    "DataTable": "the list",
    "Input": "a text field",
    "SelectionList": "the list of choices",
    "OptionList": "the list of choices",
    "RadioSet": "the choices",
    "Select": "the drop-down",
    "Checkbox": "the check box",
    "RadioButton": "the choice",
    "Button": "the button",
    "VerticalScroll": "the scrolling pane",
}


@dataclass(frozen=True)
class KeyLine:
    keys: str  # "c" or "f1 ?"
    name: str  # the binding's short description, as in the footer
    words: str  # what it does, in a sentence
    shown: bool  # in the footer


@dataclass(frozen=True)
class KeyGroup:
    title: str
    lines: tuple[KeyLine, ...]


def _group_title(node: DOMNode, screen: Screen) -> str:
    if node is screen:
        return "This screen"
    if isinstance(node, Screen):  # a screen under a dialog
        return "The screen behind"
    if node is screen.app:
        return "Everywhere"
    return f"In {_FIELD_NAMES.get(type(node).__name__, type(node).__name__)}"


def key_groups(screen: Screen) -> list[KeyGroup]:
    """The keys that work on ``screen`` now, grouped by where they are defined."""
    app = screen.app
    merged: dict[tuple[int, str, str], list] = {}  # (node, action, name) → [node, keys, b]
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        entry = (id(active.node), binding.action, binding.description)
        found = merged.setdefault(entry, [active.node, [], binding])
        shown = app.get_key_display(binding.with_key(key, binding.key_display))
        if shown not in found[1]:
            found[1].append(shown)
    groups: dict[str, list[KeyLine]] = {}
    order: list[str] = []
    for node, keys, binding in merged.values():
        title = _group_title(node, screen)
        if title not in groups:
            groups[title] = []
            order.append(title)
        name = binding.description or binding.action.replace("_", " ")
        words = binding.tooltip or name
        groups[title].append(KeyLine(" ".join(keys), name, words, binding.show))
    rank = {"This screen": 0, "The screen behind": 2, "Everywhere": 3}
    order.sort(key=lambda t: rank.get(t, 1))
    return [
        KeyGroup(title, tuple(sorted(groups[title], key=lambda line: not line.shown)))
        for title in order
    ]


def render_groups(groups: list[KeyGroup]) -> Text:
    text = Text()
    width = max((len(line.keys) for g in groups for line in g.lines), default=3) + 2
    for number, group in enumerate(groups):
        if number:
            text.append("\n")
        text.append(group.title + "\n", style="bold underline")
        for line in group.lines:
            text.append(f"  {line.keys:<{width}}", style="bold")
            text.append(line.name, style="bold" if line.shown else "")
            if line.words != line.name:
                text.append(f" — {line.words}")
            text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below it; Escape, F1, ``?`` or ``q`` close it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding(
            "escape,f1,question_mark,q", "close", "Close", id="help.close", tooltip="Close help"
        ),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.groups = key_groups(screen)
        self.screen_name = getattr(screen, "HELP_TITLE", "") or type(screen).__name__

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(f"Keys — {self.screen_name}", id="help-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(render_groups(self.groups), id="help-keys")
            yield Static(
                "Bold: in the footer. ↑↓ PgUp PgDn scroll · Ctrl+P finds any action by name "
                "· Esc closes",
                id="help-cue",
            )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
