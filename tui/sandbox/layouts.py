"""Seeded databases whose backup folders are laid out the ways that break migrations.

Each database below has its own folder in the migration container (or, for the layouts that
are about the container, its own container), and its backups are recorded in the simulated
server's history (msdb) exactly as the files in the container reflect them, so a check that
compares the two sees what it would see on a real estate:

* ``CrmLegacy`` — nested folders: a maintenance solution writes ``CrmLegacy/FULL/…`` and
  ``CrmLegacy/LOG/…``; DMS reads only files directly in ``CrmLegacy/`` and waits forever.
* ``Ledger`` / ``LedgerArchive`` — a job wrote LedgerArchive's full backup into ``Ledger/``:
  Ledger's folder holds another database's backup (DMS fails with
  MultipleDatabasesInBackupLocation) and LedgerArchive's folder is empty.
* ``Payments`` — backups to disk WITH NOINIT: three log backups appended to one file, then
  copied into ``Payments/``.
* ``Warehouse`` — a log backup went to the local disk between two that went to the folder:
  the folder's chain has an LSN gap (``Sandbox.repair_backup_chain`` copies it in).
* ``Marketing`` — backups without CHECKSUM.
* ``Intranet`` — a note and a script copied into the folder beside the backups.
* container ``sqlbackups`` — a copy of SalesDB's folder in a container whose name holds the
  word "backup", which a managed instance refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tui.models import BackupRecord

from .sqlserver import SimDatabase, SimTable, SimulatedSqlServer, data_files
from .world import BlobFile, Container, World

LOCAL = "D:\\MSSQL\\Backup"
HOUR = 3600.0

Add = Callable[..., SimDatabase]


def seed_layouts(world: World, src: SimulatedSqlServer, add: Add) -> None:
    acct = world.migration_account
    base = f"{acct.blob_endpoint}{world.migration_container}"
    now = world.now()

    def db(name: str, data_mb: float, tables: list[tuple[str, str, int]]) -> SimDatabase:
        d = add(
            name,
            data_size_mb=data_mb,
            log_size_mb=data_mb / 4,
            log_rate_bytes=8_000,
            files=data_files(name, data_mb, data_mb / 4),
        )
        d.set_tables([SimTable(s, t, rows, 160) for s, t, rows in tables])
        return d

    def full(d: SimDatabase, url: str, at: float, *, checksum: bool = True) -> BackupRecord:
        rec = d.record_full(url, at, duration=max(30.0, d.data_size_mb / 180.0), checksum=checksum)
        world._backup_written(src.address, rec, created=at)
        return rec

    def log(d: SimDatabase, url: str, at: float, **kw) -> BackupRecord:
        rec = d.record_log(url, at, log_bytes=d.log_rate_bytes * 1800, **kw)
        world._backup_written(src.address, rec, created=at)
        return rec

    def copied(rec: BackupRecord, folder: str, at: float) -> None:
        """A disk backup copied into ``folder`` of the migration container."""
        name = rec.device.rsplit("\\", 1)[-1]
        world._backup_written(src.address, replace(rec, device=f"{base}/{folder}/{name}"), at)

    # nested folders, the way maintenance scripts lay them out
    crm = db("CrmLegacy", 900, [("dbo", "Account", 48_112), ("dbo", "Contact", 130_404)])
    full(crm, f"{base}/CrmLegacy/FULL/CrmLegacy_FULL_20260301_220000.bak", now - 10 * HOUR)
    for h in (3, 2, 1):
        log(crm, f"{base}/CrmLegacy/LOG/CrmLegacy_LOG_{4 - h:03d}.trn", now - h * HOUR)

    # another database's backup in the folder; that database's own folder empty
    ledger = db("Ledger", 700, [("gl", "Journal", 902_114), ("gl", "Account", 1_204)])
    archive = db("LedgerArchive", 1_200, [("gl", "JournalHistory", 8_302_775)])
    full(ledger, f"{base}/Ledger/Ledger_full.bak", now - 9 * HOUR)
    full(archive, f"{base}/Ledger/LedgerArchive_full.bak", now - 8 * HOUR)
    for h in (3, 2):
        log(ledger, f"{base}/Ledger/Ledger_log_{4 - h:03d}.trn", now - h * HOUR)

    # backups to disk WITH NOINIT: the log backups appended to one file, copied to the folder
    payments = db("Payments", 600, [("pay", "Transfer", 2_004_981), ("pay", "Card", 81_330)])
    rec = payments.record_full(f"{LOCAL}\\Payments_full.bak", now - 7 * HOUR, duration=40.0)
    copied(rec, "Payments", now - 7 * HOUR + 300)
    for position, h in enumerate((3, 2, 1), start=1):
        at = now - h * HOUR
        rec = payments.record_log(
            f"{LOCAL}\\Payments_log.trn", at, log_bytes=4_000_000, position=position
        )
    copied(rec, "Payments", now - 50 * 60)

    # a log backup taken to the local disk between two taken to the folder: an LSN gap
    warehouse = db("Warehouse", 1_500, [("wh", "Bin", 12_800), ("wh", "Movement", 3_110_455)])
    full(warehouse, f"{base}/Warehouse/Warehouse_full.bak", now - 9 * HOUR)
    log(warehouse, f"{base}/Warehouse/Warehouse_log_001.trn", now - 3 * HOUR)
    stray = warehouse.record_log(f"{LOCAL}\\Warehouse_maint_1.trn", now - 2 * HOUR, log_bytes=9_000)
    warehouse.stray_backups.append(stray)
    log(warehouse, f"{base}/Warehouse/Warehouse_log_002.trn", now - 1 * HOUR)

    # no CHECKSUM on any backup
    marketing = db("Marketing", 400, [("mk", "Campaign", 311), ("mk", "Lead", 402_377)])
    full(marketing, f"{base}/Marketing/Marketing_full.bak", now - 9 * HOUR, checksum=False)
    log(marketing, f"{base}/Marketing/Marketing_log_001.trn", now - 2 * HOUR, checksum=False)

    # files that are no backups beside the backups
    intranet = db("Intranet", 300, [("cms", "Page", 9_120), ("cms", "Asset", 40_228)])
    full(intranet, f"{base}/Intranet/Intranet_full.bak", now - 9 * HOUR)
    log(intranet, f"{base}/Intranet/Intranet_log_001.trn", now - 2 * HOUR)
    container = acct.containers[world.migration_container]
    for name, kind, size in (
        ("readme.txt", "text/plain", 812),
        ("copy-backups.ps1", "application/octet-stream", 2_304),
    ):
        container.blobs.append(_other_file(f"Intranet/{name}", kind, size, now - 5 * HOUR))

    # the word "backup" in the container's name: SalesDB's folder copied there
    copy = acct.containers["sqlbackups"] = Container("sqlbackups")
    copy.blobs = [replace(b) for b in container.blobs if b.folder.lower() == "salesdb"]


def _other_file(path: str, content_type: str, size: int, created: float) -> BlobFile:
    return BlobFile(
        path=path,
        database="",
        backup_type="",
        first_lsn=0,
        last_lsn=0,
        size=size,
        has_checksum=False,
        backup_start=created,
        backup_finish=created,
        created=created,
        content_type=content_type,
    )
