"""Key press to next frame while the monitor refreshes a 20,000-table SQL Database migration.

A thread types ``down`` every 60-140 ms into the focused table of the migration's table pane
(80x24), handing each key to the driver the way a terminal's input thread does, while the
monitor refreshes back to back. A key's latency is the time from handing it over to the
first frame written (``harness.CountingDriver``) that shows the cursor where that key put
it. Only keys handed over while a refresh was under way count (refreshes go on until at
least five did). Wall-clock figures (the machine's load shows in them: see the load average
printed first); p95, median and max:

* typical refresh: the sandbox (real SDK, simulated Azure) with 20,000 tables, the clock
  moving on 5 s per refresh, so a few tables move; the read runs on the worker thread as
  in the app;
* every row changes: the tests' scripted Controller, every table's rows moving each refresh;
* no refresh: the same typing with the monitor idle, for reference.

Run:  python benchmarks/monitor_keys.py [--quick] [--tables N] [--rounds N]
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h


def cursor(widget) -> int:
    for name in ("cursor_row", "highlighted"):
        value = getattr(widget, name, None)
        if isinstance(value, int):
            return value
    raise RuntimeError(f"no cursor to follow on the focused {type(widget).__name__}")


class Typist(threading.Thread):
    """Presses ``down`` at a human pace through the driver, from its own thread."""

    def __init__(self, driver, seed: int) -> None:
        super().__init__(daemon=True)
        self.driver = driver
        self.rng = random.Random(seed)
        self.sent: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        from textual import events

        while not self.halt.wait(self.rng.uniform(0.06, 0.14)):
            self.sent.append(time.perf_counter())
            self.driver.process_message(events.Key("down", None))

    def landed(self, spans: list[tuple[float, float]]) -> int:
        """Keys handed over inside one of ``spans``."""
        return sum(1 for t in list(self.sent) if any(a <= t <= b for a, b in spans))


class KeyWatch:
    """Follows the frames written and where the focused widget's cursor was in each."""

    def __init__(self, driver, widget) -> None:
        self.widget = widget
        self.frames: list[tuple[float, int]] = []
        driver.on_write = lambda t: self.frames.append((t, cursor(widget)))

    async def typing(self, pilot, driver, during, seed: int) -> list[float]:
        """Type while ``during(typist)`` runs; the latency of each key handed over inside
        one of the spans it returns (a list of (start, end) perf_counter pairs)."""
        start_row = cursor(self.widget)
        first_frame = len(self.frames)
        typist = Typist(driver, seed)
        typist.start()
        try:
            spans = await during(typist)
        finally:
            typist.halt.set()
            typist.join()
        for _ in range(50):  # until every key handed over is on screen
            await h.drawn(pilot)
            if cursor(self.widget) >= start_row + len(typist.sent):
                break
        frames = self.frames[first_frame:]
        latencies = []
        for k, sent in enumerate(typist.sent):
            if not any(a <= sent <= b for a, b in spans):
                continue
            want = start_row + k + 1
            shown = next((t for t, row in frames if t >= sent and row >= want), None)
            if shown is not None:
                latencies.append(shown - sent)
        return latencies


async def open_on_tables(app, pilot, monitor, tables: int):
    """Push ``monitor``, refresh until its pane shows ``tables`` tables, focus the pane."""
    await app.push_screen(monitor)
    await h.drawn(pilot)
    for _ in range(5):
        if monitor.selected is not None and len(monitor.selected.tables) == tables:
            break
        await monitor.refresh_once()
        await h.drawn(pilot)
    else:
        raise RuntimeError("the monitor never showed the migration's tables")
    pane = monitor.query_one("#tables-pane")
    widget = next(w for w in pane.query("*") if w.focusable)
    widget.focus()
    await h.drawn(pilot)
    return widget


MIN_KEYS = 5  # refreshes go on (or the idle span lasts) until this many keys landed in them


