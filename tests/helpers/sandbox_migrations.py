"""Start migrations in the sandbox through the Controller, the way the wizard does."""

from __future__ import annotations

from textual.widgets import Static

from screens.monitor import MonitorScreen
from tui.cutover import cutover_blockers, file_name_of, restore_blockers
from tui.models import (
    BlobBackupSource,
    MigrationSpec,
    SourceConnection,
    TargetKind,
    TargetSqlConnection,
)


def start(
    controller,
    sandbox,
    kind: TargetKind,
    database: str,
    *,
    online: bool = True,
    last_backup: str = "",
    target_database: str = "",
):
    return controller.create_migration(
        spec_for(
            controller,
            sandbox,
            kind,
            database,
            online=online,
            last_backup=last_backup,
            target_database=target_database,
        )
    )


def spec_for(
    controller,
    sandbox,
    kind: TargetKind,
    database: str,
    *,
    online: bool = True,
    last_backup: str = "",
    target_database: str = "",
) -> MigrationSpec:
    """The spec the wizard builds for ``database`` on the first usable target of ``kind``."""
    target = next(t for t in controller.list_targets(kind) if t.usable)
    service = controller.list_migration_services()[0]
    spec_kw = {}
    if kind != TargetKind.SQL_DB:
        acct = next(
            a
            for a in controller.list_storage_accounts()
            if "sqlmigration" in controller.list_containers(a.id)
        )
        spec_kw["blob"] = BlobBackupSource(
            acct.id,
            "sqlmigration",
            # the sandbox matches lastBackupName on the bare
            # file name, not "<folder>/<file>"
            folder="" if last_backup else database,
            account_key=controller.storage_account_key(acct.id),
        )
    else:
        spec_kw["target_sql"] = TargetSqlConnection(target.fqdn, "sqladmin", "secret")
    spec = MigrationSpec(
        kind=kind,
        target_id=target.id,
        target_database=target_database or database,
        source_database=database,
        migration_service_id=service.id,
        source=SourceConnection(sandbox.source_address, user_name="sa", password="secret"),
        online=online,
        last_backup_name=last_backup,
        **spec_kw,
    )
    return spec


def cutover_posts(sandbox) -> int:
    return sum(
        1
        for r in sandbox.requests
        if r.method.upper() == "POST" and r.path.lower().endswith("/cutover")
    )


def advance_until(controller, sandbox, migration_id, predicate, *, step=15, limit=400):
    d = controller.get_migration(migration_id)
    for _ in range(limit):
        if predicate(d):
            return d
        sandbox.advance(step)
        d = controller.get_migration(migration_id)
    raise AssertionError(f"never reached: last status {d.status} {d.migration_state}")


def advance_until_ready(controller, sandbox, migration_id, *, limit=60):
    """Advance the sandbox until every backup DMS lists is restored (caught up: the
    tail-log is still to come)."""
    return advance_until(
        controller, sandbox, migration_id, lambda d: not restore_blockers(d), limit=limit
    )


def take_tail(sandbox, database: str) -> str:
    """The DBA takes the tail-log backup by hand; its file name (what the cutover waits for)."""
    return file_name_of(sandbox.take_log_backup(database, tail=True).device)


def advance_until_tail_restored(controller, sandbox, migration_id, tail: str, *, limit=60):
    """Advance the sandbox until the tail-log ``tail`` is restored: the cutover may go."""
    return advance_until(
        controller, sandbox, migration_id, lambda d: not cutover_blockers(d, tail), limit=limit
    )


def text_of(screen, selector) -> str:
    return str(screen.query_one(selector, Static).render())


async def settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_monitor(app, pilot, mig, *, interval=3600, **kw) -> MonitorScreen:
    """Push a monitor on one migration and let its first refresh land."""
    monitor = MonitorScreen(
        migration_ids=[mig.id], service_id=mig.migration_service_id, interval=interval, **kw
    )
    await app.push_screen(monitor)
    await pilot.pause()
    await monitor.refresh_once()
    await pilot.pause()
    return monitor


async def step(app, pilot, monitor, sandbox, seconds=15):
    sandbox.advance(seconds)
    await monitor.refresh_once()
    await pilot.pause()


async def until(app, pilot, monitor, sandbox, predicate, step=15, limit=80):
    """Advance and refresh the monitor until ``predicate(monitor.selected)`` holds."""
    for _ in range(limit):
        if monitor.selected is not None and predicate(monitor.selected):
            return
        sandbox.advance(step)
        await monitor.refresh_once()
        await pilot.pause()
    raise AssertionError(f"never reached; last status {monitor.selected.status}")


async def open_cutover(pilot):
    """Press c on the monitor; the screen it leads to (the cutover dialog when allowed)."""
    await pilot.press("c")
    await pilot.pause()
    return pilot.app.screen


async def delete_selected(app, pilot) -> str:
    """Press d on the monitor and confirm with y; the question the confirmation asked."""
    await pilot.press("d")
    await pilot.pause()
    question = text_of(app.screen, "#confirm-question")
    await pilot.press("y")
    await settle(app, pilot)
    return question
