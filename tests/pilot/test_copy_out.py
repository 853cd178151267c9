"""Keys, URLs and T-SQL leave the app whole: the cutover's tail-log T-SQL is shown on its own
lines without wrapping inside its URL, Ctrl+Y copies it (OSC 52) and writes it to a 0600 file
the DBA can open and select; an auth key is copied but never written anywhere."""

from __future__ import annotations

import stat

from textual.widgets import Static

from screens.cutover import CutoverScreen
from tests.helpers.sandbox_migrations import open_monitor, start
from tests.helpers.wizard_pilot import wait_for
from tests.helpers.wizard_projects import opened_at
from tui.app import DmsTuiApp
from tui.models import TargetKind


async def test_ctrl_y_copies_the_tail_log_tsql_and_writes_it_whole(context, sandbox, dms_home):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(120)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), what="dialog")
        dialog = app.screen
        await wait_for(pilot, lambda: getattr(dialog, "tsql", ""), what="T-SQL")
        tsql = dialog.tsql
        assert "https://" in tsql
        shown = dialog.query_one("#tail-tsql", Static)
        assert str(shown.render()) == tsql
        lines = len(tsql.splitlines())
        # no line wrapped (once the dialog's layout has taken the T-SQL in)
        await wait_for(pilot, lambda: shown.region.height == lines, what="the T-SQL laid out")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.clipboard == tsql, what="copied")
        await wait_for(
            pilot,
            lambda: any("written whole to" in n.message for n in app._notifications),
            what="written",
        )
        written = next((dms_home / "exports").glob("*.sql"))
        assert written.read_text() == tsql + "\n"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert str(written) in next(n.message for n in app._notifications if ".sql" in n.message)


async def test_an_auth_key_is_copied_but_never_written(context, sandbox, ids, dms_home):
    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.service is not None, what="service")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.screen.keys is not None, what="auth keys")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.clipboard == app.screen.keys.auth_key1, what="copied")
        await pilot.pause()
        key = app.screen.keys.auth_key1
    written = [p for p in dms_home.rglob("*") if p.is_file()]
    assert all(key not in p.read_text(errors="replace") for p in written)
    assert not (dms_home / "exports").exists()
