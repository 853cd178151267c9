"""The focused control is unmistakable: an accent bar in its left gutter (a glyph, so 16-colour
terminals show it), and its label turns accent; nothing moves or grows when focus moves."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, OptionList

from tests.helpers.wizard_pilot import on_screen, settled, step_is, wait_for
from tests.helpers.wizard_projects import (
    app_for,
    project_at,
)


def bar(widget) -> str:
    return widget.styles.border_left[0]


def focus_label(app):
    labels = list(app.screen.query(".-focus-label"))
    return str(labels[0].render()) if len(labels) == 1 else None


async def test_focus_bar_and_label_move_with_tab_on_the_scope_screen(context):
    app = app_for(context, project=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        menu = app.screen.query_one("#start-menu", OptionList)
        await wait_for(pilot, lambda: app.focused is menu, what="menu focused")
        assert bar(menu) == "outer"
        assert bar(app.screen.query_one("#projects", OptionList)) == "blank"
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        groups = app.screen.query_one("#groups Input", Input)
        subs = app.screen.query_one("#subscriptions Input", Input)
        await wait_for(
            pilot,
            lambda: app.focused is groups and bar(groups) == "outer" and focus_label(app),
            what="the resource group filter focused, its bar and label drawn",
        )
        heights = {w: w.region.height for w in (groups, subs)}
        assert bar(groups) == "outer" and bar(subs) == "blank"
        assert focus_label(app).startswith("Resource group")
        await pilot.press("shift+tab", "shift+tab")
        await wait_for(pilot, lambda: app.focused is subs, what="subscriptions focused")
        assert bar(groups) == "blank" and bar(subs) == "outer"
        assert focus_label(app) == "Subscription"
        assert {w: w.region.height for w in (groups, subs)} == heights
        assert subs.region.x == groups.region.x  # the bar replaces the margin: no shift


async def test_a_late_focus_event_never_lights_the_wrong_label(context):
    """Focus moved twice in quick succession: the events bubble up through different
    widgets and may land out of order on a busy machine. The lit label follows the field
    that has the focus, whichever event is handled last."""
    app = app_for(context, project=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        groups = app.screen.query_one("#groups Input", Input)
        subs = app.screen.query_one("#subscriptions Input", Input)
        await wait_for(
            pilot,
            lambda: app.focused is groups and focus_label(app),
            what="the resource group filter focused",
        )
        app.post_message(events.DescendantFocus(subs))  # the earlier focus, arriving late
        app.post_message(events.DescendantBlur(groups))
        await settled(pilot)
        assert app.focused is groups
        assert focus_label(app).startswith("Resource group")


async def test_focus_bar_in_the_wizard_and_in_dialogs(context, sandbox, ids):
    project_at(7, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "SecretsPrompt")
        secret = app.screen.query_one(Input)
        await wait_for(pilot, lambda: app.focused is secret, what="password focused")
        assert bar(secret) == "outer" and secret.region.height == 1
        await pilot.press(*"S3cret-pw!", "enter")
        await wait_for(pilot, lambda: step_is(app, 7), what="step 7")
        mode = app.screen.query_one("#mode")
        await wait_for(pilot, lambda: app.focused is mode, what="mode focused")
        assert bar(mode) == "outer" and bar(app.screen.query_one("#backup")) == "blank"
        assert focus_label(app) == "Mode"
        name = app.screen.query_one("#name-0", Input)
        name.focus()
        await pilot.pause()
        assert bar(name) == "outer" and bar(mode) == "blank"
        assert focus_label(app).startswith("SalesDB")
