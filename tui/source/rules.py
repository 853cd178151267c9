"""Readiness rules: small functions over the inventory, one finding each (or none).

``assess(server, db, target, online=...)`` runs every rule in ``RULES`` in order and returns
the findings, blockers first. A rule sees only plain facts (``ServerInfo`` and
``DatabaseInventory``), so the real source and the sandbox's simulated server give the
same findings for the same facts. Rule ids are stable: screens, exports and tests key on
them.

Facts behind the rules: Microsoft's SQL MI assessment rules and DMS known issues, the Log
Replay Service prerequisites (DMS online uses the same restore technology) and the SQL
Database offline-migration requirements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.models import (
    BackupRecord,
    DatabaseInventory,
    Finding,
    ServerInfo,
    Severity,
    TargetKind,
)
from tui.source import quote, tsql

BLOCKER, WARNING, INFO = Severity.BLOCKER, Severity.WARNING, Severity.INFO
MI, VM, DB = TargetKind.SQL_MI, TargetKind.SQL_VM, TargetKind.SQL_DB
ALL_TARGETS = frozenset(TargetKind)
BACKUP_TARGETS = frozenset({MI, VM})  # targets DMS restores from backup files

MI_MAX_SIZE_MB = 16 * 1024 * 1024  # 16 TB: the largest managed instance storage
SQLDB_MAX_SIZE_MB = 4 * 1024 * 1024  # 4 TB: the largest non-Hyperscale database
MIN_MAJOR_VERSION = 10  # SQL Server 2008

_SEVERITY_ORDER = {BLOCKER: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Facts:
    """What a rule looks at."""

    server: ServerInfo
    db: DatabaseInventory
    target: TargetKind
    online: bool

    @property
    def name(self) -> str:
        return self.db.name

    @property
    def q(self) -> str:
        """The database name quoted for T-SQL in fix text."""
        return tsql.quote_name(self.db.name, "database name")


@dataclass(frozen=True)
class Hit:
    """A rule's verdict before the registry stamps the rule id and database on it."""

    severity: Severity
    message: str
    fix: str = ""


