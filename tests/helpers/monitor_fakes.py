"""A scripted Controller for monitor tests that don't need the whole sandbox."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime

from tui.cutover import cutover_blockers
from tui.models import (
    BackupFile,
    BackupSet,
    BlobBackupSource,
    MigrationDetail,
    TableProgress,
    TargetKind,
)

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MI_ID = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"
    "/providers/Microsoft.DataMigration/databaseMigrations/"
)
DB_ID = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1"
    "/providers/Microsoft.DataMigration/databaseMigrations/"
)


def mi_detail(name="Payroll", pending=0, **kw) -> MigrationDetail:
    full = BackupFile(
        name=f"{name}_full.bak",
        status="Restored",
        backup_type="Database",
        total_size=512 * 1024 * 1024,
        data_written=512 * 1024 * 1024,
        first_lsn="1000",
        last_lsn="2000",
        backup_started=T0,
        backup_finished=T0.replace(minute=5),
    )
    log = BackupFile(
        name=f"{name}_log_001.trn",
        status="Restored",
        backup_type="TransactionLog",
        total_size=4 * 1024 * 1024,
        data_written=4 * 1024 * 1024,
        first_lsn="2000",
        last_lsn="2100",
        backup_started=T0.replace(minute=6),
        backup_finished=T0.replace(minute=7),
    )
    sets = (
        BackupSet("set-full", "Database", "1000", "2000", is_restored=True, files=(full,)),
        BackupSet("set-log1", "TransactionLog", "2000", "2100", is_restored=True, files=(log,)),
    )
    base = dict(
        id=MI_ID + name,
        name=name,
        kind=TargetKind.SQL_MI,
        status="InProgress",
        source_database=name,
        target_database=name,
        migration_operation_id="op-1",
        online=True,
        target_name="mi1",
        target_id=MI_ID.split("/providers/Microsoft.D")[0],
        started_on=T0,
        pending_log_backups=pending,
        is_full_backup_restored=True,
        last_restored_filename=log.name,
        current_restoring_filename=log.name,
        backup_sets=sets,
        backup_files=(full, log),
        migration_state="MonitorMigration",
    )
    base.update(kw)
    return MigrationDetail(**base)


def db_detail(name="SalesDB", tables=20, copied=0.5, **kw) -> MigrationDetail:
    rows = tuple(
        TableProgress(
            name=f"dbo.T{i:05d}",
            status="Copying" if copied < 1 else "Succeeded",
            rows_read=1000 + i,
            rows_copied=int((1000 + i) * copied),
            throughput=120.0,
            copy_duration=30,
        )
        for i in range(tables)
    )
    base = dict(
        id=DB_ID + name,
        name=name,
        kind=TargetKind.SQL_DB,
        status="InProgress",
        source_database=name,
        target_database=name,
        migration_operation_id="op-2",
        online=False,
        target_name="sql1",
        started_on=T0,
        tables=rows,
    )
    base.update(kw)
    return MigrationDetail(**base)


class FakeController:
    subscription_id = "s"

    def __init__(self, *details: MigrationDetail):
        self.details = {d.id.lower(): d for d in details}
        self.calls: list[tuple[str, str]] = []
        self.fail: Exception | None = None
        self.fail_times = 0
        self.cutover_requests = 0
        self.gate: threading.Event | None = None
        self._lock = threading.Lock()

    def _maybe_fail(self):
        with self._lock:
            if self.fail is not None and self.fail_times > 0:
                self.fail_times -= 1
                raise self.fail

    def set(self, detail: MigrationDetail) -> None:
        self.details[detail.id.lower()] = detail

    def list_service_migrations(self, service_id):
        self.calls.append(("list", service_id))
        self._maybe_fail()
        return [d.summary for d in self.details.values()]

    def get_migration(self, mid):
        self.calls.append(("get", mid))
        self._maybe_fail()
        return self.details[mid.lower()]

    def backup_location(self, mid):
        return BlobBackupSource(
            storage_account_id="/x/storageAccounts/acct",
            container="c",
            folder=self.details[mid.lower()].source_database,
        )

    def cutover(self, mid, *, tail_log_file):
        d = self.get_migration(mid)
        reasons = cutover_blockers(d, tail_log_file)
        if reasons:
            from tui.controller import CutoverNotReady

            raise CutoverNotReady(reasons, d)
        if self.gate is not None:
            self.gate.wait(5)
        with self._lock:
            self.cutover_requests += 1
        d = replace(d, status="Completing")
        self.set(d)
        return d

    def list_targets(self, kind):
        return []

    def cancel_migration(self, mid):
        d = replace(self.get_migration(mid), status="Canceled")
        self.set(d)
        return d