async def refreshing(pilot, monitor, before_each, rounds: int, typist) -> list:
    """``rounds`` refreshes back to back, more if fewer than ``MIN_KEYS`` keys landed in
    them; the (start, end) of each, from asking for it until its frame is written."""
    spans: list[tuple[float, float]] = []
    r = 0
    while r < rounds or (typist.landed(spans) < MIN_KEYS and r < rounds + 50):
        await before_each(r)
        start = time.perf_counter()
        await monitor.refresh_once()
        await h.drawn(pilot)
        spans.append((start, time.perf_counter()))
        r += 1
    return spans


def idling(seconds: float):
    """Typing for ``seconds`` (longer if fewer than ``MIN_KEYS`` keys came) with the monitor
    idle."""

    async def during(typist) -> list:
        start = time.perf_counter()
        await asyncio.sleep(seconds)
        while typist.landed([(start, time.perf_counter())]) < MIN_KEYS:
            await asyncio.sleep(0.05)
        return [(start, time.perf_counter())]

    return during


async def sandbox_typical(tables: int, rounds: int) -> tuple[list[float], list[float]]:
    from screens.monitor import MonitorScreen
    from tui.app import DmsTuiApp

    sandbox, context, mig = h.sqldb_copying(tables)
    app = DmsTuiApp(context)
    async with h.terminal(app) as (pilot, driver):
        monitor = MonitorScreen(
            migration_ids=[mig.id], service_id=mig.migration_service_id, interval=3600
        )
        watch = KeyWatch(driver, await open_on_tables(app, pilot, monitor, tables))

        async def advance(_r):  # simulated Azure moves on off the event loop, as in the app
            await asyncio.to_thread(sandbox.advance, 5)

        quiet = await watch.typing(pilot, driver, idling(1.0 if rounds > 1 else 0.3), seed=1)
        busy = await watch.typing(
            pilot,
            driver,
            lambda typist: refreshing(pilot, monitor, advance, rounds, typist),
            seed=2,
        )
    return quiet, busy


async def scripted_every_row(tables: int, rounds: int) -> list[float]:
    from screens.monitor import MonitorScreen
    from tests.helpers.monitor_fakes import T0, FakeController, db_detail
    from tui.app import DmsTuiApp

    detail = db_detail("InventoryHub", tables=tables, copied=0.5)
    # every refresh's answer is made beforehand: building it must not load the event loop
    answers = [
        replace(
            detail,
            tables=tuple(replace(t, rows_copied=t.rows_copied + r + 1) for t in detail.tables),
        )
        for r in range(max(2, rounds))
    ]
    ctl = FakeController(detail)
    app = DmsTuiApp(h.scripted_context(ctl))
    async with h.terminal(app) as (pilot, driver):
        monitor = MonitorScreen(
            migration_ids=[detail.id], service_id="svc", interval=3600, clock=lambda: T0
        )
        watch = KeyWatch(driver, await open_on_tables(app, pilot, monitor, tables))

        async def answer(r):
            ctl.set(answers[r % len(answers)])  # alternating: every row changes

        return await watch.typing(
            pilot, driver, lambda typist: refreshing(pilot, monitor, answer, rounds, typist), seed=3
        )


def show(label: str, latencies: list[float], goal: str = "") -> None:
    if not latencies:
        h.figure(label, "no key landed inside a refresh", goal)
        return
    h.figure(
        label,
        f"p95 {h.ms(h.p95(latencies))} (median {h.ms(h.median(latencies))}, "
        f"max {h.ms(max(latencies))}, n={len(latencies)})",
        goal,
    )


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--tables", type=int, default=20_000, help="how many (default 20000)")
        p.add_argument(
            "--rounds", type=int, default=4, help="refreshes typed through, per kind (default 4)"
        )

    args = h.parse_args(__doc__, argv, extra)
    tables, rounds = (500, 1) if args.quick else (args.tables, args.rounds)
    h.header(
        f"Key press to next frame, {tables:,}-table pane ({h.SIZE[0]}x{h.SIZE[1]}, wall clock)"
    )
    quiet, busy = asyncio.run(sandbox_typical(tables, rounds))
    every = asyncio.run(scripted_every_row(tables, rounds))
    show("key to frame, typical refreshes (sandbox)", busy, "p95 < 50 ms")
    show("key to frame, every row changes", every, "p95 < 50 ms")
    show("key to frame, no refresh (reference)", quiet)


if __name__ == "__main__":
    main()
