"""A message longer than its room is never cut: the step's error pane (4 lines) and the
monitor's status (3 lines) scroll, a cue says more lies below, and F2 reaches the rest."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import focus_settled, settled, wait_for
from tests.helpers.wizard_projects import app_for, opened, opened_at, project_at
from tui.app import DmsTuiApp
from tui.models import TargetKind
from widgets.message_pane import MessagePane

SIZES = [(80, 24), (120, 40)]


def visible_lines(screen, pane_id: str) -> list[str]:
    """The lines of the pane's message that are on screen now (what the DBA can read)."""
    pane = screen.query_one(pane_id, MessagePane)
    text = screen.query_one(f"{pane_id} Static", Static)
    lines = [str(s.text).rstrip() for s in text.render_lines(text.region.reset_offset)]
    top = round(pane.scroll_y)
    return lines[top : top + pane.scrollable_content_region.height]


def cue(screen, cue_id: str) -> str:
    widget = screen.query_one(cue_id, Static)
    return str(widget.render()) if widget.display else ""


async def test_ssisdb_last_sentence_is_reachable(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index("SSISDB")), "space", "ctrl+n")
        pane_id = "#step-error-pane"
        await wait_for(
            pilot, lambda: "SSISDB" in str(app.screen.query_one("#step-error", Static).render())
        )
        await wait_for(pilot, lambda: "more" in cue(app.screen, "#step-error-more"), what="cue")
        assert "F2" in cue(app.screen, "#step-error-more")
        assert not any("Or unselect it (Space)." in ln for ln in visible_lines(app.screen, pane_id))
        await pilot.press("f2")
        pane = app.screen.query_one(pane_id, MessagePane)
        await wait_for(pilot, lambda: pane.has_focus, what="the message focused")
        for _ in range(10):
            await pilot.press("pagedown")
        await wait_for(
            pilot,
            lambda: any(
                "Or unselect it (Space)." in ln for ln in visible_lines(app.screen, pane_id)
            ),
            what="the last sentence on screen",
        )
        assert "more above" in cue(app.screen, "#step-error-more")
        await pilot.press("escape")  # back to the list, not a step back
        await wait_for(pilot, lambda: not pane.has_focus, what="focus back")
        assert getattr(app.screen, "STEP", 0) == 6


async def test_a_long_monitor_error_scrolls_with_a_cue(context, sandbox):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await settled(pilot)  # the refresh the monitor starts itself has landed too
        steps = [f"{n}) step {n} of the fix" for n in range(1, 7)]
        monitor.note("Log backup failed (BackupFailed).\n" + "\n".join(steps))
        await wait_for(pilot, lambda: "below" in cue(monitor, "#monitor-more"), what="cue")
        pane_id = "#monitor-status-pane"
        assert not any("6) step 6" in ln for ln in visible_lines(monitor, pane_id))
        await pilot.press("f2")
        pane = monitor.query_one(pane_id, MessagePane)
        await wait_for(pilot, lambda: pane.has_focus, what="the message pane focused")

        def last_line_seen() -> bool:
            return any("6) step 6" in ln for ln in visible_lines(monitor, pane_id))

        for _ in range(6):  # a page at a time, each scroll finished before the next key
            if last_line_seen():
                break
            await pilot.press("pagedown")
            await pilot.wait_for_scheduled_animations()
        assert last_line_seen()
        await pilot.press("escape")  # back to the list; the monitor stays
        await wait_for(pilot, lambda: monitor.query_one("#migrations").has_focus, what="list")
        assert app.screen is monitor


async def test_auth_keys_asked_for_are_brought_into_view(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.services, what="services")
        body = app.screen.query_one("#step-body")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.screen.keys is not None, what="keys read")
        lines = [app.screen.query_one(f"#auth-key-{n}") for n in (1, 2)]

        def seen() -> bool:
            view = body.scrollable_content_region
            return all(
                line.display and view.y <= line.region.y and line.region.bottom <= view.bottom
                for line in lines
            )

        await wait_for(pilot, seen, what="the keys on screen")
        # each key on one line of its own, whole (never wrapped inside it)
        keys = (app.screen.keys.auth_key1, app.screen.keys.auth_key2)
        for line, key in zip(lines, keys, strict=True):
            text = line.query_one(Static)
            assert text.region.height == 1 and text.virtual_region.width >= len(key)
            assert str(text.render()) == key
        # once the DBA scrolls away, the keys no longer pull the step back down
        await pilot.press("f3")  # at the end: back to the top
        await wait_for(pilot, lambda: body.scroll_y == 0, what="back to the top")
        app.screen.query_one("#service-keys", Static).update("Auth keys 1 and 2 (never saved).")
        await settled(pilot)
        assert body.scroll_y == 0


async def test_a_step_longer_than_the_screen_says_so_and_f3_scrolls_it(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        body = app.screen.query_one("#step-body")
        await wait_for(pilot, lambda: "below — F3" in cue(app.screen, "#step-more"), what="cue")
        for _ in range(5):
            await pilot.press("f3")
            await pilot.pause()
            if "above" in cue(app.screen, "#step-more"):
                break
        assert body.scroll_y == body.max_scroll_y > 0
        assert "above" in cue(app.screen, "#step-more")
        await pilot.press("f3")
        await wait_for(pilot, lambda: body.scroll_y == 0, what="back to the top")


async def test_cutover_tsql_below_the_fold_has_a_cue_and_pgdn_reaches_it(context, sandbox):
    from screens.cutover import CutoverScreen

    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(120)
    sandbox.take_log_backup("SalesDB")
    sandbox.advance(30)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), what="dialog")
        dialog = app.screen
        tsql = dialog.query_one("#tail-tsql", Static)
        await wait_for(pilot, lambda: "BACKUP LOG" in str(tsql.render()), what="T-SQL")
        steps = dialog.query_one("#cutover-steps")

        def tsql_seen() -> bool:
            return steps.scrollable_content_region.contains_region(
                tsql.region.intersection(steps.scrollable_content_region)
            ) and bool(tsql.region.intersection(steps.scrollable_content_region).height)

        await wait_for(pilot, lambda: "below" in cue(dialog, "#cutover-more"), what="cue")
        assert not tsql_seen()
        assert dialog.query_one("#confirm-name").has_focus
        for _ in range(4):
            await pilot.press("pagedown")
        await wait_for(pilot, tsql_seen, what="the T-SQL on screen")
        assert dialog.query_one("#confirm-name").has_focus  # typing the name is not disturbed


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step6_long_findings_snapshot(snap_compare, context, sandbox, ids, fixed_home, size):  # noqa: F811
    """SSISDB selected and highlighted: its findings below the list, the refusal under them,
    each with its cue when it runs past its room."""
    project_at(6, sandbox, ids)
    app = app_for(context)

    async def ready(pilot):
        await opened(pilot, 6)
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index("SSISDB")), "space", "ctrl+n")
        await wait_for(pilot, lambda: "SSISDB" in str(app.screen.query_one("#step-error").render()))
        await wait_for(pilot, lambda: focus_settled(app), what="focus drawn")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
