"""A sandbox world left by the app for the headless commands (status, watch, cutover) to
open, as a runbook or a cron job would."""

from __future__ import annotations

import io
import json

from tests.helpers.sandbox_migrations import advance_until, advance_until_ready, start, take_tail
from tests.helpers.saved_world import Wall, controller_for
from tui.headless import run
from tui.models import TargetKind
from tui.projects import Project, save_project
from tui.sandbox.clock import ManualClock
from tui.sandbox.saved import open_world, world_path


class World:
    """A sandbox world left by the app: migrations started, the project saved, then closed."""

    def __init__(self):
        self.wall = Wall()
        self.sandbox, _ = open_world(0, 10.0, make_clock=ManualClock, wall=self.wall)
        self.controller = controller_for(self.sandbox)
        self.ids: list[str] = []
        self.clocks: list[ManualClock] = []

    def start(self, database: str, kind=TargetKind.SQL_MI, **kw):
        mig = start(self.controller, self.sandbox, kind, database, **kw)
        self.ids.append(mig.id)
        save_project(
            Project(
                name="payroll",
                step=9,
                sandbox=True,
                subscription_id=self.sandbox.subscription_id,
                service_id=mig.migration_service_id,
                migration_ids=list(self.ids),
            )
        )
        return mig

    def close(self) -> None:
        self.sandbox.save()

    def make_clock(self) -> ManualClock:
        clock = ManualClock()
        self.clocks.append(clock)
        return clock

    def run(self, *argv: str, stdin=None, **kw) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(
            list(argv),
            out=out,
            err=err,
            stdin=stdin or io.StringIO(),
            wall=self.wall,
            make_clock=self.make_clock,
            **kw,
        )
        return code, out.getvalue(), err.getvalue()

    def status(self) -> tuple[int, dict]:
        code, out, _ = self.run("status", "--project", "payroll", "--sandbox", "--json")
        return code, json.loads(out)

    def saved_cutovers(self) -> int:
        events = json.loads(world_path(0).read_text())["events"]
        return sum(1 for e in events if e["kind"] == "request" and e["path"].endswith("/cutover"))


def ready_with_tail(world) -> str:
    mig = world.start("SalesDB")
    advance_until_ready(world.controller, world.sandbox, mig.id)
    tail = take_tail(world.sandbox, "SalesDB")
    return tail


CUT = ("cutover", "--project", "payroll", "--sandbox", "--database", "SalesDB")


def tail_restored(world) -> str:
    tail = ready_with_tail(world)
    from tui.cutover import cutover_blockers

    advance_until(
        world.controller,
        world.sandbox,
        world.ids[-1],
        lambda d: not cutover_blockers(d, tail),
    )
    world.close()
    return tail
