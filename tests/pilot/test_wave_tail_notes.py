"""Once a wave's tail-log backups have answered, the dialog no longer says they are being
taken: each "Taking…" note gives way to the backup's answer, which is what shows at 80x24."""

from __future__ import annotations

from textual.widgets import Checkbox

from tests.helpers.sandbox_migrations import settle, text_of
from tests.helpers.wave_pilot import open_wave, start_application
from tui.app import DmsTuiApp


async def test_the_taking_notes_go_once_the_tail_logs_are_taken(context, sandbox, tmp_path):
    migs = start_application(context, sandbox)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        _, dialog = await open_wave(app, pilot, migs, "sales-app", export_folder=tmp_path)
        dialog.query_one("#wave-stopped", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert not dialog.backups_running
        assert all(m.tail_file for m in dialog.wave.members.values())
        notes = text_of(dialog, "#wave-notes")
        assert "Taking the tail-log backup" not in notes
        for m in dialog.wave.members.values():
            assert f"{m.database}: " in notes  # each backup's own answer
