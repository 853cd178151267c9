"""What the benchmark scripts share: the command line, figure lines, statistics, the machine's
load, a Textual driver that counts what the app writes to the terminal, and sandbox set-ups.

Every app is run through ``App.run_test(headless=False)`` with :class:`CountingDriver`, so
Textual renders each frame to the escape sequences a terminal would get (a headless run skips
that step) and the driver counts them instead of writing them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

ROOT = Path(__file__).resolve().parents[1]
# the app's packages, and the tests' scripted Controller (tests.helpers.monitor_fakes)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Frames are rendered for a 256-colour terminal (xterm-256color over SSH), whatever the
# terminal running the script: the byte counts depend on it. Set before Textual is imported.
os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "256")

from textual._wait import wait_for_idle  # noqa: E402
from textual.drivers.headless_driver import HeadlessDriver  # noqa: E402

if TYPE_CHECKING:
    from tui.context import AppContext

SIZE = (80, 24)  # the jump-box terminal every figure is measured at unless said


# --------------------------------------------------------------------------- command line


def parse_args(
    doc: str | None,
    argv: Sequence[str] | None = None,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
    *,
    quick: bool = True,
) -> argparse.Namespace:
    """``--quick``: a small version of the same measurement (seconds; for the smoke test)."""
    first = (doc or "").strip().splitlines()[0] if doc else ""
    p = argparse.ArgumentParser(description=first, epilog="Prints figures; never passes or fails.")
    if quick:
        p.add_argument(
            "--quick",
            action="store_true",
            help="a small, fast version of the measurement (checks the script works)",
        )
    if extra is not None:
        extra(p)
    return p.parse_args(argv)


# --------------------------------------------------------------------------- printing


def header(title: str) -> None:
    print(title)
    print(f"  machine: {load_text()}")


def load_text() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        return "load average unknown"
    return (
        f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}"
    )


def figure(name: str, value: str, goal: str = "") -> None:
    """One figure: ``name  value  (goal ...)``."""
    tail = f"   goal {goal}" if goal else ""
    print(f"  {name:<52} {value}{tail}")


def note(text: str) -> None:
    print(f"    {text}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank), or the largest value of a small sample."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def spread(values: Sequence[float]) -> str:
    """``median … ms, p95 … ms (n=…)`` for durations in seconds."""
    return f"median {ms(median(values))}, p95 {ms(p95(values))} (n={len(values)})"


# --------------------------------------------------------------------------- the terminal


class CountingDriver(HeadlessDriver):
    """A driver that takes every frame Textual renders for a real terminal and counts it.

    Not "headless" to Textual, so ``App._display`` renders each update to escape sequences
    exactly as it would for a terminal; ``write`` keeps the byte count and the time of each
    write instead of sending them anywhere. ``on_write`` (optional) is called after each
    write on the event-loop thread, with the time of the write.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bytes = 0
        self.writes = 0
        self.on_write: Callable[[float], None] | None = None

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        self.bytes += len(data.encode("utf-8"))
        self.writes += 1
        if self.on_write is not None:
            self.on_write(time.perf_counter())

    def flush(self) -> None:
        pass


@asynccontextmanager
async def terminal(
    app: Any, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[Any, CountingDriver]]:
    """Run ``app`` rendering real frames into a :class:`CountingDriver`: ``(pilot, driver)``."""
    app.driver_class = CountingDriver
    async with app.run_test(headless=False, size=size) as pilot:
        driver = app._driver
        assert isinstance(driver, CountingDriver), type(driver)
        yield pilot, driver


async def drawn(pilot: Any) -> None:
    """Until the app has handled what is pending and written the frame it causes.

    Waits (sleeping, so it costs the event loop next to nothing) until the process is idle,
    then lets the screen write any update still due, twice over, for updates that cause
    another. ``Pilot.pause()`` does the same but also queues a callback on every widget,
    which costs milliseconds of event-loop CPU that the figures would include."""
    for _ in range(2):
        await wait_for_idle(0)
        pilot.app.screen._on_timer_update()


