"""The cutover dialog follows the tail-log gate, walked with the keyboard at 80x24."""

from __future__ import annotations

import threading
import time

from textual.widgets import Button, Input

from screens.cutover import CutoverScreen
from tests.helpers.sandbox_migrations import (
    advance_until_ready,
    advance_until_tail_restored,
    cutover_posts,
    open_cutover,
    open_monitor,
    settle,
    start,
    take_tail,
    text_of,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.sandbox import Fault


async def test_the_button_waits_for_dms_to_restore_the_tail_log_taken_here(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.take_log_backup("SalesDB")
    advance_until_ready(c, sandbox, mig.id)
    src = sandbox.sql_server(sandbox.source_address)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        assert isinstance(dialog, CutoverScreen)
        assert app.focused is dialog.query_one("#confirm-name", Input)
        # a steady cursor: a blinking one redraws the field twice a second over SSH
        assert not any(field.cursor_blink for field in dialog.query(Input))
        await settle(app, pilot)
        # the T-SQL for running by hand names the very file ctrl+t takes
        assert f"/SalesDB/{dialog.planned_name}'" in text_of(dialog, "#tail-tsql")
        assert "NORECOVERY" in text_of(dialog, "#tail-tsql")

        # ctrl+t is refused while step 1 (traffic stopped) is not ticked
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.screen is dialog and not dialog.backup_taken
        assert "Tick step 1 first" in text_of(dialog, "#cutover-why")
        assert next(d for d in src.databases() if d.name == "SalesDB").state == "ONLINE"

        await pilot.click("#stopped")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "SalesDB" in text_of(app.screen, "#confirm-question")
        await pilot.press("y")
        await settle(app, pilot)
        tail = dialog.tail_file
        assert dialog.backup_taken and tail == dialog.planned_name
        assert next(d for d in src.databases() if d.name == "SalesDB").state == "RESTORING"

        # the name is typed; only the gate holds the button now
        await pilot.click("#confirm-name")
        await pilot.press(*"SalesDB")
        button = dialog.query_one("#cutover-confirm", Button)
        saw_pending_zero_before_listed = False
        for _ in range(100):
            sandbox.advance(5)
            await monitor.refresh_once()
            await pilot.pause()
            d = c.get_migration(mig.id)  # what Azure holds now
            restored = d.last_restored_filename == tail
            if restored:
                break
            assert button.disabled
            assert f"waiting for DMS to restore {tail}." in text_of(dialog, "#cutover-why")
            assert f"Waiting for DMS to restore {tail}" in text_of(dialog, "#step-wait")
            listed = any(f.name == tail for f in d.backup_files)
            saw_pending_zero_before_listed |= not listed and d.pending_log_backups == 0
        assert restored and saw_pending_zero_before_listed
        assert not button.disabled
        assert cutover_posts(sandbox) == 0

        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is monitor
        assert cutover_posts(sandbox) == 1
        assert monitor.last_note.startswith("Azure accepted the cutover of SalesDB")
        assert c.get_migration(mig.id).status == "Completing"


async def test_enter_is_refused_with_the_reason_while_not_allowed(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    advance_until_ready(c, sandbox, mig.id)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        await pilot.press(*"SalesDB", "enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "tick step 1" in text_of(dialog, "#cutover-why")
        assert cutover_posts(sandbox) == 0


async def test_close_works_while_the_request_is_on_its_way(context, sandbox):
    c = context.controller
    mig = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    advance_until_ready(c, sandbox, mig.id)
    tail = take_tail(sandbox, "SalesDB")
    advance_until_tail_restored(c, sandbox, mig.id, tail)
    returned = threading.Event()
    cutover = c.cutover

    def spy(*args, **kwargs):
        try:
            return cutover(*args, **kwargs)
        finally:
            returned.set()

    c.cutover = spy
    sandbox.inject(Fault.slow(1.0, match="/cutover"))  # the answer takes a while
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        dialog = await open_cutover(pilot)
        dialog.query_one("#tail-file", Input).value = tail
        await pilot.pause()
        dialog.query_one("#stopped").value = True
        await pilot.click("#confirm-name")
        await pilot.press(*"SalesDB", "enter")
        await pilot.pause()
        assert dialog.sending and not returned.is_set()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor  # closed at once, the request still on its way
        assert "still on its way" in monitor.last_note
        assert "monitor keeps following" in monitor.last_note
        deadline = time.monotonic() + 30
        while not returned.is_set():
            assert time.monotonic() < deadline, "the cutover call never returned"
            await pilot.pause()
        await monitor.refresh_once()
        await pilot.pause()
        assert monitor.selected.status == "Completing"
        assert cutover_posts(sandbox) == 1
