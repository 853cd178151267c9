"""Requests the monitor sends to Azure per refresh, counted where the sandbox receives them.

The sandbox has two DMS instances, three online managed-instance migrations on the first;
the clock moves on 5 s before each refresh. Counted over several refreshes after the
monitor has loaded (median), in two modes:

* every migration of the DMS instances (the monitor opened from the start screen, ``m``);
* a project's migrations (one instance), for reference.

The requests of the last refresh are listed by kind (method and ARM path shape).

Run:  python benchmarks/monitor_requests.py [--quick] [--rounds N]
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h


def shape(method: str, path: str) -> str:
    """``GET sqlMigrationServices/*/listMigrations``: the path after its last provider, with
    the names starred."""
    segs = path.strip("/").split("/")
    last = max((i for i, s in enumerate(segs) if s.lower() == "providers"), default=-2)
    rest = segs[last + 2 :] or segs
    return f"{method} " + "/".join(s if k % 2 == 0 else "*" for k, s in enumerate(rest))


async def per_refresh(sandbox, context, monitor_kwargs: dict, rounds: int):
    from screens.monitor import MonitorScreen
    from tui.app import DmsTuiApp

    app = DmsTuiApp(context)
    counts, last = [], []
    async with h.terminal(app) as (pilot, _driver):
        monitor = MonitorScreen(interval=3600, **monitor_kwargs)
        await app.push_screen(monitor)
        for _ in range(5):  # the list, then the selected migration's detail
            await monitor.refresh_once()
            await h.drawn(pilot)
            if monitor.selected is not None:
                break
        for _ in range(rounds):
            sandbox.advance(5)
            mark = len(sandbox.requests)
            await monitor.refresh_once()
            await h.drawn(pilot)
            last = sandbox.requests[mark:]
            counts.append(len(last))
        shown = len(monitor.rows)
    kinds = Counter(shape(r.method, r.path) for r in last)
    return counts, shown, "; ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--rounds", type=int, default=5, help="refreshes counted (default 5)")

    args = h.parse_args(__doc__, argv, extra)
    rounds = 1 if args.quick else args.rounds
    h.header(f"Requests per monitor refresh (sandbox, median of {rounds} refreshes)")
    sandbox, context = h.sandbox_context()
    made = h.create_migrations(context.controller, sandbox, ["Sales001", "Sales002", "Sales003"])
    first = context.controller.list_migration_services()[0]
    context.controller.register_provider()  # a new DMS instance needs it, as in the wizard
    sandbox.advance(300)
    context.controller.create_migration_service(
        first.resource_group, "dms-contoso-dr", first.location, wait=False
    )
    sandbox.advance(300)
    instances = len(context.controller.list_migration_services())
    counts, shown, kinds = asyncio.run(per_refresh(sandbox, context, {}, rounds))
    n = h.median(counts)
    h.figure(
        f"every migration of {instances} DMS instances ({shown} shown)",
        f"{n:g} requests (instances + {n - instances:g})",
        f"instances + 1 = {instances + 1}",
    )
    h.note(kinds)
    counts, shown, kinds = asyncio.run(
        per_refresh(
            sandbox,
            context,
            {"migration_ids": [m.id for m in made], "service_id": made[0].migration_service_id},
            rounds,
        )
    )
    h.figure(f"a project's {shown} migrations (reference)", f"{h.median(counts):g} requests")
    h.note(kinds)


if __name__ == "__main__":
    main()
