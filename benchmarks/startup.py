"""Cold start of dms-tui: what a DBA waits for before the first screen. Prints figures only.

Every figure comes from a fresh interpreter (median of several runs), so nothing is already
imported or cached in memory by an earlier measurement:

* ``dms-tui --version``: the whole process, interpreter start included;
* ``import tui.app`` (and ``tui.cli``);
* for comparison, importing the Azure SDK clients the Controller makes on first use, which
  start-up does not pay;
* the first screen in the sandbox through ``App.run_test``: from process start, and from
  ``run_test`` entry to the mounted screen;
* memory after the first screen: Python allocations (``tracemalloc``, in a separate run,
  since tracing slows imports) and the process's peak resident size (``resource``).

Run:  python benchmarks/startup.py [runs]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IMPORT_APP = """
    import time, json
    t = time.perf_counter()
    import tui.cli, tui.app
    print(json.dumps({"s": time.perf_counter() - t}))
"""

IMPORT_SDK = """
    import time, json
    t = time.perf_counter()
    import azure.mgmt.datamigration, azure.mgmt.resource.resources, azure.mgmt.resource.subscriptions
    import azure.mgmt.sql, azure.mgmt.sqlvirtualmachine, azure.mgmt.storage, azure.identity
    print(json.dumps({"s": time.perf_counter() - t}))
"""

FIRST_SCREEN = """
    import time
    t0 = time.perf_counter()
    import asyncio, json, resource, sys, tracemalloc
    if TRACE:
        tracemalloc.start()
    from tui.app import DmsTuiApp
    from tui.context import AppContext
    from tui.sandbox import Sandbox

    async def first_screen():
        app = DmsTuiApp(AppContext.for_sandbox(Sandbox(seed=0)))
        t1 = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            shown = time.perf_counter()
            out = {"screen": type(app.screen).__name__, "from_start": shown - t0, "from_run": shown - t1,
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   "heavy": sorted(m for m in sys.modules if m.startswith(("azure.mgmt", "pyodbc")))}
            if TRACE:
                current, peak = tracemalloc.get_traced_memory()
                out.update(traced_mb=current / 2**20, traced_peak_mb=peak / 2**20)
        return out

    print(json.dumps(asyncio.run(first_screen())))
"""


def python(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wall(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - t


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(runs: int = 5) -> None:
    print(f"dms-tui cold start (median of {runs} fresh interpreters, Python {sys.version.split()[0]})")
    bare = median([wall([sys.executable, "-c", "pass"]) for _ in range(runs)])
    cli = [shutil.which("dms-tui") or ""] if shutil.which("dms-tui") else [sys.executable, "-m", "tui.cli"]
    version = median([wall([*cli, "--version"]) for _ in range(runs)])
    helped = median([wall([*cli, "--help"]) for _ in range(runs)])
    print(f"  python -c pass (interpreter alone)          {bare * 1000:7.0f} ms")
    print(f"  dms-tui --version (whole process)           {version * 1000:7.0f} ms")
    print(f"  dms-tui --help (whole process)              {helped * 1000:7.0f} ms")
    app = median([python(IMPORT_APP)["s"] for _ in range(runs)])
    sdk = median([python(IMPORT_SDK)["s"] for _ in range(runs)])
    print(f"  import tui.cli, tui.app                     {app * 1000:7.0f} ms")
    print(f"  import Azure SDK clients (not at start-up)  {sdk * 1000:7.0f} ms")
    screens = [python(FIRST_SCREEN.replace("TRACE", "False")) for _ in range(runs)]
    first = screens[-1]
    print(f"  first screen in the sandbox ({first['screen']}):")
    print(f"    from process start (imports included)    {median([s['from_start'] for s in screens]) * 1000:7.0f} ms")
    print(f"    from run_test entry to the screen        {median([s['from_run'] for s in screens]) * 1000:7.0f} ms")
    print(f"    peak resident memory                     {median([s['rss_mb'] for s in screens]):7.1f} MB")
    traced = python(FIRST_SCREEN.replace("TRACE", "True"))
    print(f"    Python allocations (tracemalloc)         {traced['traced_mb']:7.1f} MB "
          f"(peak {traced['traced_peak_mb']:.1f} MB)")
    heavy = ", ".join(first["heavy"]) or "none"
    print(f"    Azure SDK clients / pyodbc imported      {heavy:>7}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
