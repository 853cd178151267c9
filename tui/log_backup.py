"""Log and tail-log backups of a migrating database, into the folder DMS reads from.

Blocking (call from a worker). The file goes to ``<container>/<source db>/`` for blob
backups, or the share's folder for SMB; when the tool can't run the backup itself, the
same T-SQL is offered for the DBA to run.

Every file name is new: the time to the millisecond, and a sequence number when this
session has already used that name — two files with one name would overwrite each other
and break the log chain DMS restores. One backup of a database runs at a time.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from tui.errors import DmsTuiError
from tui.models import (
    BackupRecord,
    BackupResult,
    BlobBackupSource,
    MigrationDetail,
    ShareBackupSource,
)

if TYPE_CHECKING:
    from tui.context import AppContext, SourceParams

_lock = threading.Lock()
_issued: set[str] = set()  # file names handed out this session (lower case)
_running: set[str] = set()  # databases with a backup in progress (lower case)


def new_file_name(database: str, when: datetime, *, tail: bool = False) -> str:
    """A file name no other backup of this session has: ``<db>_<log|tail>_<time>_<ms>.trn``."""
    kind = "tail" if tail else "log"
    base = f"{database}_{kind}_{when:%Y%m%d_%H%M%S}_{when.microsecond // 1000:03d}"
    with _lock:
        name, n = f"{base}.trn", 1
        while name.lower() in _issued:
            n += 1
            name = f"{base}_{n}.trn"
        _issued.add(name.lower())
    return name


def is_running(database: str) -> bool:
    """A backup of ``database`` is in progress in this session."""
    with _lock:
        return database.lower() in _running


def backup_url(
    location: BlobBackupSource | ShareBackupSource | None, database: str, name: str
) -> str:
    if isinstance(location, BlobBackupSource):
        account = location.storage_account_id.rstrip("/").rsplit("/", 1)[-1]
        folder = (location.folder or database).strip("/")
        return f"https://{account}.blob.core.windows.net/{location.container}/{folder}/{name}"
    if isinstance(location, ShareBackupSource):
        return location.path.rstrip("\\") + "\\" + name
    raise DmsTuiError(
        "The migration's backup location is not known.",
        code="NoBackupLocation",
        hint="Take the log backup into the folder DMS reads from yourself.",
    )


def statement(database: str, url: str, *, tail: bool = False) -> str:
    """The BACKUP LOG statement: to URL for a blob container, to DISK for an SMB share; the
    name and the location are escaped by ``tui.source.quote`` (raises ``ValueError``)."""
    from tui.source.tsql import backup_log_to_disk_tsql, backup_log_tsql

    if url.lower().startswith("https://"):
        return backup_log_tsql(database, url, tail=tail)
    return backup_log_to_disk_tsql(database, url, tail=tail)


def manual_statement(
    context: AppContext, detail: MigrationDetail, name: str, *, tail: bool = False
) -> str:
    """The T-SQL to run on the source when the tool can't, writing the file ``name`` (best
    effort, never raises)."""
    try:
        location = context.azure.backup_location(detail.id)
        url = backup_url(location, detail.source_database, name)
    except Exception:  # noqa: BLE001 - fall back to a placeholder URL the DBA completes
        url = f"https://<account>.blob.core.windows.net/<container>/{detail.source_database}/{name}"
    return statement(detail.source_database, url, tail=tail)


def take_log_backup(
    context: AppContext,
    detail: MigrationDetail,
    params: SourceParams,
    name: str,
    *,
    tail: bool = False,
) -> BackupResult:
    """Back up the log of the migration's source database into the file ``name``; refused
    while another backup of that database runs in this session."""
    database = detail.source_database
    with _lock:
        if database.lower() in _running:
            raise DmsTuiError(
                f"A log backup of {database} is already running.",
                code="LogBackupRunning",
                hint="Wait until it has finished, then take the next one.",
            )
        _running.add(database.lower())
    try:
        location = context.azure.backup_location(detail.id)
        url = backup_url(location, database, name)
        source = context.open_source(params)
        try:
            return source.backup_log(database, url, tail=tail)
        finally:
            try:
                source.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
    finally:
        with _lock:
            _running.discard(database.lower())


def newest_log_backup(
    context: AppContext, params: SourceParams, database: str
) -> tuple[BackupRecord, str]:
    """The newest log backup of ``database`` in the source's backup history (msdb), and the
    database's state (RESTORING after a tail-log backup WITH NORECOVERY)."""
    source = context.open_source(params)
    try:
        found = next((d for d in source.databases() if d.name.lower() == database.lower()), None)
    finally:
        try:
            source.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
    if found is None:
        raise DmsTuiError(
            f"The source has no database {database}.",
            code="DatabaseNotFound",
            hint="Type the tail-log file name instead.",
        )
    logs = [b for b in found.backups if b.backup_type == "log"] or (
        [found.last_log] if found.last_log is not None else []
    )
    if not logs:
        raise DmsTuiError(
            f"The source's backup history has no log backup of {database}.",
            code="NoLogBackup",
            hint="Run the tail-log T-SQL shown, then read the history again.",
        )
    newest = max(
        logs, key=lambda b: (b.finish is not None, b.finish or datetime.min, _lsn(b.last_lsn))
    )
    return newest, found.state


def _lsn(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0
