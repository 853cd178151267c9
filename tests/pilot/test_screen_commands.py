"""The palette (Ctrl+P) offers every action of the screen in front by name, and selecting
one does what its key does: "cutover" opens the cutover dialog, "export" writes the files."""

from __future__ import annotations

from textual.command import CommandList

from screens.cutover import CutoverScreen
from screens.monitor import MonitorScreen
from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import on_screen, wait_for
from tests.helpers.wizard_projects import opened_at
from tui.app import DmsTuiApp
from tui.models import TargetKind


def hits(app) -> list[str]:
    found = app.screen.query_one(CommandList)
    prompts = (str(found.get_option_at_index(i).prompt) for i in range(found.option_count))
    return [prompt.splitlines()[0] for prompt in prompts]  # the title, not the help


async def run_by_name(pilot, typed: str, expected: str) -> None:
    """Ctrl+P, type ``typed``, wait until ``expected`` is the first hit, Enter."""
    await pilot.press("ctrl+p")
    await on_screen(pilot, "CommandPalette")
    await pilot.press(*typed)
    await wait_for(
        pilot,
        lambda: hits(pilot.app)[:1] and hits(pilot.app)[0].startswith(expected),
        what=f"{expected!r} first for {typed!r}",
    )
    await pilot.press("enter")


async def monitor_on_mi(context, sandbox, app, pilot, **kw) -> MonitorScreen:
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(120)
    sandbox.take_log_backup("SalesDB")
    sandbox.advance(30)
    return await open_monitor(app, pilot, mig, **kw)


async def test_cutover_by_name_opens_the_cutover_dialog(context, sandbox):
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await monitor_on_mi(context, sandbox, app, pilot)
        await run_by_name(pilot, "cutover", "Cutover (c)")
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), what="dialog")
        assert "SalesDB" in app.screen.migration_id


async def test_export_by_name_exports(context, sandbox, tmp_path):
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await monitor_on_mi(context, sandbox, app, pilot, export_folder=tmp_path)
        await run_by_name(pilot, "export", "Export (e)")
        await wait_for(pilot, lambda: "Exported" in monitor.last_note, what="export done")
        assert list(tmp_path.iterdir())


async def test_every_monitor_action_is_offered_by_name(context, sandbox):
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await monitor_on_mi(context, sandbox, app, pilot)
        for typed, expected in [
            ("log backup", "Log (l)"),
            ("validate", "Verify (v)"),
            ("preflight", "Folder (b)"),
            ("cancel", "Cancel (x)"),
            ("retry", "Retry (t)"),
            ("delete", "Delete (d)"),
        ]:
            await pilot.press("ctrl+p")
            await on_screen(pilot, "CommandPalette")
            await pilot.press(*typed)
            await wait_for(
                pilot,
                lambda expected=expected: expected in hits(app)[:3],
                what=f"{expected} for {typed}",
            )
            await pilot.press("escape")
            await on_screen(pilot, "MonitorScreen")


async def test_a_wizard_step_offers_its_actions(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.services, what="services")
        await run_by_name(pilot, "auth keys", "Keys (^g)")
        await wait_for(pilot, lambda: app.screen.keys is not None, what="keys read")
