"""`dms-tui status` after a cutover: a migration that has Succeeded is reported as such,
never as "not ready" — a runbook read at 2 AM must not suggest a finished database still
waits for something."""

from __future__ import annotations

from tests.helpers.headless_world import CUT, World, tail_restored
from tests.helpers.sandbox_migrations import advance_until
from tests.helpers.saved_world import controller_for
from tui.models import MigrationState
from tui.sandbox.clock import ManualClock
from tui.sandbox.saved import open_world


def test_status_after_the_cutover_says_succeeded_and_not_not_ready(dms_home):
    world = World()
    tail = tail_restored(world)
    code, _, _ = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    assert code == 0
    sb, _ = open_world(0, make_clock=ManualClock, wall=world.wall)
    advance_until(
        controller_for(sb), sb, world.ids[0], lambda d: d.status == MigrationState.SUCCEEDED
    )
    sb.save()
    code, out, _ = world.run("status", "--project", "payroll", "--sandbox")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("SalesDB ->"))
    assert "| Succeeded |" in line
    assert "not ready" not in out
