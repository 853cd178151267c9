"""The monitor's logic without Textual or Azure: schedule, fetch round, history, actions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tui.errors import AzureError
from tui.models import BackupFile, MigrationDetail, MigrationState, TableProgress, TargetKind
from tui.monitoring.actions import can_cancel, can_delete, can_open_cutover, can_retry
from tui.monitoring.buckets import Bucket, bucket_of, count_buckets
from tui.monitoring.fetch import FetchRequest, fetch_round
from tui.monitoring.fmt import bar, fmt_bytes, fmt_duration
from tui.monitoring.history import History
from tui.monitoring.problem import problem_text
from tui.monitoring.rows import duration_seconds
from tui.monitoring.schedule import PollSchedule
from tui.monitoring.tables import estimate_text, table_totals

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MI = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"
    "/providers/Microsoft.DataMigration/databaseMigrations/"
)


def detail(name="db1", status="InProgress", kind=TargetKind.SQL_MI, **kw) -> MigrationDetail:
    base = dict(
        id=MI + name,
        name=name,
        kind=kind,
        status=status,
        source_database=name,
        target_database=name,
        migration_operation_id="op",
        online=True,
        target_name="mi1",
        started_on=T0,
    )
    base.update(kw)
    return MigrationDetail(**base)


class FakeController:
    def __init__(self, details):
        self.details = {d.id.lower(): d for d in details}
        self.calls: list[tuple[str, str]] = []
        self.fail: Exception | None = None
        self.lock = threading.Lock()

    def list_service_migrations(self, service_id):
        self.calls.append(("list", service_id))
        if self.fail:
            raise self.fail
        return [d.summary for d in self.details.values()]

    def get_migration(self, mid):
        self.calls.append(("get", mid))
        if self.fail:
            raise self.fail
        return self.details[mid.lower()]


def test_schedule_backs_off_longer_when_throttled_and_recovers():
    s = PollSchedule(interval=5)
    assert s.can_start()
    s.started()
    assert not s.can_start()  # one fetch in flight at most
    d1 = s.failed(AzureError("slow down", code="TooManyRequests", status=429))
    s.started()
    d2 = s.failed(AzureError("slow down", code="TooManyRequests", status=429))
    assert d2 > d1 >= 20
    assert "throttling" in s.status_text() and "backing off" in s.status_text()
    s.started()
    assert s.succeeded(T0) == 5
    assert "backing off" not in s.status_text() and "Last refresh 08:00" in s.status_text()
    s.paused = True
    assert not s.can_start() and "PAUSED" in s.status_text()


def test_fetch_round_fetches_detail_only_for_the_selected_and_skips_final():
    a, b, c = detail("a"), detail("b"), detail("c", status="Succeeded")
    ctl = FakeController([a, b, c])
    req = FetchRequest(
        migration_ids=(a.id, b.id, c.id), selected_id=a.id.lower(), final=frozenset({c.id.lower()})
    )
    snap = fetch_round(ctl, req)
    assert snap.detail == a
    assert [x for x in ctl.calls if x[1].endswith("/c")] == []
    assert {s.name for s in snap.summaries} == {"a", "b"}
    # with the service known: one list call, and one get for the selected detail
    ctl.calls.clear()
    req = FetchRequest(migration_ids=(a.id, b.id), service_id="svc", selected_id=b.id.lower())
    snap = fetch_round(ctl, req)
    assert ctl.calls == [("list", "svc"), ("get", b.id.lower())]
    assert {s.name for s in snap.summaries} == {"a", "b"}


def test_fetch_round_raises_only_when_nothing_could_be_read():
    ctl = FakeController([detail("a")])
    ctl.fail = AzureError("down", code="InternalServerError", status=500)
    with pytest.raises(AzureError):
        fetch_round(ctl, FetchRequest(migration_ids=(MI + "a",)))


def test_buckets_and_counts():
    ready = detail(
        pending_log_backups=0,
        is_full_backup_restored=True,
        last_restored_filename="f",
        current_restoring_filename="f",
    )
    state = MigrationState.parse
    assert bucket_of(state("InProgress"), ready) == Bucket.READY
    busy = detail(pending_log_backups=2)
    assert bucket_of(state("InProgress"), busy) == Bucket.IN_PROGRESS
    assert bucket_of(state("Completing")) == Bucket.COMPLETING
    # canceled is counted as canceled, not failed; a stalled one apart from the others
    assert bucket_of(state("Canceling")) == Bucket.CANCELED
    assert bucket_of(state("cancelled")) == Bucket.CANCELED
    assert bucket_of(state("Failed")) == Bucket.FAILED
    assert bucket_of(state("InProgress"), busy, stalled=True) == Bucket.STALLED
    assert bucket_of(state("Succeeded"), busy, stalled=True) == Bucket.SUCCEEDED
    assert bucket_of(state("Weird")) == Bucket.OTHER
    counts = count_buckets([Bucket.FAILED, Bucket.FAILED, Bucket.READY])
    assert counts[Bucket.FAILED] == 2 and counts[Bucket.SUCCEEDED] == 0


def test_history_pending_and_throughput():
    h = History()
    f = lambda n: (BackupFile(name="x", data_written=n),)  # noqa: E731
    h.add(detail(pending_log_backups=2, backup_files=f(0)), 0)
    h.add(detail(pending_log_backups=1, backup_files=f(1000)), 10)
    assert h.pending(MI + "db1") == [2.0, 1.0]
    assert h.throughput(MI + "db1") == [100.0]


def test_table_totals_sum_the_tables():
    tables = [
        TableProgress(
            name=f"t{i}",
            status="Copying" if i % 2 else "Succeeded",
            rows_read=100,
            rows_copied=50 + i,
        )
        for i in range(10)
    ]
    t = table_totals(tables)
    assert t.rows_read == 1000 and t.rows_copied == sum(50 + i for i in range(10))
    assert dict(t.by_status) == {"Copying": 5, "Succeeded": 5}


def test_table_totals_count_waiting_tables_as_not_copied_and_progress_by_tables():
    tables = [
        TableProgress("dbo.Done", "Succeeded", rows_read=100, rows_copied=100),
        TableProgress("dbo.Now", "Copying", rows_read=100, rows_copied=40),
        TableProgress("dbo.Broken", "Failed", rows_read=10, rows_copied=5),
        # a stale answer may carry rows for a table not started: none of them count
        TableProgress("dbo.Later", "PreparingForCopy", rows_read=0, rows_copied=7),
        *(TableProgress(f"dbo.Wait{i}", "PreparingForCopy") for i in range(6)),
    ]
    t = table_totals(tables)
    assert (t.tables, t.done, t.in_flight, t.failed, t.waiting) == (10, 1, 1, 1, 7)
    assert t.rows_copied == 145 and t.rows_read == 210
    assert t.percent == 10.0  # 1 of 10 tables, not 145 of 210 rows
    tables_line, rows_line = t.lines()
    assert tables_line.startswith("Tables 1 of 10 done")
    assert rows_line == "Rows 145 copied of 210 read so far; 7 tables not read yet"
    assert "left" in estimate_text(t, 1 / 60, final=False)  # 1 table a minute
    assert "about 8m00s left" in estimate_text(t, 1 / 60, final=False)
    assert estimate_text(t, 1 / 60, final=True) == ""


def test_allowed_actions_say_why_not():
    assert can_cancel(detail(status="Succeeded")).reason.startswith("The migration is already")
    assert can_cancel(detail()).ok
    assert not can_retry(detail()).ok
    assert can_retry(detail(kind=TargetKind.SQL_DB, status="Failed")).ok
    assert not can_delete(detail()).ok and can_delete(detail(status="Canceled")).ok
    assert not can_open_cutover(detail(online=False)).ok
    assert not can_open_cutover(detail(kind=TargetKind.SQL_DB)).ok


def test_retry_follows_azures_wait_for_retry_state():
    """The spec: retry only in migrationState WaitForRetry (MigrationRetryNotAllowed else)."""
    sqldb = dict(kind=TargetKind.SQL_DB, online=False)
    assert can_retry(detail(status="Failed", migration_state="WaitForRetry", **sqldb)).ok
    assert can_retry(detail(status="InProgress", migration_state="WaitForRetry", **sqldb)).ok
    assert can_retry(detail(status="Retriable", **sqldb)).ok
    refused = can_retry(detail(status="Failed", migration_state="Failed", **sqldb))
    assert not refused.ok and "WaitForRetry" in refused.reason
    assert not can_retry(
        detail(status="InProgress", migration_state="MonitorMigration", **sqldb)
    ).ok


def test_problem_text_gives_the_fix():
    d = detail(blocking_reason="The LSN chain is broken: log backup missing")
    assert "Fix:" in problem_text(d) and "backup chain" in problem_text(d)
    assert problem_text(detail()) == ""


def test_formatting():
    assert fmt_bytes(1536) == "1.5 KB" and fmt_bytes(None) == "—"
    assert fmt_duration(3725) == "1h02m" and fmt_duration(61) == "1m01s"
    assert bar(50, 4) == "██░░  50%"
    assert duration_seconds(T0, None, T0 + timedelta(seconds=90)) == 90


def test_stall_detector_flags_an_empty_folder_a_still_restore_and_a_block():
    from dataclasses import replace

    from tui.monitoring.stall import StallWatch

    t0 = T0
    watch = StallWatch(after=600)
    empty = detail(started_on=t0, is_full_backup_restored=False, source_database="Ledger")
    watch.observe(empty, t0.timestamp())
    assert watch.stall_of(empty, t0 + timedelta(minutes=9)) is None
    stall = watch.stall_of(empty, t0 + timedelta(minutes=11))
    assert stall is not None and stall.kind == "no-backups"
    assert "no backup file seen 11m00s after the start" in stall.text()
    assert "Check: is the folder empty?" in stall.text()
    assert "Fix: put Ledger's full backup" in stall.text()

    # listed but nothing moves: flagged N minutes after the last change, not before
    f = BackupFile("x_full.bak", status="Uploaded", backup_type="Database", total_size=10)
    still = replace(empty, backup_files=(f,))
    watch.observe(still, (t0 + timedelta(minutes=5)).timestamp())
    assert watch.stall_of(still, t0 + timedelta(minutes=14)) is None
    stall = watch.stall_of(still, t0 + timedelta(minutes=16))
    assert stall is not None and stall.kind == "no-progress"
    assert "x_full.bak is listed but not restored" in stall.check
    moving = replace(still, backup_files=(replace(f, status="Restoring", data_written=4),))
    watch.observe(moving, (t0 + timedelta(minutes=16)).timestamp())
    assert watch.stall_of(moving, t0 + timedelta(minutes=17)) is None

    # a restore blocked by an LSN gap: at once, with the chain fix
    gap = replace(moving, blocking_reason="The log in this backup set begins at LSN 9, too recent")
    stall = watch.stall_of(gap, t0 + timedelta(minutes=17))
    assert stall is not None and "chain is broken" in stall.headline
    assert "differential backup" in stall.fix
    # caught up (nothing waiting), final, or SQL Database: never stalled
    done = replace(moving, backup_files=(replace(f, status="Restored"),), pending_log_backups=0)
    done = replace(done, is_full_backup_restored=True)
    watch.observe(done, (t0 + timedelta(minutes=17)).timestamp())
    assert watch.stall_of(done, t0 + timedelta(hours=3)) is None
    assert watch.stall_of(replace(gap, status="Canceled"), t0 + timedelta(hours=3)) is None
    sqldb = replace(empty, kind=TargetKind.SQL_DB)
    assert watch.stall_of(sqldb, t0 + timedelta(hours=3)) is None


def test_restore_percent_counts_the_file_in_flight_and_not_the_skipped_ones():
    from tui.monitoring.restore import restore_percent

    gb = 1024**3
    files = (
        BackupFile("old_full.bak", status="Skipped", backup_type="Database", total_size=25 * gb),
        BackupFile(
            "new_full.bak",
            status="Restoring",
            backup_type="Database",
            total_size=25 * gb,
            data_read=7 * gb,
            data_written=7 * gb,
        ),
    )
    # 7 GB of the 25 GB the restore uses — not 50% for the whole restore, nor 64%
    assert round(restore_percent(detail(backup_files=files))) == 28
    done = (files[0], BackupFile("new_full.bak", status="Restored", total_size=25 * gb))
    assert restore_percent(detail(backup_files=done)) == 100.0
