"""The sandbox answers a SQL Database migration's tables as DMS does on every read, though it
makes the answer of a table that waits, is done or is stopped only once: a table stopped after
it was answered is answered anew, and tables being copied move on between reads."""

from __future__ import annotations

from tests.helpers.sandbox_migrations import start
from tui.models import TargetKind


def test_cached_table_answers_follow_a_cancel_and_the_copy_moves_on(controller, sandbox):
    mig = start(controller, sandbox, TargetKind.SQL_DB, "InventoryHub")
    sandbox.advance(120)
    first = controller.get_migration(mig.id)
    waiting = [t.name for t in first.tables if t.status == "PreparingForCopy"]
    copying = {t.name: t.copy_duration for t in first.tables if t.status == "Copying"}
    assert waiting and copying
    again = controller.get_migration(mig.id)
    assert [t for t in again.tables if t.name in set(waiting)] == [
        t for t in first.tables if t.name in set(waiting)
    ]
    sandbox.advance(1)
    now = controller.get_migration(mig.id).tables
    still = {t.name: t.copy_duration for t in now if t.status == "Copying" and t.name in copying}
    assert still and all(still[name] == copying[name] + 1 for name in still)  # 1 s on
    waiting = [t.name for t in now if t.status == "PreparingForCopy"]  # answered, cached
    assert waiting
    controller.cancel_migration(mig.id)  # at the same moment: they never start
    sandbox.advance(60)
    after = {t.name: t.status for t in controller.get_migration(mig.id).tables}
    assert {after[name] for name in waiting} == {"Canceled"}
