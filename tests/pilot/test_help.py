"""F1 and ? open the keys of the screen in front, in words; Esc closes; the palette's "Keys"
opens the same list, the screen's own keys before a table's generic cursor keys."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.widgets import Static

from screens.help import HelpScreen
from screens.monitor import MonitorScreen
from tests.helpers.monitor_snapshots import SIZES, monitor_runner
from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import on_screen, wait_for
from tests.helpers.wizard_projects import opened_at
from tui.app import DmsTuiApp
from tui.models import TargetKind


def help_text(app) -> str:
    assert app.screen.query_one("#help-keys", Static).display
    return app.screen.text


def every_binding(screen_class) -> list[Binding]:
    """The bindings of dms-tui (each has an id) a screen class declares or inherits: what its
    help must list."""
    found = []
    for cls in reversed(screen_class.__mro__):
        found.extend(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    return [b for b in found if b.id]


def assert_listed(app, bindings: list[Binding]) -> None:
    text = help_text(app)
    for b in bindings:
        key = app.get_key_display(b)
        line = next((ln for ln in text.splitlines() if f" {b.description}" in ln), "")
        assert line, f"{b.description!r} ({b.key}) is not in the help:\n{text}"
        assert f"  {key} " in line or f" {key}  " in line, f"{key!r} not on {line!r}"
        assert b.tooltip and b.tooltip in text, f"no words for {b.description!r}"


async def test_f1_lists_every_key_of_the_monitor_and_esc_closes(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")
        assert_listed(app, every_binding(MonitorScreen) + every_binding(DmsTuiApp)[:2])
        text = help_text(app)
        assert "tab" in text and "Focus Next" in text  # Textual's own keys too
        # the monitor's own keys first, the list's generic cursor keys after them
        assert text.index("This screen") < text.index("In the list") < text.index("Everywhere")
        assert text.index("Cutover") < text.index("Cursor up")
        # keys in the footer before the rest
        assert text.index("Cutover") < text.index("Retry")
        await pilot.press("escape")
        await on_screen(pilot, "MonitorScreen")


async def test_question_mark_opens_help_on_the_monitor(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        await pilot.press("question_mark")
        await on_screen(pilot, "MonitorScreen")


async def test_help_of_a_wizard_step_lists_its_own_and_inherited_keys(context, sandbox, ids):
    from screens.step_service import ServiceStep

    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.services, what="services")
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")
        bindings = every_binding(ServiceStep)
        assert {"Next", "Back", "Create", "Copy key 2"} <= {b.description for b in bindings}
        assert_listed(app, bindings)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ServiceStep), what="step 2 again")


async def test_the_palette_keys_command_opens_the_help(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"keys")
        await wait_for(pilot, lambda: _first_hit(app).startswith("Keys"), what="Keys hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert "Cutover" in help_text(app)


def _first_hit(app) -> str:
    from textual.command import CommandList

    hits = app.screen.query_one(CommandList)
    if not hits.option_count:
        return ""
    return str(hits.get_option_at_index(0).prompt).strip()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help_on_the_monitor_snapshot(snap_compare, context, sandbox, size):
    before = monitor_runner(context, sandbox, TargetKind.SQL_MI, "SalesDB", log_backups=2)

    async def run_before(pilot):
        await before(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")
        await pilot.pause()

    assert snap_compare(DmsTuiApp(context), terminal_size=size, run_before=run_before)
