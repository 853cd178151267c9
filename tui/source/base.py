"""What every source SQL Server offers the rest of the app.

Two implementations: ``tui.source.SqlServerSource`` (a real server over pyodbc) and the
sandbox's simulated server (``tui.sandbox``). Screens and the Controller only see this.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from tui.models import (
    BackupResult,
    DatabaseInventory,
    Finding,
    ServerInfo,
    TableRowCount,
    TargetKind,
)


@runtime_checkable
class Source(Protocol):
    """A source SQL Server, real or simulated. All methods block: call them from a worker."""

    def server_info(self) -> ServerInfo:
        """Connect (if not yet) and describe the server; doubles as "Test connection"."""

    def databases(self) -> list[DatabaseInventory]:
        """Every database with files, state, recovery model, TDE and backup history."""

    def assess(
        self, database: DatabaseInventory, target: TargetKind, *, online: bool = True
    ) -> list[Finding]:
        """Readiness findings for migrating ``database`` to ``target``."""

    def row_counts(self, database: str, exact_tables: Sequence[str] = ()) -> list[TableRowCount]:
        """Rows of every user table (partition stats), exact COUNT_BIG for ``exact_tables``."""

    def backup_log(self, database: str, url: str, *, tail: bool = False) -> BackupResult:
        """Take a log backup to ``url`` (tail-log with NORECOVERY when ``tail``)."""

    def close(self) -> None:
        """Release the connection."""
