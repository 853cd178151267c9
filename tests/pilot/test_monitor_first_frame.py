"""The monitor's first frame shows every migration on screen in its true state: the states
that need a migration's detail (ready for cutover) are read with the first load, not a
refresh later, so a waiting list is drawn once and then left alone (bytes on a slow link)."""

from __future__ import annotations

import re

from screens.monitor import MonitorScreen
from tests.helpers.sandbox_migrations import advance_until_ready, start
from tui.app import DmsTuiApp
from tui.models import TargetKind


def _status_cells(monitor) -> list[str]:
    table = monitor.query_one("#migrations")
    col = table.shown_columns.index(table.column_names.index("Status"))
    return [str(table.get_row(k)[col]) for k in table.keys]


async def test_every_waiting_migration_reads_ready_in_the_first_frame(context, sandbox):
    controller = context.controller
    made = [
        start(controller, sandbox, TargetKind.SQL_MI, "SalesDB", target_database=name)
        for name in ("Sales1", "Sales2", "Sales3")
    ]
    for mig in made:
        advance_until_ready(controller, sandbox, mig.id)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(
            migration_ids=[m.id for m in made],
            service_id=made[0].migration_service_id,
            interval=3600,
        )
        shown: list[tuple[list[str], str]] = []
        apply = monitor._on_fetched

        def watch(snapshot):  # what the screen shows right after each answer
            apply(snapshot)
            shown.append((_status_cells(monitor), str(monitor.query_one("#state-counts").render())))

        monitor._on_fetched = watch  # type: ignore[method-assign]
        await app.push_screen(monitor)
        for _ in range(2000):
            if shown:
                break
            await pilot.pause()
        assert shown, "the first answer never came"
        cells, counts = shown[0]
        assert cells == ["ReadyForCutover"] * 3
        assert re.search(r"Ready( for cutover)? 3", counts), counts
        # a refresh with nothing new in Azure changes nothing on screen
        await monitor.refresh_once()
        await pilot.pause()
        assert shown[-1] == shown[0]
