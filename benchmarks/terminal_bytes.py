"""Bytes the monitor writes to the terminal per minute: idle (nothing changes in Azure) and
active.

The app renders every frame for an 80x24, 256-colour terminal into a driver that counts
the bytes (``harness.CountingDriver``: the exact escape sequences Textual would send). The
sandbox runs on its manual clock, so a minute is well defined: the monitor's own refresh
interval (its default, 5 s) times the refreshes that fit in 60 s, the clock moved on one
interval before each. The project: four online managed-instance migrations of SalesDB; the
first row is selected, as on opening.

* idle: three hours in, every backup restored, waiting for cutover: nothing changes in
  Azure, only the clock moves;
* active: the data-sync phase (minute 3 to 4): a log backup taken every 30 s, so files
  arrive, restore and the pending count moves.

Also printed: what the app writes in a real second with no refresh (timers that draw).

Run:  python benchmarks/terminal_bytes.py [--quick]
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h


def refresh_interval() -> float:
    from screens.monitor import MonitorScreen

    return float(inspect.signature(MonitorScreen).parameters["interval"].default)


async def one_minute(
    start_after: float, refreshes: int, interval: float, log_every: float = 0, quiet: float = 1.0
) -> dict:
    from screens.monitor import MonitorScreen
    from tui.app import DmsTuiApp

    sandbox, context = h.sandbox_context()
    made = h.create_migrations(context.controller, sandbox, [f"Sales{i:03d}" for i in range(1, 5)])
    sandbox.advance(start_after)
    app = DmsTuiApp(context)
    async with h.terminal(app) as (pilot, driver):
        monitor = MonitorScreen(
            migration_ids=[m.id for m in made],
            service_id=made[0].migration_service_id,
            interval=3600,
        )
        await app.push_screen(monitor)
        for _ in range(5):  # the list, then the selected migration's detail
            await monitor.refresh_once()
            await h.drawn(pilot)
            if monitor.selected is not None:
                break
        before = driver.bytes
        per_refresh = []
        for r in range(refreshes):
            if log_every and r % max(1, round(log_every / interval)) == 0:
                sandbox.take_log_backup("SalesDB")
            sandbox.advance(interval)
            mark = driver.bytes
            await monitor.refresh_once()
            await h.drawn(pilot)
            per_refresh.append(driver.bytes - mark)
        minute = driver.bytes - before
        mark = driver.bytes
        await asyncio.sleep(quiet)
        await h.drawn(pilot)
        d = monitor.selected
        return {
            "minute": minute,
            "per_refresh": per_refresh,
            "quiet": driver.bytes - mark,
            "selected": f"{d.target_database} ({d.kind.value}, {d.status})" if d else "none",
        }


def main(argv: list[str] | None = None) -> None:
    args = h.parse_args(__doc__, argv)
    interval = refresh_interval()
    per_minute = max(1, round(60 / interval))
    refreshes = 1 if args.quick else per_minute
    scale = per_minute / refreshes
    quiet = 0.2 if args.quick else 1.0
    h.header(
        f"Terminal output of the monitor ({h.SIZE[0]}x{h.SIZE[1]}, 256 colours), "
        f"a refresh every {interval:g} s"
    )
    for label, start_after, log_every, goal in (
        ("idle", 3 * 3600, 0, "< 2 KB"),
        ("active", 180, 30, ""),
    ):
        out = asyncio.run(one_minute(start_after, refreshes, interval, log_every, quiet))
        kb = out["minute"] * scale / 1024
        scaled = f" (from {refreshes} refreshes)" if scale != 1 else ""
        h.figure(f"bytes per minute, {label}", f"{kb:.1f} KB{scaled}", goal)
        h.note(
            f"per refresh: median {h.median(out['per_refresh']):,.0f} B, "
            f"max {max(out['per_refresh']):,} B; selected {out['selected']}; "
            f"{quiet:g} s with no refresh: {out['quiet']:,} B"
        )


if __name__ == "__main__":
    main()
