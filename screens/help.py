"""Help (F1 or ``?``): every key of the screen it was opened on, in words.

The keys are read from the screen as it is when help opens — its own bindings and the ones
it inherits, those of the focused field, and the keys that work everywhere — so the list is
always the one that applies. The screen's keys come first (the ones in the footer before the
rest); the focused field's generic keys (a table's cursor keys) come after them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from widgets.more_cue import MoreCue

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


_SCREEN_NAMES = {
    "MonitorScreen": "the monitor",
    "StartScreen": "start",
    "ScopeScreen": "sign-in and scope",
    "SignInScreen": "sign-in",
    "ValidationScreen": "row validation",
    "CutoverScreen": "the cutover dialog",
    "PreflightScreen": "the backup-folder findings",
    "CancelMigrationScreen": "cancel a migration",
}


def screen_name(screen: Screen) -> str:
    step = getattr(screen, "STEP", 0)
    if step:
        from tui.wizard_state import step_label

        return f"step {step_label(step)}"
    return _SCREEN_NAMES.get(type(screen).__name__, type(screen).__name__)


@dataclass(frozen=True)
class KeyLine:
    keys: str  # "c" or "f1 ?"
    name: str  # the binding's short description, as in the footer
    words: str  # what it does, in a sentence
    shown: bool  # in the footer
    ours: bool  # a dms-tui key (Textual's generic keys come after)


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
        line = KeyLine(" ".join(keys), name, words, binding.show, binding.id is not None)
        groups[title].append(line)
    rank = {"This screen": 0, "The screen behind": 2, "Everywhere": 3}
    order.sort(key=lambda t: rank.get(t, 1))
    return [
        KeyGroup(title, tuple(sorted(groups[title], key=lambda k: (not k.ours, not k.shown))))
        for title in order
    ]


def render_groups(groups: list[KeyGroup]) -> RenderableType:
    """A title per group; under it the keys in one column and, beside them, what each does
    (wrapped in its own column, so the keys stay readable on 80 columns)."""
    width = max((len(line.keys) for g in groups for line in g.lines), default=3)
    parts: list[RenderableType] = []
    for number, group in enumerate(groups):
        parts.append(Text(("\n" if number else "") + group.title, style="bold underline"))
        table = Table.grid(padding=(0, 1))
        table.add_column(width=width + 1, no_wrap=True)
        table.add_column(ratio=1)
        for line in group.lines:
            what = Text(line.name, style="bold" if line.shown else "")
            if line.words != line.name:
                what.append(f" — {line.words}")
            table.add_row(Text(" " + line.keys, style="bold"), what)
        parts.append(table)
    return Group(*parts)


def plain_text(groups: list[KeyGroup]) -> str:
    """The help as plain lines (key, name, words), one line a key: what tests read."""
    return "\n".join(
        f"{g.title}\n" + "\n".join(f"  {k.keys}  {k.name} — {k.words}" for k in g.lines)
        for g in groups
    )


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
        self.screen_name = screen_name(screen)
        self.text = plain_text(self.groups)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(f"Keys — {self.screen_name}", id="help-title", markup=False)
            body = VerticalScroll(id="help-body")
            with body:
                yield Static(render_groups(self.groups), id="help-keys")
            yield MoreCue(body, keys="↓ PgDn", id="help-more")
            yield Static(
                "Bold: in the footer · Ctrl+P runs any action by name · Esc closes",
                id="help-cue",
            )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
