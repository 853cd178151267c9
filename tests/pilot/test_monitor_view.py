"""Filtering by text and state, sorting by column, rows updated in place (not cleared)."""

from __future__ import annotations

from dataclasses import replace

from screens.monitor import MonitorScreen
from tests.helpers.monitor_fakes import T0, FakeController, db_detail, mi_detail
from tui.app import DmsTuiApp
from tui.context import AppContext


async def _monitor(pilot, app, ctl):
    monitor = MonitorScreen(service_id="svc", interval=3600, clock=lambda: T0)
    await app.push_screen(monitor)
    await pilot.pause()
    await monitor.refresh_once()
    await monitor.refresh_once()
    await pilot.pause()
    return monitor


def _fake():
    return FakeController(
        mi_detail("Payroll", pending=2),
        mi_detail("Billing", pending=0, status="Succeeded"),
        mi_detail("Archive", pending=0, status="Failed"),
        db_detail("SalesDB"),
    )


async def test_filter_by_text_and_state_and_sort():
    ctl = _fake()
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app, ctl)
        table = monitor.query_one("#migrations")
        assert table.row_count == 4
        counts = str(monitor.query_one("#state-counts").render())
        assert "In progress 2" in counts and "Succeeded 1" in counts and "Failed 1" in counts
        await pilot.press("slash")
        await pilot.press(*"sqldb")
        await pilot.pause()
        assert table.row_count == 1 and "sqldb" in monitor.filter_text.lower()
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 4 and app.focused is table
        await pilot.press("f")  # in progress
        assert table.row_count == 2
        await pilot.press("f", "f", "f", "f")  # stalled, ready, completing, succeeded
        assert table.row_count == 1 and table.keys[0].endswith("/billing")
        await pilot.press("f", "f", "f")  # failed, canceled, then everything
        assert table.row_count == 4
        await pilot.press("o")  # sort by source database
        await pilot.pause()
        order = [
            table.coordinate_to_cell_key((r, 0)).row_key.value.rsplit("/", 1)[-1]
            for r in range(table.row_count)
        ]
        assert order == sorted(order, key=str.lower)


def _header(table) -> str:
    return table.render_line(0).text


async def test_the_sorted_column_shows_its_arrow():
    app = DmsTuiApp(AppContext(controller=_fake()))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app, None)
        table = monitor.query_one("#migrations")
        before = _header(table)
        assert "▲" not in before and "▼" not in before
        await pilot.press("o")
        await pilot.pause()
        assert "Source db ▲" in _header(table)
        await pilot.press("o")
        await pilot.pause()
        header = _header(table)
        assert "Target ▲" in header and "Source db ▲" not in header
        await pilot.click("#migrations", offset=(header.index("Target") + 1, 0))
        await pilot.pause()
        assert "Target ▼" in _header(table)  # a click on the header reverses it
        order = [
            table.coordinate_to_cell_key((r, 0)).row_key.value.rsplit("/", 1)[-1]
            for r in range(table.row_count)
        ]
        targets = [f"mi1/{n}" if n != "SalesDB" else f"sql1/{n}" for n in order]
        assert targets == sorted(targets, key=str.lower, reverse=True)
        await pilot.press("o")  # Kind: a fixed width narrower than "Kind ▲" widens for it
        await pilot.pause()
        header = _header(table)
        assert "Kind ▲" in header and "▼" not in header


async def test_rows_are_updated_in_place_and_the_cursor_stays():
    ctl = _fake()
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app, ctl)
        table = monitor.query_one("#migrations")
        await pilot.press("down", "down", "down")  # SalesDB, still in progress
        await pilot.pause()
        selected = table.selected_key
        row_keys = list(table.rows)
        d = ctl.details[selected]
        ctl.set(replace(d, status="Completing"))
        await monitor.refresh_once()
        await pilot.pause()
        assert list(table.rows) == row_keys  # same row objects, nothing re-added
        assert table.selected_key == selected and table.cursor_row == 3
        assert table.updates == 1  # only the status cell
        assert "Completing" in str(monitor.query_one("#detail-title").render())


async def test_log_backup_asks_for_the_source_password_once_and_keeps_it_in_memory():
    from tui.models import BackupResult
    from tui.projects import Project

    ctl = _fake()
    seen = []

    class Source:
        def backup_log(self, db, url, *, tail=False):
            return BackupResult(db, "log", url, f"BACKUP LOG [{db}] TO URL = N'{url}'")

        def close(self):
            pass

    def open_source(params):
        seen.append(params)
        return Source()

    payroll = mi_detail("Payroll", pending=2)
    project = Project(
        name="p",
        service_id="svc",
        migration_ids=[payroll.id],
        source={"server": "sql01", "authentication": "sql", "user": "sa"},
    )
    app = DmsTuiApp(AppContext(controller=ctl, open_source_fn=open_source))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = MonitorScreen(project=project, interval=3600, clock=lambda: T0)
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        await monitor.refresh_once()
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Take a log backup of Payroll (migration Payroll → mi1/Payroll)" in question
        first = question.split("File: ", 1)[1].split()[0]
        assert first.startswith("Payroll_log_20260302_080000_000") and first.endswith(".trn")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press(*"s3cret", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen and seen[0].server == "sql01" and seen[0].password == "s3cret"
        assert "Log backup of Payroll taken" in monitor.last_note
        assert f"{first} (in …/c/Payroll)" in monitor.last_note
        await pilot.press("l", "y")  # no second password prompt; never the same file name
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(seen) == 2 and app.screen is monitor, (monitor.last_note, app.screen)
        assert "Payroll_log_20260302_080000_000_" in monitor.last_note
        assert first not in monitor.last_note
        assert "s3cret" not in repr(project) and "s3cret" not in str(project.source)


async def test_the_cursor_stays_on_its_migration_when_a_refresh_resorts_the_list():
    ctl = _fake()
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app, ctl)
        table = monitor.query_one("#migrations")
        await pilot.press(*"ooooo")  # Source db, Target, Kind, Mode, then Status
        await pilot.pause()
        assert "Status ▲" in _header(table)
        payroll = next(k for k in table.keys if k.endswith("/payroll"))
        steps = table.get_row_index(payroll) - table.cursor_row
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
        await pilot.pause()
        assert table.selected_key == payroll and table.cursor_row > 0
        # Payroll is canceled elsewhere: by Status it now sorts first
        ctl.set(replace(ctl.details[payroll], status="Canceled"))
        await monitor.refresh_once()
        await pilot.pause()
        assert table.get_row_index(payroll) == 0
        assert table.selected_key == payroll and table.cursor_row == 0
        assert monitor.selected_id == payroll
        assert "Payroll" in str(monitor.query_one("#detail-title").render())
        assert "Canceled" in table.render_line(1).text and "Payroll" in table.render_line(1).text


async def test_a_text_filter_survives_a_refresh_that_changes_other_rows():
    ctl = _fake()
    app = DmsTuiApp(AppContext(controller=ctl))
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await _monitor(pilot, app, ctl)
        table = monitor.query_one("#migrations")
        await pilot.press("slash", *"payroll", "enter")
        await pilot.pause()
        assert table.row_count == 1 and table.keys[0].endswith("/payroll")
        sales = next(k for k in ctl.details if k.endswith("/salesdb"))
        ctl.set(replace(ctl.details[sales], status="Failed"))
        await monitor.refresh_once()
        await pilot.pause()
        assert table.row_count == 1 and table.keys[0].endswith("/payroll")
        assert "filter: payroll" in str(monitor.query_one("#monitor-status").render())
        assert "Failed 2" in str(monitor.query_one("#state-counts").render())
