"""A pick list with type-to-filter: an Input above an OptionList of (id, label) items."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from widgets.compact import steady_cursors


class FilterList(Vertical):
    """Type to narrow the list; Down moves into it; Enter picks (posts ``Picked``)."""

    DEFAULT_CSS = """
    FilterList { height: auto; }
    FilterList > Input { margin: 0; }
    FilterList > OptionList { height: auto; max-height: 6; }
    """

    @dataclass
    class Picked(Message):
        filter_list: FilterList
        item_id: str

        @property
        def control(self) -> FilterList:
            return self.filter_list

    def __init__(
        self,
        placeholder: str,
        *,
        id: str | None = None,  # noqa: A002 - Textual's widget id
        allow_typed: bool = False,
    ) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.allow_typed = allow_typed  # Enter with no match picks what was typed
        self.items: list[tuple[str, str]] = []
        self.picked: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, classes="filter")
        yield OptionList()

    def on_mount(self) -> None:
        steady_cursors(self)

    def set_items(self, items: list[tuple[str, str]], picked: str | None = None) -> None:
        self.items = list(items)
        if picked is not None:
            self.picked = picked
        self._refill()

    def _refill(self) -> None:
        needle = self.query_one(Input).value.strip().lower()
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [
            (i, label)
            for i, label in self.items
            if not needle or needle in label.lower() or needle in i.lower()
        ]
        options.add_options(
            [Option(("● " if i == self.picked else "  ") + label, id=i) for i, label in shown]
        )
        for index, (i, _label) in enumerate(shown):
            if i == self.picked:
                options.highlighted = index
                break
        else:
            if shown:
                options.highlighted = 0

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._refill()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """Enter in the filter picks the first (highlighted) match."""
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self._pick(options.get_option_at_index(options.highlighted).id or "")
        elif self.allow_typed and event.value.strip():
            self.post_message(self.Picked(self, event.value.strip()))

    def on_key(self, event) -> None:
        if event.key == "down" and self.query_one(Input).has_focus:
            event.stop()
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id or "")

    def _pick(self, item_id: str) -> None:
        self.picked = item_id
        self._refill()
        self.post_message(self.Picked(self, item_id))
