"""Applying one refresh to the table pane of an Azure SQL Database migration of 20,000 tables.

The monitor shows one SQL Database migration (80x24) whose detail comes from the scripted
Controller of the tests (``tests/helpers/monitor_fakes.py``), so each refresh carries exactly the
change wanted:

* first load: the refresh that fills the pane of a monitor just opened on the migration, from
  empty to 20,000 rows (opening the screen itself is printed apart);
* typical: 5 of the 20,000 tables moved on;
* every row changes: every table's copied rows moved on.

Each figure is the event-loop thread's CPU time (``time.thread_time``) from asking the
monitor to refresh until the frame it causes is written (rendered to terminal escape
sequences, see ``harness.CountingDriver``), median and p95; wall times are printed too.

The read behind each refresh runs on a worker thread and is not in those figures; it is
printed after them: ``Controller.list_service_migrations`` and ``Controller.get_migration``
of the same migration in the sandbox (real SDK, simulated Azure), CPU time of the calling
thread — time the worker holds the interpreter against the screen.

Run:  python benchmarks/monitor_tables.py [--quick] [--tables N] [--rounds N]
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

TYPICAL_CHANGES = 5


def moved(detail, indexes, step: int):
    """``detail`` with the tables at ``indexes`` ``step`` rows further on."""
    tables = list(detail.tables)
    for i in indexes:
        t = tables[i]
        tables[i] = replace(t, rows_copied=t.rows_copied + step, rows_read=t.rows_read + step)
    return replace(detail, tables=tuple(tables))


def _loaded(monitor, tables: int) -> bool:
    return monitor.selected is not None and len(monitor.selected.tables) == tables


async def opened(pilot, monitor, tables: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Open ``monitor``, then refresh it until it shows ``tables`` tables: (CPU, wall) of
    opening the screen, and of the refresh that fills the pane (the same span when the
    tables came with the opening)."""
    cpu, wall = time.thread_time(), time.perf_counter()
    await pilot.app.push_screen(monitor)
    await h.drawn(pilot)
    opening = (time.thread_time() - cpu, time.perf_counter() - wall)
    if _loaded(monitor, tables):
        return opening, opening
    for _ in range(5):
        cpu, wall = time.thread_time(), time.perf_counter()
        await monitor.refresh_once()
        await h.drawn(pilot)
        if _loaded(monitor, tables):
            return opening, (time.thread_time() - cpu, time.perf_counter() - wall)
    raise RuntimeError("the monitor never showed the migration's tables")


async def apply_figures(tables: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    from screens.monitor import MonitorScreen
    from tests.helpers.monitor_fakes import T0, FakeController, db_detail
    from tui.app import DmsTuiApp

    detail = db_detail("InventoryHub", tables=tables, copied=0.5)
    ctl = FakeController(detail)
    app = DmsTuiApp(h.scripted_context(ctl))
    out: dict[str, list[tuple[float, float]]] = {
        "first": [],
        "typical": [],
        "every": [],
        "opening": [],
    }
    async with h.terminal(app) as (pilot, _driver):
        monitor = None
        for _ in range(max(1, rounds // 2)):
            if monitor is not None:
                app.pop_screen()
                await h.drawn(pilot)
            ctl.set(detail)
            monitor = MonitorScreen(
                migration_ids=[detail.id], service_id="svc", interval=3600, clock=lambda: T0
            )
            opening, first = await opened(pilot, monitor, tables)
            out["opening"].append(opening)
            out["first"].append(first)
        assert monitor is not None and monitor.selected is not None
        assert len(monitor.selected.tables) == tables
        current = detail
        for r in range(rounds):
            start = (r * TYPICAL_CHANGES * 997) % tables
            current = moved(
                current, [(start + k * 3989) % tables for k in range(TYPICAL_CHANGES)], 10
            )
            ctl.set(current)
            out["typical"].append(await h.measure_refresh(pilot, monitor))
        for _ in range(rounds):
            current = moved(current, range(tables), 1)
            ctl.set(current)
            out["every"].append(await h.measure_refresh(pilot, monitor))
    return out


def read_figures(tables: int, rounds: int) -> tuple[list[float], list[float], int]:
    """CPU of the sandbox reads behind one refresh: the list, and the migration's detail."""

    sandbox, context, mig = h.sqldb_copying(tables)
    listed, got, reported = [], [], 0
    for _ in range(rounds):
        sandbox.advance(5)
        cpu = time.thread_time()
        context.controller.list_service_migrations(mig.migration_service_id)
        listed.append(time.thread_time() - cpu)
        cpu = time.thread_time()
        reported = len(context.controller.get_migration(mig.id).tables)
        got.append(time.thread_time() - cpu)
    return listed, got, reported


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--tables", type=int, default=20_000, help="how many (default 20000)")
        p.add_argument(
            "--rounds",
            type=int,
            default=6,
            help="refreshes of each kind (default 6; first loads: half)",
        )

    args = h.parse_args(__doc__, argv, extra)
    tables, rounds = (200, 1) if args.quick else (args.tables, args.rounds)
    h.header(f"Table pane of a {tables:,}-table SQL Database migration ({h.SIZE[0]}x{h.SIZE[1]})")
    out = asyncio.run(apply_figures(tables, rounds))
    for key, label in (
        ("typical", f"typical ({TYPICAL_CHANGES} tables change)"),
        ("every", "every row changes"),
        ("first", "first load"),
    ):
        h.figure(
            f"apply one refresh, {label}", h.spread([c for c, _ in out[key]]) + " CPU", "< 100 ms"
        )
        h.note(f"wall: {h.spread([w for _, w in out[key]])}")
    h.note(
        "opening the monitor screen before that first load: "
        f"{h.spread([c for c, _ in out['opening']])} CPU"
    )
    listed, got, reported = read_figures(tables, 1 if args.quick else 3)
    h.note(
        f"the read on the worker thread, sandbox, {reported:,} tables reported: "
        f"list of the instance's migrations {h.ms(h.median(listed))} CPU, "
        f"the migration's detail {h.ms(h.median(got))} CPU (medians)"
    )


if __name__ == "__main__":
    main()
