"""The monitor tells the truth at 80x24: a stalled migration is flagged with what to check and
the fix, a migration ready for cutover says so in the list, a canceled one is counted as
canceled, and a big file being restored shows its percent and an estimate."""

from __future__ import annotations

import re
from dataclasses import replace

from tests.helpers.sandbox_migrations import (
    advance_until_ready,
    open_monitor,
    spec_for,
    start,
    step,
    text_of,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind


def _status_cells(monitor) -> list[str]:
    table = monitor.query_one("#migrations")
    col = table.column_names.index("Status")
    shown = list(table.shown_columns)
    return [str(table.get_row(k)[shown.index(col)]) for k in table.keys]


def _counts(monitor) -> str:
    return str(monitor.query_one("#state-counts").render())


def _problem(monitor) -> str:
    return text_of(monitor, "#backup-pane .problem")


async def _workers_done(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_empty_backup_folder_is_flagged_as_stalled_with_the_fix(context, sandbox):
    # LedgerArchive's full backup went into Ledger's folder: its own folder holds nothing
    controller = context.controller
    spec = spec_for(controller, sandbox, TargetKind.SQL_MI, "LedgerArchive", online=False)
    mig = controller.create_migration(replace(spec, last_backup_name="LedgerArchive_full.bak"))
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        for _ in range(4):  # 8 minutes: not stalled yet, DMS may still be scanning
            await step(app, pilot, monitor, sandbox, 120)
        assert monitor.selected.backup_files == ()
        assert _status_cells(monitor) == ["InProgress"]
        assert "Stalled" not in _counts(monitor)

        for _ in range(2):  # past 10 minutes with no backup file seen
            await step(app, pilot, monitor, sandbox, 120)
        await _workers_done(app, pilot)  # the folder check the stall started
        assert _status_cells(monitor) == ["⚠ Stalled"]  # a marker and a word, not colour
        assert "⚠ Stalled 1" in _counts(monitor)
        assert "In progress 0" in _counts(monitor) or "Running 0" in _counts(monitor)
        assert "STALLED" in text_of(monitor, "#detail-title")
        problem = _problem(monitor)
        assert "⚠ STALLED: no backup file seen 12m00s after the start" in problem
        # the backup-folder preflight ran by itself: what it found, and the fix
        assert re.search(r"Folder check ✗ \S+/sqlmigration/LedgerArchive/ is empty", problem)
        assert "Fix: Back up LedgerArchive to URL into LedgerArchive/" in problem
        checks = [r for r in sandbox.requests if "comp=list" in (r.url or "").lower()]
        assert len(checks) >= 1
        before = len(checks)
        await step(app, pilot, monitor, sandbox, 120)
        await _workers_done(app, pilot)
        after = [r for r in sandbox.requests if "comp=list" in (r.url or "").lower()]
        assert len(after) == before  # not checked again while the stall stays the same


async def test_ready_for_cutover_is_its_own_state_in_the_list(context, sandbox):
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        assert _status_cells(monitor) == ["InProgress"]
        advance_until_ready(controller, sandbox, mig.id)
        await monitor.refresh_once()
        await pilot.pause()
        assert _status_cells(monitor) == ["ReadyForCutover"]
        counts = _counts(monitor)
        assert re.search(r"Ready( for cutover)? 1", counts), counts
        assert re.search(r"(In progress|Running) 0", counts), counts


async def test_a_canceled_migration_is_counted_as_canceled_not_failed(context, sandbox):
    controller = context.controller
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.advance(30)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        controller.cancel_migration(mig.id)
        sandbox.advance(30)
        await monitor.refresh_once()
        await pilot.pause()
        assert _status_cells(monitor) == ["Canceled"]
        counts = _counts(monitor)
        assert "Canceled 1" in counts and "Failed 0" in counts, counts


async def test_a_big_restore_shows_the_files_percent_and_an_estimate(context, sandbox):
    # InventoryHub's full backup is about 25 GB: it takes minutes to restore
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "InventoryHub")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await step(app, pilot, monitor, sandbox, 60)
        files = monitor.query_one("#backup-files")
        full = next(f for f in monitor.selected.backup_files if f.status == "Restoring")
        assert full.total_size > 20 * 1024**3
        facts = text_of(monitor, "#backup-pane .facts")
        first = int(re.search(r"Restoring Invent\S+: (\d+)%", facts).group(1))
        assert first < 20
        # one refresh: Azure's own throughput gives the first estimate
        assert re.search(r"\(Azure\) · about \d+m\d\ds left", facts), facts

        await step(app, pilot, monitor, sandbox, 120)
        facts = text_of(monitor, "#backup-pane .facts")
        match = re.search(r"Restoring Invent\S+: (\d+)% · ([\d.]+) GB of 2\d\.\d GB", facts)
        assert match is not None, facts
        second = int(match.group(1))
        assert second > first
        # two refreshes: the rate this session observed, and the time left from it
        eta = re.search(r"/s \(observed\) · about (\d+)m(\d\d)s left", facts)
        assert eta is not None, facts
        left = int(eta.group(1)) * 60 + int(eta.group(2))
        assert 200 < left < 600
        cells = [str(files.get_row(k)[2]) for k in files.keys]
        assert f"Restoring {second}%" in cells
        # the bar above counts the part restored so far, not only whole files
        title = text_of(monitor, "#detail-title")
        assert int(re.search(r"[█░]+ +(\d+)%", title).group(1)) > 0

        await step(app, pilot, monitor, sandbox, 600)
        full = next(f for f in monitor.selected.backup_files if f.name == full.name)
        assert full.status == "Restored" and full.data_written == full.total_size
        assert "Restoring Invent" not in text_of(monitor, "#backup-pane .facts")


async def test_the_first_row_is_highlighted_with_its_detail_as_soon_as_the_list_arrives(
    context, sandbox
):
    controller = context.controller
    first = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    second = start(controller, sandbox, TargetKind.SQL_MI, "InventoryHub")
    sandbox.advance(30)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.monitor import MonitorScreen

        monitor = MonitorScreen(
            migration_ids=[first.id, second.id],
            service_id=first.migration_service_id,
            interval=3600,
        )
        shown: list[tuple[str, str]] = []
        seen: list[int] = []
        apply = monitor._on_fetched

        def watch(snapshot):  # what the screen shows right after each answer
            apply(snapshot)
            shown.append((monitor.selected_id, text_of(monitor, "#detail-title")))
            seen.append(len(sandbox.requests))

        monitor._on_fetched = watch  # type: ignore[method-assign]
        before = len(sandbox.requests)
        await app.push_screen(monitor)
        for _ in range(2000):
            if shown:
                break
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the very first answer brought the list and the first row's detail together
        key, title = shown[0]
        assert key == first.id.lower() and "SalesDB →" in title and "Loading" not in title
        table = monitor.query_one("#migrations")
        assert table.selected_key == first.id.lower() and table.has_focus
        # ... in one round: one list, one detail; and no second round followed at once
        asked = sandbox.requests[before : seen[0]]
        assert len([r for r in asked if r.path.endswith("/listMigrations")]) == 1
        assert len(shown) == 1
