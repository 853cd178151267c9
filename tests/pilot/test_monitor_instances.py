""" "Every migration of the DMS instances": the instances are listed once, then again only on
``r``, every few minutes or after one is gone, so a refresh costs one request per instance
and one for the selected migration's detail. Counted where the sandbox receives them."""

from __future__ import annotations

from screens.monitor import MonitorScreen
from tests.helpers.sandbox_migrations import start
from tests.helpers.sandbox_support import Clients
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.monitoring.fetch import RELIST_INSTANCES_EVERY, FetchRequest, Instances, fetch_round


def instance_lists(sandbox, since: int = 0) -> int:
    """GETs of the subscription's DMS instances among the requests from ``since`` on."""
    return sum(
        1
        for r in sandbox.requests[since:]
        if r.method.upper() == "GET" and r.path.rstrip("/").endswith("/sqlMigrationServices")
    )


def two_instances(controller, sandbox):
    """The seeded instance with one online migration, and a second, empty instance."""
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    first = controller.list_migration_services()[0]
    controller.register_provider()
    sandbox.advance(300)
    second = controller.create_migration_service(
        first.resource_group, "dms-contoso-dr", first.location, wait=False
    )
    sandbox.advance(300)
    assert len(controller.list_migration_services()) == 2
    return mig, second


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def refresh(controller, sandbox, req: FetchRequest):
    """One refresh: (the snapshot, the requests it sent)."""
    sandbox.advance(5)
    mark = len(sandbox.requests)
    snap = fetch_round(controller, req)
    return snap, sandbox.requests[mark:]


def test_a_refresh_costs_one_request_per_instance_and_the_detail(controller, sandbox):
    mig, _second = two_instances(controller, sandbox)
    clock = Clock()
    req = FetchRequest(show_all=True, selected_id=mig.id, instances=Instances(clock=clock))
    snap, sent = refresh(controller, sandbox, req)
    assert instance_lists(sandbox, len(sandbox.requests) - len(sent)) == 1  # the first: listed
    assert len(sent) == 2 + 1 + 1 and snap.calls == 4
    assert mig.id.lower() in {s.id.lower() for s in snap.summaries}
    for _ in range(3):
        clock.t += 30
        snap, sent = refresh(controller, sandbox, req)
        assert len(sent) == 2 + 1 == snap.calls  # instances + 1
        assert not any(r.path.rstrip("/").endswith("/sqlMigrationServices") for r in sent)
        assert snap.detail is not None and snap.detail.id.lower() == mig.id.lower()


def test_instances_are_listed_again_when_asked_and_every_few_minutes(controller, sandbox):
    mig, _second = two_instances(controller, sandbox)
    clock = Clock()
    instances = Instances(clock=clock)
    req = FetchRequest(show_all=True, selected_id=mig.id, instances=instances)
    refresh(controller, sandbox, req)
    instances.expire()  # the monitor's r
    _, sent = refresh(controller, sandbox, req)
    assert len(sent) == 4
    _, sent = refresh(controller, sandbox, req)
    assert len(sent) == 3
    clock.t += RELIST_INSTANCES_EVERY
    _, sent = refresh(controller, sandbox, req)
    assert len(sent) == 4
    _, sent = refresh(controller, sandbox, req)
    assert len(sent) == 3


def test_an_instance_deleted_meanwhile_is_dropped_and_the_instances_listed_again(
    controller, sandbox
):
    mig, second = two_instances(controller, sandbox)
    instances = Instances(clock=Clock())
    req = FetchRequest(show_all=True, selected_id=mig.id, instances=instances)
    refresh(controller, sandbox, req)
    Clients(sandbox).dms.sql_migration_services.begin_delete(
        second.resource_group, second.name
    ).result()  # deleted by another tool, say the portal
    sandbox.advance(60)
    snap, sent = refresh(controller, sandbox, req)  # its list: 404, nothing else lost
    assert mig.id.lower() in {s.id.lower() for s in snap.summaries}
    assert snap.detail is not None and not snap.errors
    snap, sent = refresh(controller, sandbox, req)  # listed again: one instance now
    assert len(sent) == 1 + 1 + 1
    snap, sent = refresh(controller, sandbox, req)
    assert len(sent) == 1 + 1


async def test_the_monitor_lists_the_instances_once_and_again_on_r(context, sandbox):
    two_instances(context.controller, sandbox)
    app = DmsTuiApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        mark = len(sandbox.requests)
        await pilot.press("m")  # from the start screen: every migration of every instance
        for _ in range(200):
            if isinstance(app.screen, MonitorScreen):
                break
            await pilot.pause()
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen) and monitor.show_all
        for _ in range(4):
            sandbox.advance(5)
            await monitor.refresh_once()
        assert monitor.rows and monitor.selected is not None
        assert instance_lists(sandbox, mark) == 1
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await monitor.refresh_once()
        assert instance_lists(sandbox, mark) == 2
