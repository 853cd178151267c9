"""The tail-log backup the tool takes for a cutover — one path for the single cutover and
for a wave.

Traffic is stopped, so the source's row counts taken first are final (after ``BACKUP LOG …
WITH NORECOVERY`` the database is RESTORING and can't be counted any more); then the backup
itself; then the file's last LSN, read back from the source's backup history, for the
timeline of the change ticket. Blocking: call it from a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.cutover import file_name_of
from tui.errors import DmsTuiError

if TYPE_CHECKING:
    from tui.context import AppContext
    from tui.models import MigrationDetail
    from tui.row_validation import SourceCounts


@dataclass(frozen=True)
class TailBackup:
    """The outcome of one tail-log backup taken here."""

    text: str  # what the DBA reads
    ok: bool
    statement: str = ""  # the T-SQL run, or to run by hand after a failure
    counts: SourceCounts | None = None  # the source's rows, counted just before the backup
    file: str = ""
    last_lsn: str = ""


def take_tail_backup(
    context: AppContext, detail: MigrationDetail, source: Any, name: str, when: datetime
) -> TailBackup:
    """Count the source's rows, then back up the tail of the log into ``name``."""
    from tui.log_backup import manual_statement, take_log_backup
    from tui.row_validation import SourceCounts, count_rows, source_error_text

    db = detail.source_database
    counts = None
    try:
        counts = SourceCounts(detail.id, db, count_rows(context, source, db), when)
        counted = (
            f"Source rows counted at {when:%H:%M:%S} ({len(counts.counts)} tables), "
            "for the validation after cutover."
        )
    except Exception as exc:  # noqa: BLE001 - the backup matters more than the count
        counted = f"Source rows NOT counted: {source_error_text(exc)}"
    try:
        result = take_log_backup(context, detail, source, name, tail=True)
    except Exception as exc:  # noqa: BLE001 - said to the DBA, with the T-SQL
        return TailBackup(
            f"{_error_text(exc)}\n{counted}",
            False,
            manual_statement(context, detail, name, tail=True),
            counts=counts,
        )
    file = file_name_of(result.url)
    return TailBackup(
        f"Tail-log backup taken ({file}); the source database is now RESTORING.\n{counted}",
        True,
        result.statement,
        counts=counts,
        file=file,
        last_lsn=_last_lsn(context, source, db, file),
    )


def _last_lsn(context: AppContext, source: Any, database: str, file: str) -> str:
    """The backup's last LSN from the source's history ("" when it can't be read)."""
    from tui.log_backup import newest_log_backup

    try:
        rec, _state = newest_log_backup(context, source, database)
    except Exception:  # noqa: BLE001 - the LSN only adds to the timeline
        return ""
    return rec.last_lsn if file_name_of(rec.device).lower() == file.lower() else ""


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DmsTuiError):
        return exc.full_text
    from tui.azure_errors import translate

    return translate(exc).full_text
