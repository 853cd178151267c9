"""How the monitor copes with a 10,000-table Azure SQL Database migration (sandbox).

Prints: the Controller's fetch time (SDK + emulator), the first render of every table row,
a refresh where every row changed, and a refresh where nothing changed. Run:

    python benchmarks/monitor_10k_tables.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sandbox_migrations import start  # noqa: E402
from screens.monitor import MonitorScreen  # noqa: E402
from tui.app import DmsTuiApp  # noqa: E402
from tui.context import AppContext  # noqa: E402
from tui.models import TargetKind  # noqa: E402
from tui.sandbox import Sandbox  # noqa: E402


async def main() -> None:
    sandbox = Sandbox(seed=0)
    context = AppContext.for_sandbox(sandbox)
    context.controller._polling_interval = 0
    mig = start(context.controller, sandbox, TargetKind.SQL_DB, "InventoryHub")
    t = time.perf_counter()
    detail = context.controller.get_migration(mig.id)
    print(f"tables reported by DMS: {len(detail.tables):,}")
    print(f"Controller.get_migration (SDK + sandbox): {time.perf_counter() - t:.2f} s")
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = MonitorScreen(migration_ids=[mig.id], service_id=mig.migration_service_id,
                                interval=3600)
        await app.push_screen(monitor)
        await pilot.pause()
        table = monitor.query_one("#table-progress")
        for label, seconds in (("first refresh (adds every row)", 0),
                               ("refresh after 10 min (most rows change)", 600),
                               ("refresh after 10 min", 600),
                               ("refresh with nothing new", 0)):
            if seconds:
                sandbox.advance(seconds)
            t = time.perf_counter()
            await monitor.refresh_once()
            await pilot.pause()
            total = time.perf_counter() - t
            print(f"{label:45s} {total:6.2f} s  cells written {table.updates:,}  "
                  f"rows {table.row_count:,}  status {monitor.selected.status}")
        t = time.perf_counter()
        table.sort_by(2, reverse=True)
        await pilot.pause()
        print(f"{'sort 10k rows by rows read':45s} {time.perf_counter() - t:6.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
