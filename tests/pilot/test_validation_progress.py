"""Row validation of a database with 10,000 tables: while each side is counted the screen
says which and for how long, the footer stays, and the verdict stays on screen after an
export (the export's own line is beside it)."""

from __future__ import annotations

import threading

from textual.widgets import Footer, Static

from screens.validation import ValidationScreen
from tests.helpers.sandbox_migrations import start
from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.context import SourceParams
from tui.models import TableRowCount, TargetKind

TABLES = tuple(TableRowCount("dbo", f"T{n:05d}", n) for n in range(10_000))


def summary(screen) -> str:
    return str(screen.query_one("#validation-summary", Static).render())


def footer_shown(app) -> bool:
    footer = app.screen.query_one(Footer)
    return footer.display and footer.region.height == 1 and footer.region.bottom == app.size.height


async def test_ten_thousand_tables_show_progress_keep_the_footer_and_the_verdict(
    context, sandbox, monkeypatch, tmp_path
):
    import tui.row_validation as rv

    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    detail = context.controller.get_migration(mig.id)
    sides: list[str] = []
    go = threading.Event()

    def count_rows(ctx, params, database):  # one side at a time, when the test says so
        sides.append(database)
        go.wait(timeout=30)
        go.clear()
        return TABLES

    monkeypatch.setattr(rv, "count_rows", count_rows)
    app = DmsTuiApp(context)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = ValidationScreen(
                detail, SourceParams(server=sandbox.source_address), export_folder=tmp_path
            )
            await app.push_screen(screen)
            await wait_for(pilot, lambda: "(1 of 2)" in summary(screen), what="source phase")
            assert "s so far" in summary(screen) and footer_shown(app)
            go.set()
            await wait_for(pilot, lambda: "(2 of 2)" in summary(screen), what="target phase")
            assert footer_shown(app)
            go.set()
            await wait_for(pilot, lambda: screen.report is not None, what="report")
            await wait_for(pilot, lambda: "All tables match" in summary(screen), what="verdict")
            table = screen.query_one("#validation-table")
            assert table.row_count == 10_000
            assert footer_shown(app)
            await pilot.press("e")
            export = screen.query_one("#validation-export", Static)
            await wait_for(pilot, lambda: "Exported" in str(export.render()), what="exported")
            assert "All tables match" in summary(screen)  # the verdict stays
    finally:
        go.set()
