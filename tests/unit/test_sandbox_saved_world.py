"""The sandbox keeps its world under DMS_TUI_HOME between runs: what the Controller reads after
a restart is what it read before, time moves on while dms-tui is closed, and a damaged file is
set aside with a plain notice instead of stopping anything."""

from __future__ import annotations

import json
import stat
from dataclasses import replace

from tests.helpers.sandbox_migrations import advance_until, spec_for, take_tail
from tests.helpers.saved_world import Wall, controller_for
from tui.models import MigrationState, TargetKind
from tui.sandbox.clock import ManualClock
from tui.sandbox.saved import MAX_CLOSED_SECONDS, open_world, world_path

PASSWORD = "Zq7-never-on-disk"


def opened(wall: Wall, **kw):
    sandbox, notice = open_world(0, 10.0, make_clock=ManualClock, wall=wall, **kw)
    return sandbox, controller_for(sandbox), notice


def start_sales(sandbox, controller, kind=TargetKind.SQL_MI, database="SalesDB"):
    """A migration started as the wizard starts it, with passwords that must not be saved."""
    spec = spec_for(controller, sandbox, kind, database)
    spec = replace(spec, source=replace(spec.source, password=PASSWORD))
    if spec.target_sql is not None:
        spec = replace(spec, target_sql=replace(spec.target_sql, password=PASSWORD))
    return controller.create_migration(spec)


def test_a_restarted_sandbox_reads_the_same_as_before():
    wall = Wall()
    sb, ctl, notice = opened(wall)
    assert notice == ""  # a first start: nothing to say
    mig = start_sales(sb, ctl)
    sb.advance(120)
    sb.take_log_backup("SalesDB")
    sb.advance(60)
    before = ctl.get_migration(mig.id)
    services_before = ctl.list_service_migrations(mig.migration_service_id)
    sb.save()  # at exit

    again, ctl2, notice = opened(wall)  # no wall time passed
    assert "loaded" in notice
    assert again.now == sb.now
    after = ctl2.get_migration(mig.id)
    assert after == before
    assert after.migration_operation_id == before.migration_operation_id  # cutover needs it
    assert ctl2.list_service_migrations(mig.migration_service_id) == services_before
    # the source remembers the log backup taken before the restart
    names = [b.device for b in again.sql_server(again.source_address).get("SalesDB").backups]
    assert names == [b.device for b in sb.sql_server(sb.source_address).get("SalesDB").backups]


def test_time_moves_on_while_closed_and_the_migration_with_it():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    mig = start_sales(sb, ctl)
    sb.advance(30)
    tail = take_tail(sb, "SalesDB")
    before = ctl.get_migration(mig.id)
    assert before.last_restored_filename != tail
    sb.save()

    wall.now += 15 * 60  # a quarter of an hour closed, at 10x: 150 simulated minutes
    again, ctl2, notice = opened(wall)
    assert "2 h 30 min of simulated time passed" in notice
    assert again.now == sb.now + 15 * 60 * 10
    after = ctl2.get_migration(mig.id)
    assert after.status == MigrationState.IN_PROGRESS
    assert after.last_restored_filename == tail  # restored while dms-tui was closed
    # and the cutover, through the same gate, works on the world that came back
    done = ctl2.cutover(mig.id, tail_log_file=tail)
    assert done.status in (MigrationState.COMPLETING, MigrationState.SUCCEEDED)


def test_time_closed_is_bounded_and_never_negative():
    wall = Wall()
    sb, _, _ = opened(wall)
    sb.advance(5)
    sb.save()
    wall.now += 30 * 86_400  # a month closed
    again, _, notice = opened(wall)
    assert again.now == sb.now + MAX_CLOSED_SECONDS
    assert "at most a day" in notice
    again.save()
    wall.now -= 3600  # the wall clock was set back
    third, _, _ = opened(wall)
    assert third.now == again.now


