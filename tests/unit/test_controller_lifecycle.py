"""The Controller against the sandbox: every migration kind from start to its end state,
the guarded cutover, cancel/retry/delete, and faults that must never crash it."""

from __future__ import annotations

import pytest

from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_tail_restored,
    cutover_posts,
    start,
    take_tail,
)
from tui.controller import CutoverAlreadyRequested, CutoverNotReady
from tui.cutover import restore_blockers
from tui.errors import AzureError, DmsTuiError
from tui.models import TargetKind
from tui.sandbox import Fault


def _caught_up(d):
    return not restore_blockers(d)


def test_sqlmi_online_reaches_succeeded_through_cutover(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    assert d.kind == TargetKind.SQL_MI and d.online
    d = advance_until(controller, sandbox, d.id, lambda d: d.is_full_backup_restored)
    sandbox.take_log_backup("SalesDB")
    sandbox.advance(1)
    d = controller.get_migration(d.id)
    assert d.pending_log_backups or d.current_restoring_filename != d.last_restored_filename
    d = advance_until(controller, sandbox, d.id, _caught_up)
    assert d.last_restored_filename.endswith(".trn")
    tail = take_tail(sandbox, "SalesDB")
    d = advance_until_tail_restored(controller, sandbox, d.id, tail)
    assert d.last_restored_filename == tail
    after = controller.cutover(d.id, tail_log_file=tail)
    assert after.status in ("Completing", "Succeeded")
    assert cutover_posts(sandbox) == 1
    d = advance_until(controller, sandbox, d.id, lambda d: d.status == "Succeeded")
    assert d.status.is_final
    with pytest.raises(CutoverAlreadyRequested):
        controller.cutover(d.id, tail_log_file=tail)
    assert cutover_posts(sandbox) == 1


def test_cutover_refused_while_not_ready_sends_nothing(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    with pytest.raises(CutoverNotReady) as info:
        controller.cutover(d.id, tail_log_file="SalesDB_tail.trn")
    err = info.value
    assert isinstance(err, AzureError) and err.code == "CutoverNotReady"
    assert err.reasons and "full backup" in " ".join(err.reasons).lower()
    assert "Cutover refused" in err.full_text
    assert cutover_posts(sandbox) == 0
    # pending log backups also refuse, with the count in the reason
    advance_until(controller, sandbox, d.id, lambda d: d.is_full_backup_restored)
    sandbox.take_log_backup("SalesDB")
    tail = take_tail(sandbox, "SalesDB")
    advance_until(
        controller,
        sandbox,
        d.id,  # DMS has listed both, not restored them
        lambda d: any(f.name == tail for f in d.backup_files),
        step=1,
        limit=200,
    )
    with pytest.raises(CutoverNotReady) as info:
        controller.cutover(d.id, tail_log_file=tail)
    assert any("log backup" in r or "being restored" in r for r in info.value.reasons)
    assert cutover_posts(sandbox) == 0


def test_sqlmi_offline_completes_by_itself(controller, sandbox):
    src = sandbox.sql_server(sandbox.source_address)
    db = next(x for x in src.databases() if x.name == "SalesDB")
    last = db.backups[-1].device.rsplit("/", 1)[-1]
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB", online=False, last_backup=last)
    assert d.online is False
    with pytest.raises(CutoverNotReady):
        controller.cutover(d.id, tail_log_file=last)
    d = advance_until(controller, sandbox, d.id, lambda d: d.status.is_final)
    assert d.status == "Succeeded"
    assert cutover_posts(sandbox) == 0


def test_sqlvm_online_cutover(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_VM, "SalesDB")
    assert d.kind == TargetKind.SQL_VM
    d = advance_until(controller, sandbox, d.id, _caught_up)
    tail = take_tail(sandbox, "SalesDB")
    advance_until_tail_restored(controller, sandbox, d.id, tail)
    controller.cutover(d.id, tail_log_file=tail)
    d = advance_until(controller, sandbox, d.id, lambda d: d.status == "Succeeded")
    assert cutover_posts(sandbox) == 1


def test_sqldb_every_table_moves_and_totals_add_up(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    seen_moving: set[str] = set()
    last: dict[str, int] = {}
    for _ in range(400):
        sandbox.advance(10)
        d = controller.get_migration(d.id)
        for t in d.tables:
            if t.rows_copied > last.get(t.name, 0):
                seen_moving.add(t.name)
            last[t.name] = t.rows_copied
        if d.status.is_final:
            break
    assert d.status == "Succeeded", d.error
    assert d.tables and seen_moving == {t.name for t in d.tables if t.rows_read}
    assert sum(t.rows_copied for t in d.tables) == sum(t.rows_read for t in d.tables)


def test_cancel_then_delete(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    with pytest.raises(AzureError) as info:
        controller.delete_migration(d.id)
    assert info.value.code == "MigrationActive"
    controller.cancel_migration(d.id)
    d = advance_until(controller, sandbox, d.id, lambda d: d.status.is_final)
    assert d.status.lower() in ("canceled", "cancelled")
    with pytest.raises(AzureError):
        controller.cancel_migration(d.id)
    controller.delete_migration(d.id)
    with pytest.raises(DmsTuiError):
        controller.get_migration(d.id)


def test_a_cancel_accepted_for_a_migration_deleted_meanwhile_says_so(
    controller, sandbox, monkeypatch
):
    """Azure takes the cancel, but the migration is gone when it is read back (deleted
    from elsewhere): the DBA is told Azure accepted it, never handed nothing."""
    from tui.writes import WriteFailed

    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    monkeypatch.setattr(controller, "_migration_or_none", lambda _id: None)
    with pytest.raises(WriteFailed) as info:
        controller.cancel_migration(d.id)
    assert info.value.accepted is True
    assert "no longer exists" in info.value.message
    posts = [r for r in sandbox.requests if r.path.lower().endswith("/cancel")]
    assert len(posts) == 1


def test_retry_is_for_sqldb_only(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    with pytest.raises(AzureError) as info:
        controller.retry_migration(d.id)
    assert info.value.code == "RetryNotSupported"


def test_throttle_with_retry_after_is_retried(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.inject(Fault.throttle(retry_after=1, times=2))
    assert controller.get_migration(d.id).id == d.id


def test_persistent_500_ends_in_plain_azure_error(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.inject(Fault.server_error(500, times=None))
    with pytest.raises(AzureError) as info:
        controller.get_migration(d.id)
    assert info.value.status == 500
    assert "internal error" in info.value.message.lower()


@pytest.mark.parametrize(
    "fault",
    [
        Fault.throttle(retry_after=1, times=None),
        Fault.server_error(503, times=None),
        Fault.drop_connection(times=None),
        Fault.expired_token(times=None),
    ],
)
def test_no_fault_crashes_the_controller(controller, sandbox, fault):
    d = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.inject(fault)
    for call in (
        lambda: controller.get_migration(d.id),
        lambda: controller.list_service_migrations(d.migration_service_id),
        lambda: controller.cutover(d.id, tail_log_file="SalesDB_tail.trn"),
        lambda: controller.cancel_migration(d.id),
    ):
        with pytest.raises(DmsTuiError) as info:
            call()
        assert info.value.message
    assert cutover_posts(sandbox) == 0


def test_failed_sqldb_migration_can_be_retried(controller, sandbox):
    d = start(controller, sandbox, TargetKind.SQL_DB, "SalesDB")
    sandbox.advance(5)
    sandbox.fail_migration("SalesDB")
    d = controller.get_migration(d.id)
    assert d.status == "Failed" and d.error is not None and d.error.hint
    after = controller.retry_migration(d.id)
    assert after.status != "Failed"
    d = advance_until(controller, sandbox, d.id, lambda d: d.status.is_final)
    assert d.status == "Succeeded"
