"""Log and tail-log backups of a migrating database, into the folder DMS reads from.

Blocking (call from a worker). The file goes to ``<container>/<source db>/`` for blob
backups, or the share's folder for SMB; when the tool can't run the backup itself, the
same T-SQL is offered for the DBA to run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.errors import DmsTuiError
from tui.models import BackupResult, BlobBackupSource, MigrationDetail, ShareBackupSource


def file_name(database: str, when: datetime, *, tail: bool = False) -> str:
    kind = "tail" if tail else "log"
    return f"{database}_{kind}_{when:%Y%m%d_%H%M%S}.trn"


def backup_url(location: Any, database: str, when: datetime, *, tail: bool = False) -> str:
    name = file_name(database, when, tail=tail)
    if isinstance(location, BlobBackupSource):
        account = location.storage_account_id.rstrip("/").rsplit("/", 1)[-1]
        folder = (location.folder or database).strip("/")
        return f"https://{account}.blob.core.windows.net/{location.container}/{folder}/{name}"
    if isinstance(location, ShareBackupSource):
        return location.path.rstrip("\\") + "\\" + name
    raise DmsTuiError("The migration's backup location is not known.", code="NoBackupLocation",
                      hint="Take the log backup into the folder DMS reads from yourself.")


def statement(database: str, url: str, *, tail: bool = False) -> str:
    """The BACKUP LOG statement: to URL for a blob container, to DISK for an SMB share; the
    name and the location are escaped by ``tui.source.quote`` (raises ``ValueError``)."""
    from tui.source.tsql import backup_log_to_disk_tsql, backup_log_tsql

    if url.lower().startswith("https://"):
        return backup_log_tsql(database, url, tail=tail)
    return backup_log_to_disk_tsql(database, url, tail=tail)


def manual_statement(context: Any, detail: MigrationDetail, when: datetime, *,
                     tail: bool = False) -> str:
    """The T-SQL to run on the source when the tool can't (best effort, never raises)."""
    try:
        location = context.controller.backup_location(detail.id)
        url = backup_url(location, detail.source_database, when, tail=tail)
    except Exception:  # noqa: BLE001 - fall back to a placeholder URL the DBA completes
        url = (f"https://<account>.blob.core.windows.net/<container>/{detail.source_database}/"
               f"{file_name(detail.source_database, when, tail=tail)}")
    return statement(detail.source_database, url, tail=tail)


def take_log_backup(context: Any, detail: MigrationDetail, params: Any, when: datetime, *,
                    tail: bool = False) -> BackupResult:
    location = context.controller.backup_location(detail.id)
    url = backup_url(location, detail.source_database, when, tail=tail)
    source = context.open_source(params)
    try:
        return source.backup_log(detail.source_database, url, tail=tail)
    finally:
        try:
            source.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
