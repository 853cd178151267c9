"""The Azure reads behind one monitor refresh of a SQL Database migration of 20,000 tables.

The sandbox (real SDK pipeline, simulated Azure) holds one Azure SQL Database migration whose
source database has N tables, every one with rows. Timed through the Controller, as the
monitor's worker thread calls it:

* the list of the DMS instance's migrations (``list_service_migrations``): one row each;
* the migration's detail (``get_migration``, ``$expand=MigrationStatusDetails``): every
  table's copy progress.

Each figure is the calling thread's CPU time (``time.thread_time``), median of the rounds:
the time that worker holds the interpreter against the screen. Wall times are printed too.
The goal: the two together well under the monitor's 2 s refresh interval.

Run:  python benchmarks/migration_read.py [--quick] [--tables N] [--rounds N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h  # noqa: E402


def read_figures(tables: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(CPU, wall) of each read, per round; and the tables the detail reported."""

    sandbox, context, mig = h.sqldb_copying(tables)
    out: dict[str, list[tuple[float, float]]] = {"list": [], "detail": []}
    reported = 0
    for _ in range(rounds):
        sandbox.advance(5)
        cpu, wall = time.thread_time(), time.perf_counter()
        context.controller.list_service_migrations(mig.migration_service_id)
        out["list"].append((time.thread_time() - cpu, time.perf_counter() - wall))
        cpu, wall = time.thread_time(), time.perf_counter()
        reported = len(context.controller.get_migration(mig.id).tables)
        out["detail"].append((time.thread_time() - cpu, time.perf_counter() - wall))
    if reported != tables:
        raise RuntimeError(f"the detail reported {reported} tables, not {tables}")
    out["parse"] = parse_figures(context.controller, mig.id, rounds)
    return out


def parse_figures(controller, migration_id: str, rounds: int) -> list[tuple[float, float]]:
    """(CPU, wall) of reading the detail's answer alone (JSON decoding and ``tui.convert``):
    the app's own share of the detail read; the rest is the sandbox making and encoding the
    answer (on real Azure: the network) and the SDK's pipeline."""
    import json

    from tui import convert

    captured: list[bytes] = []
    client = controller._client("dms")
    pipeline = client._client._pipeline
    real_run = pipeline.run

    def keep(request, **kwargs):
        answer = real_run(request, **kwargs)
        captured.append(answer.http_response.body())
        return answer

    pipeline.run = keep
    try:
        controller.get_migration(migration_id)
    finally:
        pipeline.run = real_run
    body = captured[-1]
    out = []
    for _ in range(rounds):
        cpu, wall = time.thread_time(), time.perf_counter()
        convert.migration_detail(json.loads(body))
        out.append((time.thread_time() - cpu, time.perf_counter() - wall))
    return out


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--tables", type=int, default=20_000, help="how many (default 20000)")
        p.add_argument("--rounds", type=int, default=5, help="reads of each (default 5)")

    args = h.parse_args(__doc__, argv, extra)
    tables, rounds = (200, 1) if args.quick else (args.tables, args.rounds)
    h.header(f"Reads of a {tables:,}-table SQL Database migration (sandbox, worker thread)")
    out = read_figures(tables, rounds)
    for key, label in (
        ("list", "list of the instance's migrations"),
        ("detail", "the migration's detail (every table)"),
    ):
        h.figure(label, h.spread([c for c, _ in out[key]]) + " CPU", "well under 2 s together")
        h.note(f"wall: {h.spread([w for _, w in out[key]])}")
    h.note(
        "of the detail, reading Azure's answer (JSON and tui.convert): "
        f"{h.spread([c for c, _ in out['parse']])} CPU; the rest is the sandbox making and "
        "encoding the answer, and the SDK's pipeline"
    )


if __name__ == "__main__":
    main()