async def measure_refresh(pilot: Any, monitor: Any) -> tuple[float, float]:
    """One monitor refresh, from asking for it until its frame is written: the event-loop
    thread's CPU time (the Azure read runs on a worker thread and is not counted) and the
    wall time, in seconds."""
    cpu, wall = time.thread_time(), time.perf_counter()
    await monitor.refresh_once()
    await drawn(pilot)
    return time.thread_time() - cpu, time.perf_counter() - wall


async def harness_floor(pilot: Any, rounds: int = 5) -> float:
    """The event-loop CPU of waiting for a frame when nothing happens (what
    :func:`measure_refresh` counts besides the refresh itself), median in seconds."""
    samples = []
    for _ in range(rounds):
        cpu = time.thread_time()
        await drawn(pilot)
        samples.append(time.thread_time() - cpu)
    return median(samples)


# --------------------------------------------------------------------------- the sandbox


def sandbox_context(seed: int = 0) -> tuple[Any, Any]:
    """A sandbox on a manual clock and the app's context on it: ``(sandbox, context)``.
    Long-running operations are polled without a pause (the clock is manual anyway)."""
    from tui.context import AppContext
    from tui.sandbox import Sandbox

    sandbox = Sandbox(seed=seed)
    context = AppContext.for_sandbox(sandbox)
    context.azure._polling_interval = 0
    return sandbox, context


def scripted_context(controller: object) -> AppContext:
    """The app's context on the tests' scripted Controller (``tests.helpers.monitor_fakes``),
    a stand-in that answers the calls the monitor makes rather than a subclass of
    ``Controller``."""
    from tui.context import AppContext
    from tui.controller import Controller

    return AppContext(controller=cast(Controller, controller))


def create_migrations(
    controller: Any,
    sandbox: Any,
    target_databases: Sequence[str],
    *,
    kind: Any = None,
    database: str = "SalesDB",
) -> list[Any]:
    """Migrations of the source ``database``, one per name in ``target_databases``, created
    through the Controller as the wizard creates them (online for MI and VM)."""
    from tui.models import (
        BlobBackupSource,
        MigrationSpec,
        SourceConnection,
        TargetKind,
        TargetSqlConnection,
    )

    kind = kind or TargetKind.SQL_MI
    target = next(t for t in controller.list_targets(kind) if t.usable)
    service = controller.list_migration_services()[0]
    extra: dict[str, Any] = {}
    if kind == TargetKind.SQL_DB:
        extra["target_sql"] = TargetSqlConnection(target.fqdn, "sqladmin", "secret")
    else:
        acct = next(
            a
            for a in controller.list_storage_accounts()
            if "sqlmigration" in controller.list_containers(a.id)
        )
        extra["blob"] = BlobBackupSource(
            acct.id,
            "sqlmigration",
            folder=database,
            account_key=controller.storage_account_key(acct.id),
        )
    source = SourceConnection(sandbox.source_address, user_name="sa", password="secret")
    made = []
    for name in target_databases:
        spec = MigrationSpec(
            kind=kind,
            target_id=target.id,
            target_database=name,
            source_database=database,
            migration_service_id=service.id,
            source=source,
            online=kind != TargetKind.SQL_DB,
            **extra,
        )
        made.append(controller.create_migration(spec))
    return made


def seed_tables(sandbox: Any, database: str, count: int) -> None:
    """Give the simulated source database ``count`` tables, every one with rows (DMS reports
    only tables with rows), sized like an inventory system's."""
    import random

    from tui.sandbox.sqlserver import SimTable

    rng = random.Random(count)
    tables = [
        SimTable("inv", f"Item_{i:05d}", rng.randint(1, 150_000), rng.randint(60, 400))
        for i in range(count)
    ]
    sandbox.sql_server(sandbox.source_address).get(database).set_tables(tables)


def sqldb_copying(tables: int) -> tuple[Any, Any, Any]:
    """A sandbox, its context and a SQL Database migration of InventoryHub with ``tables``
    tables, a minute into its copy: what the table-pane and read benchmarks measure."""
    from tui.models import TargetKind

    sandbox, context = sandbox_context()
    seed_tables(sandbox, "InventoryHub", tables)
    mig = create_migrations(
        context.controller,
        sandbox,
        ["InventoryHub"],
        kind=TargetKind.SQL_DB,
        database="InventoryHub",
    )[0]
    sandbox.advance(60)
    return sandbox, context, mig
