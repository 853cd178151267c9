"""Event-loop CPU of one monitor refresh with 500 migrations, layout and render included.

The sandbox runs 500 online managed-instance migrations (one project, 80x24, the first one
selected), half an hour in: backups restored, durations still counting seconds. Each measured
refresh goes from asking the monitor to refresh until the frame it causes is written to the
terminal (rendered to escape sequences, see ``harness.CountingDriver``); the figure is the CPU
time of the event-loop thread over that span (``time.thread_time``), so the Azure read on the
worker thread and the machine's other load don't count. Two kinds of refresh, alternated:

* something changed: the simulated clock moved on 5 s (one refresh interval), so every
  running migration's duration changed;
* nothing changed: the clock did not move, so Azure answers exactly as before.

Also printed: the wall time of the same spans, and what waiting for a frame costs the
event loop when nothing happens (included in the figures).

Run:  python benchmarks/monitor_refresh.py [--quick] [--migrations N] [--rounds N]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h


async def run(migrations: int, rounds: int) -> None:
    from screens.monitor import MonitorScreen
    from tui.app import DmsTuiApp

    sandbox, context = h.sandbox_context()
    made = h.create_migrations(
        context.controller, sandbox, [f"Sales{i + 1:03d}" for i in range(migrations)]
    )
    sandbox.advance(1800)
    service_id = made[0].migration_service_id
    app = DmsTuiApp(context)
    async with h.terminal(app) as (pilot, _driver):
        monitor = MonitorScreen(
            migration_ids=[m.id for m in made], service_id=service_id, interval=3600
        )
        await app.push_screen(monitor)
        await h.drawn(pilot)
        await monitor.refresh_once()  # the first load, not measured
        await h.drawn(pilot)
        floor = await h.harness_floor(pilot)
        changed: list[tuple[float, float]] = []
        same: list[tuple[float, float]] = []
        for _ in range(rounds):
            sandbox.advance(5)
            changed.append(await h.measure_refresh(pilot, monitor))
            same.append(await h.measure_refresh(pilot, monitor))
        shown = len(monitor.rows)
    h.figure(
        f"refresh CPU, {shown} migrations, something changed",
        h.spread([c for c, _ in changed]),
        "< 20 ms",
    )
    h.figure(
        f"refresh CPU, {shown} migrations, nothing changed",
        h.spread([c for c, _ in same]),
        "< 20 ms",
    )
    h.note(
        f"wall time of the same spans: changed {h.spread([w for _, w in changed])}; "
        f"nothing changed {h.spread([w for _, w in same])}"
    )
    h.note(f"waiting for a frame when nothing happens costs {h.ms(floor)} of that CPU")


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--migrations", type=int, default=500, help="how many (default 500)")
        p.add_argument("--rounds", type=int, default=10, help="refreshes of each kind (default 10)")

    args = h.parse_args(__doc__, argv, extra)
    migrations, rounds = (10, 1) if args.quick else (args.migrations, args.rounds)
    h.header(
        f"Monitor refresh, {migrations} migrations, {rounds} refreshes of each kind "
        f"({h.SIZE[0]}x{h.SIZE[1]})"
    )
    asyncio.run(run(migrations, rounds))


if __name__ == "__main__":
    main()
