"""The one cutover rule the Controller and the screens share: caught up is not enough, the
tail-log backup named for the cutover must be restored."""

from tui.cutover import (
    cutover_blockers,
    file_name_of,
    restore_blockers,
    route,
    waiting_text,
)
from tui.models import BackupFile, MigrationDetail, TargetKind

TAIL = "db_tail_4.trn"


def f(name, status="Restored", first="300", last="400"):
    return BackupFile(
        name=name, status=status, backup_type="Transaction Log", first_lsn=first, last_lsn=last
    )


def detail(**kw):
    base = dict(
        id="x",
        name="db",
        kind=TargetKind.SQL_MI,
        status="InProgress",
        source_database="db",
        target_database="db",
        migration_operation_id="op",
        online=True,
        is_full_backup_restored=True,
        pending_log_backups=0,
        last_restored_filename=TAIL,
        current_restoring_filename=TAIL,
        backup_files=(
            f("db_full.bak", first="1", last="100"),
            f("db_log_3.trn", first="100", last="300"),
            f(TAIL, first="300", last="400"),
        ),
    )
    base.update(kw)
    return MigrationDetail(**base)


# the state right after the tail-log was written: DMS has not listed it yet
NOT_LISTED = dict(
    last_restored_filename="db_log_3.trn",
    current_restoring_filename="db_log_3.trn",
    backup_files=(
        f("db_full.bak", first="1", last="100"),
        f("db_log_3.trn", first="100", last="300"),
    ),
)


def test_ready_when_the_tail_log_is_the_last_restored_file():
    assert cutover_blockers(detail(), TAIL) == []


def test_pending_zero_before_dms_lists_the_tail_log_is_not_ready():
    d = detail(**NOT_LISTED)
    assert restore_blockers(d) == []  # "caught up": Azure's pending count says 0
    reasons = cutover_blockers(d, TAIL)
    assert reasons == [
        f"Waiting for DMS to restore {TAIL}: DMS has not listed it yet (it "
        "looks for new files in the backup location every few minutes)."
    ]


def test_listed_but_restoring_is_not_ready():
    d = detail(
        last_restored_filename="db_log_3.trn",
        current_restoring_filename=TAIL,
        backup_files=(f("db_log_3.trn", first="100", last="300"), f(TAIL, status="Restoring")),
    )
    reasons = cutover_blockers(d, TAIL)
    assert f"{TAIL} is still being restored." in reasons
    assert f"Waiting for DMS to restore {TAIL}: it is Restoring." in reasons


def test_tail_log_covered_by_what_was_restored_is_ready():
    # the DBA named an earlier log backup: the restores reach past it
    d = detail(last_restored_filename=TAIL)
    assert cutover_blockers(d, "db_log_3.trn") == []
    # a file listed but not restored, and not covered, is not
    d = detail(
        backup_files=(
            f("db_log_3.trn", first="100", last="300"),
            f(TAIL, status="Uploaded", first="300", last="900"),
        ),
        last_restored_filename="db_log_3.trn",
        current_restoring_filename="db_log_3.trn",
    )
    assert cutover_blockers(d, TAIL) == [f"Waiting for DMS to restore {TAIL}: it is Uploaded."]


def test_the_tail_log_may_be_named_by_url_or_path_in_any_case():
    assert cutover_blockers(detail(), f"https://acct.blob.core.windows.net/c/db/{TAIL}") == []
    assert cutover_blockers(detail(), f"\\\\srv\\share\\{TAIL.upper()}") == []
    assert file_name_of("https://a/b/c.trn?sv=1") == "c.trn"


def test_no_tail_log_named_is_never_ready():
    for name in ("", "  ", "https://acct.blob.core.windows.net/c/db/"):
        reasons = cutover_blockers(detail(), name)
        assert reasons and "tail-log backup is not known" in reasons[-1]
    assert "ctrl+t" in waiting_text(detail(), "")


def test_pending_log_backups_block_with_the_count():
    reasons = cutover_blockers(detail(pending_log_backups=2), TAIL)
    assert reasons == ["2 log backups are still waiting to be restored."]


def test_full_backup_not_restored_blocks():
    assert "The full backup has not been restored yet." in cutover_blockers(
        detail(is_full_backup_restored=False), TAIL
    )


def test_file_still_restoring_blocks():
    reasons = cutover_blockers(detail(current_restoring_filename="db_log_5.trn"), TAIL)
    assert reasons == ["db_log_5.trn is still being restored."]


def test_blocking_reason_is_shown():
    reasons = cutover_blockers(detail(blocking_reason="LSN gap in db_log_5.trn"), TAIL)
    assert reasons == ["Restores are blocked: LSN gap in db_log_5.trn"]


def test_unknown_pending_count_is_not_taken_as_zero():
    assert cutover_blockers(detail(pending_log_backups=None), TAIL) == [
        "Azure has not reported the number of pending log backups yet."
    ]


def test_offline_and_sqldb_have_no_cutover():
    assert "offline" in cutover_blockers(detail(online=False), TAIL)[0]
    assert "no cutover" in cutover_blockers(detail(kind=TargetKind.SQL_DB), TAIL)[0]


def test_not_in_progress_blocks():
    assert cutover_blockers(detail(status="Succeeded"), TAIL) == [
        "The migration is Succeeded, not in progress."
    ]
    assert cutover_blockers(detail(status="Completing"), TAIL) == [
        "The migration is Completing, not in progress."
    ]


def test_route_names_source_and_target():
    assert route(detail(target_name="mi1")) == "db → mi1/db"
