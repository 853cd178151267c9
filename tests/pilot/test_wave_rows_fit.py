"""The wave's table at 80x24 cuts nothing silently: a backup file too long for its column
keeps its end, marked with "…", so one log is never mistaken for another."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import settle
from tests.helpers.wave_pilot import open_wave, start_application
from tui.app import DmsTuiApp
from tui.wave import COLUMNS, WIDTHS
from widgets.progress_table import KeyedTable


async def test_the_wave_rows_show_each_file_s_end_within_its_column(context, sandbox, tmp_path):
    migs = start_application(context, sandbox)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        _, dialog = await open_wave(app, pilot, migs, "sales-app", export_folder=tmp_path)
        await settle(app, pilot)
        table = dialog.query_one("#wave-rows", KeyedTable)
        last = COLUMNS.index("Last restored")
        for m in migs:
            detail = dialog.wave.member(m.id).detail
            restored = detail.last_restored_filename
            assert len(restored) > WIDTHS[last]  # e.g. SalesDB_log_003.trn: longer than 15
            shown = [str(c) for c in table.get_row(m.id.lower())]
            assert shown[last] == "…" + restored[-(WIDTHS[last] - 1) :]
            assert all(len(cell) <= width for cell, width in zip(shown, WIDTHS, strict=True))
