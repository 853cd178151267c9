"""Run the backup-folder preflight: list each database's folder through the Controller, read
the source's backup history, apply the rules.

Blocking (Azure and SQL Server calls): call from a worker. Used by the summary step (before
anything is created), by the monitor's ``b`` and by anything else that watches a running
migration (``check_migration``). A folder that cannot be listed is a finding too, never a
silent pass: a missing container blocks (DMS would refuse it); a refused or unreachable
storage account is a warning with the error's own code, since DMS may still read it with
its own credential.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.errors import DmsTuiError
from tui.models import (
    BackupRecord,
    BlobBackupSource,
    DatabaseInventory,
    Finding,
    MigrationDetail,
    Severity,
    TargetKind,
)
from tui.preflight.listing import FolderListing
from tui.preflight.rules import FolderFacts, assess_folder, is_clear

BLOCKING_CODES = {"containernotfound"}


@dataclass(frozen=True)
class FolderCheck:
    """One database's folder and what the preflight found in it."""

    database: str
    where: str  # account/container/folder/ (or what was not checked)
    findings: tuple[Finding, ...] = ()
    listing: FolderListing | None = None
    checked: bool = True  # False: the folder could not be (or is not) looked at

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.BLOCKER]

    @property
    def clear(self) -> bool:
        return is_clear(self.findings)

    @property
    def summary(self) -> str:
        """One line: the verdict for the database."""
        if not self.checked:
            first = self.findings[0].message if self.findings else "not checked"
            return f"{self.database}: {first}"
        if self.blockers:
            return f"{self.database}: ✗ {len(self.blockers)} blocker(s) in {self.where}"
        files = len(self.listing.blobs) if self.listing else 0
        warnings = len(self.findings)
        tail = f", {warnings} warning(s)" if warnings else ""
        return f"{self.database}: {files} file(s) in {self.where}, chain complete ✓{tail}"


def histories(inventory: Iterable[DatabaseInventory]) -> dict[str, tuple[BackupRecord, ...]]:
    """Backup history per database name (as the source reported it)."""
    out: dict[str, tuple[BackupRecord, ...]] = {}
    for db in inventory:
        records = db.backups or tuple(b for b in (db.last_full, db.last_diff, db.last_log) if b)
        out[db.name] = tuple(records)
    return out


def check_listing(
    database: str,
    listing: FolderListing,
    history: dict[str, tuple[BackupRecord, ...]],
    *,
    target: TargetKind,
    online: bool,
    last_backup: str = "",
) -> FolderCheck:
    """The rules over one listed folder (no I/O)."""
    own = next((h for name, h in history.items() if name.lower() == database.lower()), ())
    facts = FolderFacts(
        database=database,
        target=target,
        online=online,
        listing=listing,
        history=own,
        others=history,
        last_backup=last_backup,
    )
    return FolderCheck(database, listing.where, tuple(assess_folder(facts)), listing)


def unreadable(database: str, where: str, error: DmsTuiError) -> FolderCheck:
    """A folder the Blob service would not list: the error, in the preflight's words."""
    blocking = (error.code or "").lower() in BLOCKING_CODES
    finding = Finding(
        "folder-unreadable",
        Severity.BLOCKER if blocking else Severity.WARNING,
        database,
        f"{where} could not be checked: {error}",
        error.hint,
    )
    return FolderCheck(database, where, (finding,), None, checked=False)


def check_folders(
    controller: Any,
    inventory: Iterable[DatabaseInventory],
    *,
    storage_account_id: str,
    container: str,
    databases: Iterable[str],
    target: TargetKind,
    online: bool,
    last_backups: dict[str, str] | None = None,
    folders: dict[str, str] | None = None,
) -> list[FolderCheck]:
    """Each database's folder — ``<container>/<database>/`` unless ``folders`` names
    another — against the history in ``inventory`` (the source's ``databases()``)."""
    history = histories(inventory)
    account = storage_account_id.rstrip("/").rsplit("/", 1)[-1]
    names = list(databases)
    paths = [(folders or {}).get(db) or db for db in names]
    listed = controller.list_backup_folders(storage_account_id, container, paths)
    out = []
    for db, path, listing in zip(names, paths, listed, strict=True):
        if isinstance(listing, DmsTuiError):
            out.append(unreadable(db, f"{account}/{container}/{path.strip('/')}/", listing))
            continue
        out.append(
            check_listing(
                db,
                listing,
                history,
                target=target,
                online=online,
                last_backup=(last_backups or {}).get(db, ""),
            )
        )
    return out


def read_inventory(context: Any, params: Any) -> list[DatabaseInventory]:
    """The source's databases with their backup history (one connection, closed after)."""
    source = context.open_source(params)
    try:
        return source.databases()
    finally:
        try:
            source.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass


def check_migration(context: Any, detail: MigrationDetail, params: Any) -> FolderCheck:
    """The preflight for a running (or stalled) migration: its own backup location, read from
    Azure, against the source's history now. For the monitor's ``b`` and the stall
    detector; blocking."""
    controller = context.controller
    location = controller.backup_location(detail.id)
    database = detail.source_database
    if not isinstance(location, BlobBackupSource):
        what = (
            "backups on an SMB share: the preflight reads Azure Blob folders only."
            if location is not None
            else "Azure does not say where this migration reads its backups."
        )
        note = Finding("folder-not-checked", Severity.INFO, database, f"Not checked: {what}")
        return FolderCheck(database, "", (note,), None, checked=False)
    inventory = read_inventory(context, params)
    # DMS takes "container/folder" as the container name too; else the folder is the database
    container, _, folder = location.container.partition("/")
    [check] = check_folders(
        controller,
        inventory,
        storage_account_id=location.storage_account_id,
        container=container,
        databases=[database],
        folders={database: folder or location.folder or database},
        target=detail.kind,
        online=bool(detail.online) if detail.online is not None else True,
        last_backups={database: detail.last_backup_name},
    )
    return check
