"""Azure's limits shown before they bite: the 30-day countdown on the monitor, the managed
instance's database limit by tier, a self-hosted runtime's and a SQL VM's batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.sandbox_migrations import open_monitor, start, text_of
from tui.app import DmsTuiApp
from tui.limits import (
    InstanceCapacity,
    capacity_problem,
    countdown,
    runtime_problem,
    vm_batch_note,
)
from tui.models import TargetKind

T0 = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)


def test_the_countdown_warns_from_day_25_and_says_when_the_limit_is_reached():
    day24 = countdown(T0, T0 + timedelta(days=24, hours=1))
    assert (day24.days_left, day24.warning, day24.over) == (5, False, False)
    assert day24.text == "5 days left of 30"
    day25 = countdown(T0, T0 + timedelta(days=25))
    assert (day25.days_left, day25.warning) == (5, True)
    assert day25.text == "day 25: 5 days left of 30 — cut over before the limit"
    last = countdown(T0, T0 + timedelta(days=29, hours=23))
    assert last.text.startswith("day 29: less than a day left")
    day30 = countdown(T0, T0 + timedelta(days=30))
    assert day30.over and day30.days_left == 0
    assert "30-day limit reached: Azure deletes the target database" in day30.text
    assert countdown(None, T0) is None


@pytest.mark.parametrize(
    ("tier", "next_gen", "limit"),
    [
        ("GeneralPurpose", False, 100),
        ("BusinessCritical", False, 100),
        ("GeneralPurpose", True, 500),
    ],
)
def test_the_managed_instance_limit_follows_its_tier(tier, next_gen, limit):
    cap = InstanceCapacity("sqlmi-x", tier, next_gen, tuple(f"db{i}" for i in range(99)))
    assert cap.limit == limit
    assert bool(capacity_problem(cap, 3)) == (limit == 100)
    assert capacity_problem(cap, 1) == ""


def test_a_managed_instance_at_99_refuses_3_more_with_the_reason():
    cap = InstanceCapacity("sqlmi-x", "GeneralPurpose", False, tuple(f"db{i}" for i in range(99)))
    why = capacity_problem(cap, 3)
    assert "sqlmi-x (General Purpose) holds 99 user databases" in why
    assert "limit is 100: 3 more make 102" in why
    assert "select at most 1" in why


def test_runtime_nodes_and_sql_vm_batches():
    assert runtime_problem(1, 10) == ""
    assert "at most 10 run at once on each node (10 in all)" in runtime_problem(1, 11)
    assert runtime_problem(2, 20) == ""
    assert runtime_problem(9, 40) == "" and runtime_problem(9, 41)  # 4 nodes at most
    assert vm_batch_note(100) == ""
    assert "about 30 minutes' wait" in vm_batch_note(101)


@pytest.mark.parametrize(
    ("days", "shown", "warned"),
    [
        (24, "5 days left of 30", False),
        (25, "day 25: 4 days left of 30 — cut over before the limit", True),
        (30, "30-day limit reached", True),
    ],
)
async def test_the_monitor_shows_the_days_left(context, sandbox, days, shown, warned):
    mig = start(context.controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    started = context.controller.get_migration(mig.id).started_on
    assert started is not None
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        monitor = await open_monitor(
            app, pilot, mig, clock=lambda: started + timedelta(days=days, minutes=30)
        )
        title = text_of(monitor, "#detail-title")
        assert shown in title
        # the countdown's own warning mark (a stall, with no backup seen for days, has its own)
        assert (f"⚠ {shown}" in title) == warned


async def test_step_6_refuses_a_plan_that_overfills_the_managed_instance(context, sandbox, ids):
    from tests.helpers.wizard_pilot import text_of as step_text
    from tests.helpers.wizard_pilot import wait_for
    from tests.helpers.wizard_projects import opened_at, refused
    from tui.sandbox.sqlserver import SimDatabase

    sandbox.add_application_databases("OrdersDB", "BillingDB", "HrDB")
    # SalesDB's migration was created earlier: the instance lists it, it does not count twice
    mi = next(t for t in sandbox.world.targets if t.name == "sqlmi-contoso-prod")
    mi.engine.add(SimDatabase("SalesDB", mi.engine.next_database_id()))
    assert sandbox.fill_managed_instance("sqlmi-contoso-prod", 99) == 99
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        screen = app.screen
        names = list(app.wizard.inventory)
        await wait_for(
            pilot,
            lambda: "99 of 100 user databases" in step_text(app, "#databases-limit"),
            what="the instance's database count",
        )
        for name in ("SalesDB", "OrdersDB", "BillingDB", "HrDB"):
            screen.query_one("#databases").select(name)
        await wait_for(pilot, lambda: "limit is 100" in step_text(app, "#databases-limit"))
        await refused(
            pilot,
            6,
            "Databases: sqlmi-contoso-prod (General Purpose) holds 99 user databases",
            "3 more make 102",
            "select at most 1",
        )
        assert names  # the source was read
        for name in ("BillingDB", "HrDB"):
            screen.query_one("#databases").deselect(name)
        await wait_for(pilot, lambda: "+1 selected → 100" in step_text(app, "#databases-limit"))
