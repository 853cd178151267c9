"""SqlMi and SqlVm migrations: restore a full backup, then each log backup as it arrives, then
cut over (online) or complete after the last backup (offline)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from .clock import iso
from .migrations import COMPLETE_SECONDS, Migration
from .sqlserver import SimDatabase, copy_for_target
from .tde import database_certificate
from .world import BlobFile

SCAN_SECONDS = 8.0  # DMS first scans the backup location this long after the migration starts
# ... and then again every SCAN_INTERVAL_SECONDS: a file written in between is listed only at
# the next scan. Right after a tail-log backup DMS still reports "pending 0" and the previous
# file as last restored: it has not seen the new file yet.
SCAN_INTERVAL_SECONDS = 120.0
VALIDATE_SECONDS = 3.0  # reading the backup header of a file already in blob storage
BACKUP_TYPES = {"full": "Database", "diff": "Differential Database", "log": "Transaction Log"}
UPLOAD_BYTES_PER_SECOND = 60 * 1024 * 1024  # self-hosted runtime: share -> storage account


def _span(start: float | None, end: float | None, now: float) -> tuple[float, float]:
    """How far a transfer from ``start`` to ``end`` has come at ``now`` (0..1), and for how
    many seconds it has run."""
    if start is None or now <= start:
        return 0.0, 0.0
    if end is not None and now >= end:
        return 1.0, end - start
    span = max((end or now) - start, 1e-6)
    return (now - start) / span, now - start


def restore_seconds(f: BlobFile) -> float:
    if f.backup_type in ("full", "diff"):
        return 15.0 + f.size / (45 * 1024 * 1024)
    return 6.0 + f.size / (60 * 1024 * 1024)


@dataclass
class TrackedFile:
    blob: BlobFile
    seen_at: float
    upload_start: float | None
    uploaded_at: float | None
    restore_start: float | None = None
    restore_end: float | None = None
    ignored: str | None = None

    @property
    def key(self) -> str:
        return self.blob.path.lower()


class BackupRestoreMigration(Migration):
    """SqlMi / SqlVm: restore a full backup, then each log backup as it arrives, then cut over."""

    def __init__(
        self,
        *,
        online: bool,
        last_backup_name: str,
        storage_type: str,
        list_files: Callable[[], list[BlobFile]],
        ir_online_since: Callable[[], float | None],
        container_name: str,
        **kw,
    ):
        super().__init__(**kw)
        self.online = online
        self.last_backup_name = last_backup_name or ""
        self.storage_type = storage_type  # AzureBlob / FileShare
        self._list_files = list_files
        self._ir_online_since = ir_online_since
        self.container_name = container_name
        self.files: dict[str, TrackedFile] = {}
        self.full: TrackedFile | None = None
        self.cursor: int | None = None  # LSN the restored chain reaches
        self.restoring: TrackedFile | None = None
        self.last_restored: TrackedFile | None = None
        self.worker_free = self.ready_at
        self.blocking = ""
        self.upload_blocking: list[str] = []
        self.backup_database: str | None = None
        self.backup_server: str | None = None

    # ------------------------------------------------------------------ simulation

    def run_until(self, now: float) -> None:
        super().run_until(now)
        if self.status not in ("InProgress",):
            if (
                self.status == "Completing"
                and self.complete_at is not None
                and now >= self.complete_at
            ):
                self._succeed(self.complete_at)
            return
        self._discover(now)
        self._restore(now)
        if self.status == "Completing" and self.complete_at is not None and now >= self.complete_at:
            self._succeed(self.complete_at)

    def _discover(self, now: float) -> None:
        ir_since = self._ir_online_since() if self.storage_type == "FileShare" else None
        for blob in self._list_files():
            if blob.created > now or not blob.is_backup:
                continue  # not there yet, or a file that is no backup (no header to read)
            if (
                self.storage_type == "FileShare"
                and blob.database.lower() != self.source_database.lower()
            ):
                continue  # a share holds many databases' backups: DMS takes those of its database
            key = blob.path.lower()
            tf = self.files.get(key)
            if tf is None:
                seen = self.next_scan(blob.created)
                tf = TrackedFile(blob, seen, None, None)
                self.files[key] = tf
            if tf.uploaded_at is None:
                if self.storage_type == "AzureBlob":  # already in storage: only the header is read
                    tf.upload_start = tf.uploaded_at = tf.seen_at + VALIDATE_SECONDS
                elif ir_since is not None:
                    tf.upload_start = max(tf.seen_at, ir_since)
                    tf.uploaded_at = tf.upload_start + blob.size / UPLOAD_BYTES_PER_SECOND
        if self.storage_type == "FileShare" and ir_since is None:
            self.upload_blocking = [
                "The self-hosted integration runtime is not online: no node is registered "
                "with the Database Migration Service, so backups cannot be uploaded."
            ]
        else:
            self.upload_blocking = []

    def next_scan(self, at: float) -> float:
        """The first scan of the backup location at or after ``at`` (simulated seconds)."""
        first = self.ready_at + SCAN_SECONDS
        if at <= first:
            return first
        return first + math.ceil((at - first) / SCAN_INTERVAL_SECONDS) * SCAN_INTERVAL_SECONDS

    def _seen(self, now: float) -> list[TrackedFile]:
        return [f for f in self.files.values() if f.seen_at <= now and f.ignored is None]

    def _restore(self, now: float) -> None:
        self._classify(now)
        while self.status == "InProgress":
            if self.restoring is not None:
                f = self.restoring
                if f.restore_end is None or f.restore_end > now:
                    break
                self.restoring = None
                self.last_restored = f
                self.cursor = f.blob.last_lsn
                self.worker_free = f.restore_end
                if not self.online and self.is_last_backup(f.blob):
                    self.status = "Completing"
                    self.complete_at = f.restore_end + COMPLETE_SECONDS
                    break
                continue
            nxt = self._next(now)
            if nxt is None:
                break
            if nxt.uploaded_at is None:
                break
            start = max(self.worker_free, nxt.uploaded_at)
            if start > now:
                break
            problem = self._restore_problem(nxt)
            if problem:
                self.fail(start, *problem)
                break
            nxt.restore_start = start
            nxt.restore_end = start + restore_seconds(nxt.blob)
            self.restoring = nxt

    def _stop_restore(self, at: float) -> None:
        """A restore in flight at ``at`` never finishes (the migration failed or was canceled)."""
        f = self.restoring
        if f is not None and f.restore_end is not None and f.restore_end > at:
            f.restore_start = f.restore_end = None
            self.restoring = None

    def fail(self, at: float, code: str, message: str) -> None:
        if self.active:
            self._stop_restore(at)
        super().fail(at, code, message)

    def cancel(self, now: float) -> None:
        self._stop_restore(now)
        super().cancel(now)

    def is_last_backup(self, blob: BlobFile) -> bool:
        """``lastBackupName`` is a file name, or ``folder/file`` inside the container."""
        want = self.last_backup_name.replace("\\", "/").strip("/").lower()
        if not want:
            return False
        return blob.path.lower() == want if "/" in want else blob.file_name.lower() == want

    def _next(self, now: float) -> TrackedFile | None:
        self.blocking = ""
        if self.cursor is None:
            if self.restoring is None:
                self._choose_full(now)
                return self.full
            return None
        self._classify(now)
        seen = [f for f in self._seen(now) if f.restore_end is None and f is not self.restoring]
        logs = sorted(
            (f for f in seen if f.blob.backup_type == "log"), key=lambda f: f.blob.first_lsn
        )
        for f in logs:
            if f.blob.first_lsn <= self.cursor < f.blob.last_lsn:
                return f
        # a differential backup of the same full bridges a gap in the log chain
        diffs = [f for f in seen if f.blob.backup_type == "diff"]
        if diffs:
            return max(diffs, key=lambda f: f.blob.last_lsn)
        if logs:
            f = logs[0]
            self.blocking = (
                f"The log backup '{f.blob.file_name}' is too recent to apply to the database: the "
                f"log in this backup set begins at LSN {f.blob.first_lsn}, which is too recent to "
                f"apply to the database. An earlier log backup that includes LSN {self.cursor} "
                f"must be restored first (LSN gap in the backup chain)."
            )
        return None

    def _choose_full(self, now: float) -> None:
        """The restore starts from the latest full backup in the folder (by finish time, then
        LSN)."""
        candidates = [f for f in self.files.values() if f.seen_at <= now and f.restore_end is None]
        for (
            f
        ) in candidates:  # until a restore starts, a newer full backup can still change the plan
            f.ignored = None
        fulls = [f for f in candidates if f.blob.backup_type == "full"]
        if fulls:
            self.full = max(fulls, key=lambda f: (f.blob.backup_finish, f.blob.last_lsn))
            self._classify(now)

    def _classify(self, now: float) -> None:
        """Set aside the files the restore plan of the chosen full backup does not use.

        A log backup is applied only if it continues the chain: the first one must contain the
        end of the full backup (first LSN <= the full's last LSN < its last LSN), each next one
        starts where the previous ended. Older files stay in the folder and are reported with
        the reason they are not restored; they never count as pending."""
        full = self.full
        if full is None:
            return
        reached = self.cursor if self.cursor is not None else full.blob.last_lsn
        for f in self._seen(now):
            if f is full or f is self.restoring or f.restore_end is not None:
                continue
            b = f.blob
            if b.backup_type == "full":
                if self.cursor is None and full.restore_start is None:
                    f.ignored = (
                        f"A later full backup ('{full.blob.file_name}') in the folder is used to "
                        "start the restore."
                    )
                else:
                    f.ignored = (
                        f"The database is already being restored from the full backup "
                        f"'{full.blob.file_name}'."
                    )
            elif b.backup_type == "diff" and b.base_lsn != full.blob.first_lsn:
                f.ignored = (
                    f"The differential backup is based on another full backup, not on "
                    f"'{full.blob.file_name}'."
                )
            elif b.last_lsn <= reached:
                what = "log backup" if b.backup_type == "log" else "differential backup"
                if self.cursor is None or reached == full.blob.last_lsn:
                    f.ignored = (
                        f"The {what} ends at LSN {b.last_lsn}, before the end of the full backup "
                        f"'{full.blob.file_name}' (LSN {full.blob.last_lsn}): it is not part of "
                        "the restore chain."
                    )
                else:
                    f.ignored = (
                        f"The {what} ends at LSN {b.last_lsn}: the backups already restored "
                        f"reach LSN {reached}."
                    )

    def _restore_problem(self, f: TrackedFile) -> tuple[str, str] | None:
        if self.backup_database is None:
            self.backup_database, self.backup_server = f.blob.database, f.blob.server
        if f.blob.database.lower() != (self.backup_database or "").lower():
            return (
                "MultipleDatabasesInBackupLocation",
                "The backup location holds backups of more than one database "
                f"('{self.backup_database}' and '{f.blob.database}'). "
                "Keep each database's backups in its own folder.",
            )
        src = self._source_db()
        if f.blob.backup_type == "full" and src is not None and src.is_encrypted:
            assert self.source is not None  # src was found there
            thumb = database_certificate(self.source, src.name).thumbprint
            if thumb in self.target.engine.certificates:
                return None
            return (
                "RestoreFailed",
                "Msg 33111, Level 16, State 3: Cannot find server certificate with thumbprint "
                f"'0x{thumb}'. RESTORE DATABASE is terminating abnormally. "
                f"Migrate the TDE certificate of '{src.name}' to the target "
                "before migrating the database.",
            )
        return None

    def _source_db(self) -> SimDatabase | None:
        if self.source is None:
            return None
        return self.source.get(self.backup_database or self.source_database)

    def _succeed(self, at: float) -> None:
        self.status = "Succeeded"
        self.ended_on = at
        src = self._source_db()
        engine = self.target.engine
        if engine.get(self.name) is None:
            if src is not None:
                engine.add(copy_for_target(src, self.name, engine.next_database_id()))
            else:
                db = SimDatabase(self.name, engine.next_database_id())
                db.set_tables([])
                engine.add(db)

    def eta(self, now: float) -> float | None:
        base = super().eta(now)
        if base is not None:
            return base
        if self.restoring is not None and self.restoring.restore_end is not None:
            return max(self.restoring.restore_end - now, 0.0)
        return None

    # ------------------------------------------------------------------ readiness

    def pending_logs(self, now: float) -> int:
        """Log backups DMS has found and not restored yet (including the one being restored)."""
        return sum(
            1
            for f in self._seen(now)
            if f.blob.backup_type == "log" and (f.restore_end is None or f.restore_end > now)
        )

    def ready_for_cutover(self, now: float) -> tuple[bool, str]:
        if self.status != "InProgress":
            return False, f"The migration is {self.status}."
        if self.cursor is None:
            return False, "The full backup has not been restored yet."
        if self.restoring is not None:
            return (
                False,
                f"The backup file '{self.restoring.blob.file_name}' is still being restored.",
            )
        if self.blocking:
            return False, self.blocking
        pending = self.pending_logs(now)
        if pending:
            return False, f"{pending} log backup(s) are still waiting to be restored."
        return True, ""

    # ------------------------------------------------------------------ rendering

    def _file_json(self, f: TrackedFile, now: float) -> dict:
        b = f.blob
        if f.ignored:
            status = "Skipped"  # the spec's value for a file the restore plan does not use
        elif f.restore_end is not None and f.restore_end <= now:
            status = "Restored"
        elif f.restore_start is not None and f.restore_start <= now:
            status = "Restoring"
        elif f.uploaded_at is not None and f.uploaded_at <= now:
            status = "Uploaded"
        elif f.upload_start is not None and f.upload_start <= now:
            status = "Uploading"
        else:
            status = "Arrived"
        # dataRead: bytes read from the backup file (the upload from a share; from blob
        # storage the restore reads it); dataWritten: bytes the restore wrote. Both move with
        # the clock, so a big file shows how far it has come; copyThroughput (KB/s) and
        # copyDuration are those of the transfer under way (or the last one).
        up_frac, up_dur = _span(f.upload_start, f.uploaded_at, now)
        rs_frac, rs_dur = _span(f.restore_start, f.restore_end, now)
        share = self.storage_type == "FileShare"
        read = int(b.size * (up_frac if share else rs_frac))
        written = int(b.size * rs_frac)
        if f.restore_start is not None and f.restore_start <= now:
            moved, dur = written, rs_dur
        else:
            moved, dur = (read, up_dur) if share else (0, 0.0)
        return {
            "fileName": b.file_name,
            "status": status,
            "totalSize": b.size,
            "dataRead": read,
            "dataWritten": written,
            "copyThroughput": round(moved / 1024 / dur, 2) if dur > 0 else 0.0,
            "copyDuration": int(dur),
            "familySequenceNumber": 1,
        }

    def _set_json(self, f: TrackedFile, now: float) -> dict:
        b = f.blob
        restored = f.restore_end is not None and f.restore_end <= now
        d = {
            "backupSetId": str(
                uuid.uuid5(
                    uuid.NAMESPACE_URL,
                    f"{b.server}/{b.database}/{b.backup_type}/{b.first_lsn}/{b.file_name}",
                )
            ),
            "firstLSN": str(b.first_lsn),
            "lastLSN": str(b.last_lsn),
            "backupType": BACKUP_TYPES.get(b.backup_type, b.backup_type),
            "listOfBackupFiles": [self._file_json(f, now)],
            "backupStartDate": iso(b.backup_start),
            "backupFinishedDate": iso(b.backup_finish),
            "isBackupRestored": restored,
            "hasBackupChecksums": b.has_checksum,
            "familyCount": 1,
            "ignoreReasons": [f.ignored] if f.ignored else [],
        }
        d["backupFinishDate"] = d["backupFinishedDate"]
        return d

    def status_details(self, now: float) -> dict:
        seen = sorted(
            (f for f in self.files.values() if f.seen_at <= now),
            key=lambda f: (f.blob.backup_type != "full", f.blob.first_lsn),
        )
        # every backup set found, restored or not; the ones outside the restore chain carry
        # ignoreReasons. invalidFiles is for files that are not backups at all.
        active = seen
        invalid: list[str] = []
        full_restored = (
            self.full is not None
            and self.full.restore_end is not None
            and self.full.restore_end <= now
        )
        if self.status == "Succeeded":
            state = "Completed"
        elif self.status in ("Failed", "Canceled", "Canceling"):
            state = self.status
        elif self.status == "Completing":
            state = "CompleteRestoreOperation"
        elif self.full is None:
            state = "WaitForFullBackupUploadOperation"
        elif not full_restored:
            state = "RestoreFullBackupOperation"
        else:
            state = "MonitorMigration"
        d = {
            "migrationState": state,
            "activeBackupSets": [self._set_json(f, now) for f in active],
            "invalidFiles": invalid,
            "blobContainerName": self.container_name,
            "isFullBackupRestored": full_restored,
            "restoreBlockingReason": self.blocking or None,
            "completeRestoreErrorMessage": (self.failure or {}).get("message")
            if self.status == "Failed"
            else None,
            "fileUploadBlockingErrors": list(self.upload_blocking),
            "currentRestoringFilename": (
                self.restoring.blob.file_name
                if self.restoring is not None
                else (self.last_restored.blob.file_name if self.last_restored else None)
            ),
            "lastRestoredFilename": self.last_restored.blob.file_name
            if self.last_restored
            else None,
            "pendingLogBackupsCount": self.pending_logs(now),
        }
        if self.full is not None:
            d["fullBackupSetInfo"] = self._set_json(self.full, now)
        if self.last_restored is not None:
            d["lastRestoredBackupSetInfo"] = self._set_json(self.last_restored, now)
        return d