Check = Callable[[Facts], "Hit | Iterable[Hit] | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    check: Check
    targets: frozenset[TargetKind] = ALL_TARGETS
    # when a final rule fires, the rules after it are not run: nothing else matters for
    # a database that is never migrated
    final: bool = False


RULES: list[Rule] = []


def rule(rule_id: str, *, targets: Iterable[TargetKind] = ALL_TARGETS, final: bool = False):
    """Register a check under ``rule_id`` for ``targets``."""

    def register(check: Check) -> Check:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES.append(Rule(rule_id, check, frozenset(targets), final))
        return check

    return register


def assess(
    server: ServerInfo, db: DatabaseInventory, target: TargetKind, *, online: bool = True
) -> list[Finding]:
    """Readiness findings for migrating ``db`` from ``server`` to ``target``, blockers first."""
    kind = target if isinstance(target, TargetKind) else TargetKind.parse(str(target))
    if kind is None:
        raise ValueError(f"unknown target kind {target!r}")
    facts = Facts(server, db, kind, online)
    found: list[Finding] = []
    for r in RULES:
        if facts.target not in r.targets:
            continue
        result = r.check(facts)
        hits = [result] if isinstance(result, Hit) else list(result or ())
        found += [Finding(r.id, h.severity, db.name, h.message, h.fix) for h in hits]
        if hits and r.final:
            break
    return sorted(found, key=lambda f: _SEVERITY_ORDER[f.severity])


# --------------------------------------------------------------------------- helpers


def _lsn(value: str) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _after(later: BackupRecord | None, earlier: BackupRecord | None) -> bool:
    """Whether ``later`` was taken after ``earlier`` (by LSN, else finish time)."""
    if later is None or earlier is None:
        return False
    a, b = _lsn(later.last_lsn), _lsn(earlier.last_lsn)
    if a is not None and b is not None:
        return a > b
    if later.finish and earlier.finish:
        return later.finish > earlier.finish
    return False


def _latest(db: DatabaseInventory) -> list[BackupRecord]:
    return [b for b in (db.last_full, db.last_diff, db.last_log) if b is not None]


def _is_local_path(device: str) -> bool:
    """A drive-letter or absolute Linux path (not a URL, share or backup tool's device)."""
    return len(device) > 2 and device[1] == ":" and device[0].isalpha() or device.startswith("/")


def _has_filestream(db: DatabaseInventory) -> bool:
    return db.has_filetable or any(
        f.file_type.upper() == "FILESTREAM" and not f.is_memory_optimized for f in db.files
    )


def _has_memory_optimized(db: DatabaseInventory) -> bool:
    return any(f.is_memory_optimized or f.filegroup_type.upper() == "FX" for f in db.files)


def _tb(mb: float) -> str:
    return f"{mb / 1024 / 1024:.1f} TB"


# --------------------------------------------------------------------------- what is never migrated


@rule("system-database", final=True)
def system_database(f: Facts):
    if f.db.is_system:
        return Hit(
            BLOCKER,
            f"{f.name} is a system database; system databases are never migrated.",
            "Leave it out. The target has its own system databases: re-create logins, "
            "SQL Agent jobs and server settings there separately.",
        )


@rule("database-name", final=True)
def database_name(f: Facts):
    try:
        quote.check_name(f.name, "database name")
    except quote.UnsafeSqlText as err:
        return Hit(
            BLOCKER,
            f"{err.message} DMS and this tool address databases by name, so "
            "it cannot be migrated under it.",
            "Rename the database on the source (ALTER DATABASE ... MODIFY NAME) to a "
            "name of at most 128 characters without control characters.",
        )


@rule("ssisdb", final=True)
def ssisdb(f: Facts):
    if f.name.lower() != "ssisdb":
        return None
    if f.target is VM:
        fix = (
            "Leave SSISDB out. Install Integration Services on the VM, create the catalog "
            "there and redeploy the projects, or run them with SSIS in Azure Data Factory "
            "(Azure-SSIS integration runtime)."
        )
    else:
        fix = (
            "Leave SSISDB out. Redeploy the SSIS projects to SSIS in Azure Data Factory: "
            "an Azure-SSIS integration runtime with its SSISDB hosted on the managed instance "
            "or an Azure SQL Database server."
        )
    return Hit(
        BLOCKER, f"{f.name} is the SSIS catalog; Database Migration Service cannot migrate it.", fix
    )


# ------------------------------------------------------------------------ server and database state


@rule("source-version")
def source_version(f: Facts):
    major = f.server.major_version
    if 0 < major < MIN_MAJOR_VERSION:
        return Hit(
            BLOCKER,
            f"{f.name} is on SQL Server {f.server.version or major}; "
            "migration needs SQL Server 2008 or later.",
            "Upgrade the source to SQL Server 2008 or later (ideally a supported "
            "version), then migrate.",
        )


@rule("database-state")
def database_state(f: Facts):
    state = (f.db.state or "").upper()
    if not state or state == "ONLINE":
        return None
    if state == "RESTORING":
        fix = (
            "If a tail-log backup (WITH NORECOVERY) left it RESTORING for a cutover, it is "
            "already being migrated: leave it. Otherwise end the restore sequence and bring "
            f"it online: {tsql.recover_database_tsql(f.db.name)} (no further backups can be "
            "restored onto it afterwards), then take a new full backup."
        )
    elif state == "OFFLINE":
        fix = f"Bring it online: {tsql.set_online_tsql(f.db.name)}"
    else:
        fix = (
            f"A {state} database needs repair before it can be backed up: find the cause in "
            "the SQL Server error log, fix it (missing files, a full disk), then "
            f"{tsql.set_online_tsql(f.db.name)} If it stays {state}, restore it from backup."
        )
    return Hit(
        BLOCKER, f"{f.name} is {state}, not ONLINE; it cannot be backed up or migrated.", fix
    )


@rule("read-only")
def read_only(f: Facts):
    if f.db.is_read_only:
        return Hit(
            WARNING,
            f"{f.name} is read-only; it will arrive read-only on the target"
            + (" and no new log backups will have anything to restore." if f.online else "."),
            f"Fine if intended. To migrate it writable, run ALTER DATABASE {f.q} "
            "SET READ_WRITE; on the target after the migration.",
        )


@rule("user-access")
def user_access(f: Facts):
    access = (f.db.user_access or "MULTI_USER").upper()
    if access == "SINGLE_USER":
        return Hit(
            WARNING,
            f"{f.name} is in SINGLE_USER mode; the connection that reads its "
            "backups and takes log backups may be refused.",
            tsql.set_multi_user_tsql(f.db.name),
        )
    if access == "RESTRICTED_USER":
        return Hit(
            INFO,
            f"{f.name} is in RESTRICTED_USER mode; only sysadmin, dbcreator and "
            "db_owner members can connect to it.",
            "Connect with a login in one of those roles, or run "
            + tsql.set_multi_user_tsql(f.db.name),
        )


# --------------------------------------------------------------------------- target limits


@rule("sqldb-offline-only", targets={DB})
def sqldb_offline_only(f: Facts):
    if f.online:
        return Hit(
            BLOCKER,
            f"{f.name}: migrations to Azure SQL Database are offline only.",
            "Choose an offline migration: stop writes to the source for the copy, "
            "then point the applications at the target.",
        )


@rule("sqldb-schema", targets={DB})
def sqldb_schema(f: Facts):
    return Hit(
        INFO,
        f"{f.name}: the tables must already exist in the target Azure SQL Database; "
        "only data is copied, and tables with no rows are skipped.",
        "Deploy the schema to the target before starting: extract a DACPAC from the source "
        "and publish it to the target with SqlPackage (/Action:Extract, then "
        "/Action:Publish), or run the source's schema scripts there. This tool copies "
        "data only.",
    )


@rule("sqldb-size", targets={DB})
def sqldb_size(f: Facts):
    if f.db.data_size_mb > SQLDB_MAX_SIZE_MB:
        return Hit(
            WARNING,
            f"{f.name} holds {_tb(f.db.data_size_mb)} of data; Azure SQL Database "
            "tiers other than Hyperscale stop at 4 TB.",
            "Create the target database in the Hyperscale tier.",
        )


@rule("mi-size", targets={MI})
def mi_size(f: Facts):
    if f.db.size_mb > MI_MAX_SIZE_MB:
        return Hit(
            BLOCKER,
            f"{f.name} is {_tb(f.db.size_mb)}; a managed instance holds at most 16 TB.",
            "Archive or purge data to get under 16 TB, split the database, or migrate "
            "to SQL Server on Azure VM.",
        )


@rule("filestream", targets={MI, DB})
def filestream(f: Facts):
    if not _has_filestream(f.db):
        return None
    what = "FileTable" if f.db.has_filetable else "FILESTREAM"
    return Hit(
        BLOCKER,
        f"{f.name} uses {what}; {f.target.label} does not support FILESTREAM or FileTable.",
        "Move the files to Azure Blob Storage (keep a path column in the table) and drop "
        "the FILESTREAM filegroup, or migrate to SQL Server on Azure VM.",
    )


@rule("multiple-log-files", targets={MI})
def multiple_log_files(f: Facts):
    count = f.db.log_file_count
    if count > 1:
        return Hit(
            BLOCKER,
            f"{f.name} has {count} transaction log files; a managed instance "
            "restores databases with one log file only.",
            f"Empty and remove the extra log files on the source: in {f.q}, "
            "DBCC SHRINKFILE (N'<extra log>', EMPTYFILE); then "
            f"ALTER DATABASE {f.q} REMOVE FILE [<extra log>]; (after a log backup, "
            "when the file is no longer active), then take a new full backup.",
        )


@rule("memory-optimized", targets={MI, DB})
def memory_optimized(f: Facts):
    if not _has_memory_optimized(f.db):
        return None
    tier = (
        "General Purpose managed instance"
        if f.target is MI
        else "database outside the Premium and Business Critical tiers"
    )
    return Hit(
        WARNING,
        f"{f.name} has a memory-optimized filegroup (In-Memory OLTP); it cannot "
        f"be restored to a {tier}.",
        "Use a Business Critical target, or convert the memory-optimized tables to "
        "disk-based tables and remove the filegroup before migrating.",
    )


@rule("tde", targets=BACKUP_TARGETS)
def tde(f: Facts):
    if not f.db.is_encrypted:
        return None
    if f.target is MI:
        steps = (
            "Press t on step 6: it shows the T-SQL that exports the certificate protecting "
            "the database encryption key as a PFX on the source (BACKUP CERTIFICATE ... "
            "WITH FORMAT = 'PFX', SQL Server 2022 or later), then uploads that file to the "
            "managed instance with its password. The blocker clears once it is uploaded."
        )
    else:
        steps = (
            "Press t on step 6: it shows the T-SQL that exports the certificate protecting "
            "the database encryption key as a PFX on the source (BACKUP CERTIFICATE ... "
            "WITH FORMAT = 'PFX'), and the T-SQL that creates it on the VM (CREATE "
            "CERTIFICATE ... FROM FILE ... WITH FORMAT = 'PFX'). Once it has run on the VM, "
            "confirm there and the blocker clears."
        )
    return Hit(
        BLOCKER,
        f"{f.name} is encrypted with TDE; the target cannot restore its backups "
        "until it has the source's certificate.",
        steps,
    )


# ----------------------------------------------------------------------- recovery model and backups


@rule("recovery-model", targets=BACKUP_TARGETS)
def recovery_model(f: Facts):
    model = (f.db.recovery_model or "").upper()
    if not f.online or model == "FULL" or not model:
        return None
    return Hit(
        BLOCKER,
        f"{f.name} uses the {model} recovery model; an online migration needs FULL "
        "so that log backups can be taken and restored.",
        f"{tsql.set_recovery_full_tsql(f.db.name)} then take a full backup "
        "(the log chain starts there).",
    )


@rule("no-full-backup", targets=BACKUP_TARGETS)
def no_full_backup(f: Facts):
    if f.db.last_full is None:
        return Hit(
            BLOCKER,
            f"{f.name} has no full backup in its current recovery fork; the "
            "migration starts by restoring one.",
            "Take a full backup to the backup location, e.g. "
            + tsql.backup_full_tsql(f.db.name, _example_url(f.db.name, "_full.bak")),
        )


@rule("no-log-backup", targets=BACKUP_TARGETS)
def no_log_backup(f: Facts):
    full, log = f.db.last_full, f.db.last_log
    if not f.online or full is None or (f.db.recovery_model or "FULL").upper() != "FULL":
        return None
    if log is None or not _after(log, full):
        return Hit(
            WARNING,
            f"{f.name} has no log backup since its last full backup; an online "
            "migration keeps restoring log backups until cutover.",
            "Schedule log backups to the backup location (every few minutes), e.g. "
            + tsql.backup_log_tsql(f.db.name, _example_url(f.db.name, "_log_001.trn")),
        )


@rule("backup-checksum", targets=BACKUP_TARGETS)
def backup_checksum(f: Facts):
    missing = [b.backup_type for b in _latest(f.db) if not b.has_checksum]
    if missing:
        return Hit(
            WARNING,
            f"{f.name}: the latest {', '.join(missing)} backup"
            f"{'s were' if len(missing) > 1 else ' was'} taken without CHECKSUM, "
            "so damaged pages would only show up during the restore.",
            "Add WITH CHECKSUM (and COMPRESSION) to the backup jobs.",
        )


@rule("copy-only-full", targets=BACKUP_TARGETS)
def copy_only_full(f: Facts):
    full = f.db.last_full
    if full is not None and full.is_copy_only:
        return Hit(
            WARNING,
            f"{f.name}: the latest full backup is COPY_ONLY; differential backups "
            "are based on an earlier full backup and cannot be restored on top of it.",
            "Upload only this full backup and the log backups after it, or take a "
            "regular (not copy-only) full backup.",
        )


@rule("backup-appended", targets=BACKUP_TARGETS)
def backup_appended(f: Facts):
    appended = [b.backup_type for b in _latest(f.db) if b.position > 1]
    if appended:
        return Hit(
            WARNING,
            f"{f.name}: the latest {', '.join(appended)} backup was appended to a "
            "file that holds other backups; DMS needs one backup per file.",
            "Back up WITH INIT (or FORMAT) to a new file for each backup, one file per backup.",
        )


@rule("backup-striped", targets=BACKUP_TARGETS)
def backup_striped(f: Facts):
    striped = [b for b in _latest(f.db) if b.family_count > 1]
    if striped:
        b = striped[0]
        return Hit(
            INFO,
            f"{f.name}: the latest {b.backup_type} backup is striped over "
            f"{b.family_count} files; DMS restores striped backups when every stripe "
            "is in the database's folder.",
            "Copy all stripes of each backup into the database's folder.",
        )


@rule("backup-location", targets=BACKUP_TARGETS)
def backup_location(f: Facts):
    full = f.db.last_full
    if full is None or not _is_local_path(full.device):
        return None
    return Hit(
        INFO,
        f"{f.name}: backups go to a local path ({full.device}); DMS reads them only "
        "from an Azure Blob container or an SMB share.",
        "Back up to URL (one folder per database), copy the files into the container, "
        "or back up to a network share the integration runtime can read.",
    )


def _folder(name: str) -> str:
    """A blob folder name for a database: its name without characters blob paths reject."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).strip("-.")
    return cleaned or "database"


def _example_url(name: str, file_suffix: str) -> str:
    """Where a backup of the database would go in the blob container, for a fix's example."""
    folder = _folder(name)
    return f"https://<account>.blob.core.windows.net/<container>/{folder}/{folder}{file_suffix}"
