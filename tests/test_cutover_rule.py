"""The one cutover rule the Controller and the screens share."""

from tui.cutover import cutover_blockers, is_final, is_ready_for_cutover
from tui.models import MigrationDetail, TargetKind


def detail(**kw):
    base = dict(id="x", name="db", kind=TargetKind.SQL_MI, status="InProgress",
                source_database="db", target_database="db", migration_operation_id="op",
                online=True, is_full_backup_restored=True, pending_log_backups=0,
                last_restored_filename="db_log_3.trn", current_restoring_filename="db_log_3.trn")
    base.update(kw)
    return MigrationDetail(**base)


def test_ready_when_everything_restored():
    assert is_ready_for_cutover(detail())
    assert cutover_blockers(detail()) == []


def test_pending_log_backups_block_with_the_count():
    reasons = cutover_blockers(detail(pending_log_backups=2))
    assert reasons == ["2 log backups are still waiting to be restored."]


def test_full_backup_not_restored_blocks():
    assert "The full backup has not been restored yet." in cutover_blockers(
        detail(is_full_backup_restored=False))


def test_file_still_restoring_blocks():
    reasons = cutover_blockers(detail(current_restoring_filename="db_log_4.trn"))
    assert reasons == ["db_log_4.trn is still being restored."]


def test_blocking_reason_is_shown():
    reasons = cutover_blockers(detail(blocking_reason="LSN gap in db_log_5.trn"))
    assert reasons == ["Restores are blocked: LSN gap in db_log_5.trn"]


def test_unknown_pending_count_is_not_taken_as_zero():
    assert cutover_blockers(detail(pending_log_backups=None)) == [
        "Azure has not reported the number of pending log backups yet."]


def test_offline_and_sqldb_have_no_cutover():
    assert "offline" in cutover_blockers(detail(online=False))[0]
    assert "no cutover" in cutover_blockers(detail(kind=TargetKind.SQL_DB))[0]


def test_not_in_progress_blocks():
    assert cutover_blockers(detail(status="Succeeded")) == [
        "The migration is Succeeded, not in progress."]


def test_final_states_case_insensitive_and_both_spellings():
    assert all(is_final(s) for s in ("Succeeded", "failed", "Canceled", "CANCELLED"))
    assert not is_final("InProgress")