def test_the_file_is_private_json_with_a_version_and_no_secret():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    key = ctl.storage_account_key(
        next(a.id for a in ctl.list_storage_accounts() if "mig" in a.name)
    )
    start_sales(sb, ctl)
    start_sales(sb, ctl, TargetKind.SQL_DB, "StagingETL")
    path = world_path(0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    doc = json.loads(text)
    assert doc["format"] == "dms-tui sandbox world" and doc["version"] == 1
    assert PASSWORD not in text and "secret" not in text
    assert key not in text
    assert not list(path.parent.glob(".*.tmp"))  # written whole: no temp file left behind


def test_a_damaged_file_is_set_aside_and_a_fresh_world_starts():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    mig = start_sales(sb, ctl)
    path = world_path(0)
    path.write_text('{"format": "dms-tui sandbox world", "version": 1, "seed": 0, "spe')

    again, ctl2, notice = opened(wall)  # no exception: a notice in plain words
    assert "could not be used" in notice and "not valid JSON" in notice
    assert "fresh world" in notice
    kept = list(path.parent.glob("world-0.damaged-*.json"))
    assert len(kept) == 1 and kept[0].name in notice
    assert [m.id for m in ctl2.list_service_migrations(mig.migration_service_id)] == []
    assert json.loads(path.read_text())["events"] == []  # the fresh world is kept from now on


def test_a_file_that_cannot_be_replayed_is_reported_not_raised():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    start_sales(sb, ctl)
    path = world_path(0)
    doc = json.loads(path.read_text())
    put = next(e for e in doc["events"] if e["kind"] == "request" and e["method"] == "PUT")
    put["path"] = put["path"].replace("sqlmi-contoso-prod", "sqlmi-gone")
    path.write_text(json.dumps(doc))

    _, _, notice = opened(wall)
    assert "could not be rebuilt" in notice and "PUT" in notice and "404" in notice


def test_a_newer_format_is_named():
    wall = Wall()
    opened(wall)
    path = world_path(0)
    doc = json.loads(path.read_text())
    doc["version"] = 7
    path.write_text(json.dumps(doc))
    _, _, notice = opened(wall)
    assert "version 7" in notice and "reads version 1" in notice


def test_reset_starts_afresh():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    mig = start_sales(sb, ctl)
    again, ctl2, notice = opened(wall, reset=True)
    assert "started afresh" in notice
    assert ctl2.list_service_migrations(mig.migration_service_id) == []
    assert json.loads(world_path(0).read_text())["events"] == []


def test_a_restored_world_keeps_recording():
    wall = Wall()
    sb, ctl, _ = opened(wall)
    mig = start_sales(sb, ctl)
    sb.save()
    again, ctl2, _ = opened(wall)
    again.advance(60)
    ctl2.cancel_migration(mig.id)
    third, ctl3, _ = opened(wall)
    d = advance_until(ctl3, third, mig.id, lambda d: d.status == MigrationState.CANCELED)
    assert d.status == MigrationState.CANCELED


def test_a_second_run_with_nothing_new_never_puts_an_older_world_back():
    wall = Wall()
    first, ctl, _ = opened(wall)
    start_sales(first, ctl)
    second, _, _ = opened(wall)  # a read-only monitor in another terminal
    first.advance(60)
    first.take_log_backup("SalesDB")  # the first run changes the world again
    second.save()  # the second quits: it has nothing to add
    kinds = [e["kind"] for e in json.loads(world_path(0).read_text())["events"]]
    assert kinds[-1] == "backup"
    third, _, _ = opened(wall)
    assert len(third.sql_server(third.source_address).get("SalesDB").backups) == len(
        first.sql_server(first.source_address).get("SalesDB").backups
    )


def test_logins_made_on_the_target_come_back_without_their_hash_on_disk():
    from tests.helpers.sandbox_migrations import advance_until_tail_restored
    from tui.logins.apply import apply_plan, fix_orphans
    from tui.logins.endpoint import endpoint_for
    from tui.logins.plan import make_plan

    wall = Wall()
    sb, ctl, _ = opened(wall)
    mig = start_sales(sb, ctl)
    tail = take_tail(sb, "SalesDB")
    advance_until_tail_restored(ctl, sb, mig.id, tail)
    ctl.cutover(mig.id, tail_log_file=tail)
    advance_until(ctl, sb, mig.id, lambda d: d.status == MigrationState.SUCCEEDED)
    source = sb.connect(sb.source_address)
    mi = sb.sql_server(next(t.fqdn for t in sb.world.targets if t.name == "sqlmi-contoso-prod"))
    target = endpoint_for(mi)
    plan = make_plan(
        endpoint_for(source).read_logins(),
        target.present_logins(),
        TargetKind.SQL_MI,
        entra_domain="contoso.com",
        target_databases=mi.names(),
        source_machine=source.info.server_name,
    )
    apply_plan(target, [i for i in plan if i.selectable])
    fix_orphans(target, ["SalesDB"], plan)
    logins = {x.name: x for x in mi.read_logins()}
    orphans = {u.name for u in mi.orphaned_users("SalesDB")}
    sb.save()

    again, _, _ = opened(wall)
    mi2 = again.sql_server(mi.address)
    assert {x.name: x for x in mi2.read_logins()} == logins  # same SIDs, same hashes
    assert {u.name for u in mi2.orphaned_users("SalesDB")} == orphans
    hashes = [x.password_hash.hex() for x in logins.values() if x.password_hash]
    text = world_path(0).read_text().lower()
    assert hashes and not any(h[:16] in text for h in hashes)
