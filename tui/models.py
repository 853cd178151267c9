"""Plain, frozen dataclasses that the screens render.

No Azure SDK or pyodbc type ever crosses this line: the Controller and the source layer
translate into these, and everything above them (screens, widgets, projects, exports)
works on these alone. Secrets are kept out of ``repr`` so they cannot leak into logs,
tracebacks or screenshots.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class TargetKind(str, enum.Enum):
    """The three kinds of migration target; the value is the DMS ``kind`` string."""

    SQL_MI = "SqlMi"
    SQL_VM = "SqlVm"
    SQL_DB = "SqlDb"

    @property
    def label(self) -> str:
        return {
            "SqlMi": "Azure SQL Managed Instance",
            "SqlVm": "SQL Server on Azure VM",
            "SqlDb": "Azure SQL Database",
        }[self.value]

    @classmethod
    def parse(cls, value: str | None) -> TargetKind | None:
        if not value:
            return None
        low = value.lower()
        for kind in cls:
            if kind.value.lower() == low:
                return kind
        return None


class MigrationState(str, enum.Enum):
    """A migration's ``migrationStatus``: the value is Azure's spelling.

    Parsed once, where an Azure answer becomes a model (``tui.convert``); everything above
    asks the state's properties instead of comparing lower-cased strings. Matching is
    case-insensitive, "Cancelled"/"Cancelling" are read as Canceled/Canceling, and a value
    this version does not know is kept as written (``is_known`` False) — never refused.
    """

    CREATING = "Creating"
    IN_PROGRESS = "InProgress"
    READY_FOR_CUTOVER = "ReadyForCutover"
    UPLOADING_FULL_BACKUP = "UploadingFullBackup"
    UPLOADING_LOG_BACKUP = "UploadingLogBackup"
    RESTORING = "Restoring"
    COMPLETING = "Completing"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    RETRIABLE = "Retriable"
    CANCELING = "Canceling"
    CANCELED = "Canceled"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def parse(cls, value: str | None) -> MigrationState:
        """``value`` (any case; ``None`` and "" are an unknown, empty state) as a state."""
        if isinstance(value, cls):
            return value
        return cls(str(value or "").strip())

    @classmethod
    def _missing_(cls, value: object) -> MigrationState | None:
        if not isinstance(value, str):
            return None
        low = value.lower()
        low = {"cancelled": "canceled", "cancelling": "canceling"}.get(low, low)
        for state in cls:
            if state.value.lower() == low:
                return state
        unknown = str.__new__(cls, value)
        unknown._name_ = "UNKNOWN"
        unknown._value_ = value
        return unknown

    @property
    def is_known(self) -> bool:
        return self._name_ != "UNKNOWN"

    @property
    def is_final(self) -> bool:
        """Nothing more happens: Succeeded, Failed or Canceled."""
        return self in _FINAL

    @property
    def is_ending(self) -> bool:
        """Completing or Canceling: on its way to a final state; no cancel, no cutover."""
        return self in (MigrationState.COMPLETING, MigrationState.CANCELING)

    @property
    def is_active(self) -> bool:
        """Running: creating, copying, restoring, or waiting for a retry or the cutover."""
        return self in _ACTIVE

    @property
    def is_restoring_logs(self) -> bool:
        """Online MI/VM restoring log backups: the only states a cutover is accepted in."""
        return self in (MigrationState.IN_PROGRESS, MigrationState.READY_FOR_CUTOVER)

    @property
    def may_retry(self) -> bool:
        """Failed or Retriable (Azure still checks ``migrationState`` is WaitForRetry)."""
        return self in (MigrationState.FAILED, MigrationState.RETRIABLE)


_FINAL = frozenset({MigrationState.SUCCEEDED, MigrationState.FAILED, MigrationState.CANCELED})
_ACTIVE = frozenset(
    {
        MigrationState.CREATING,
        MigrationState.IN_PROGRESS,
        MigrationState.READY_FOR_CUTOVER,
        MigrationState.UPLOADING_FULL_BACKUP,
        MigrationState.UPLOADING_LOG_BACKUP,
        MigrationState.RESTORING,
        MigrationState.RETRIABLE,
    }
)


# --------------------------------------------------------------------------- Azure scope


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    display_name: str
    state: str = "Enabled"
    tenant_id: str | None = None


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    display_name: str = ""
    default_domain: str = ""

    @property
    def label(self) -> str:
        name = self.display_name or self.default_domain
        if name and self.default_domain and self.default_domain != name:
            name = f"{name} ({self.default_domain})"
        return f"{name}  {self.tenant_id}" if name else self.tenant_id


@dataclass(frozen=True)
class ResourceGroup:
    name: str
    location: str
    id: str = ""


@dataclass(frozen=True)
class ProviderState:
    namespace: str
    registration_state: str  # NotRegistered, Registering, Registered, Unregistering

    @property
    def registered(self) -> bool:
        return self.registration_state.lower() == "registered"


# --------------------------------------------------------------------------- DMS instances


@dataclass(frozen=True)
class IntegrationRuntimeNode:
    node_name: str
    status: str = ""
    version: str = ""
    available_memory_mb: int | None = None
    cpu_utilization: int | None = None
    concurrent_jobs_running: int | None = None
    concurrent_jobs_limit: int | None = None
    max_concurrent_jobs: int | None = None
    received_bytes: float | None = None
    sent_bytes: float | None = None


@dataclass(frozen=True)
class IntegrationRuntime:
    name: str
    nodes: tuple[IntegrationRuntimeNode, ...] = ()


@dataclass(frozen=True)
class MigrationService:
    """A ``Microsoft.DataMigration/sqlMigrationServices`` resource."""

    id: str
    name: str
    resource_group: str
    location: str
    provisioning_state: str = ""
    integration_runtime_state: str = ""  # NeedRegistration, Online, Offline, ...
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def ready(self) -> bool:
        return self.provisioning_state.lower() == "succeeded"


@dataclass(frozen=True)
class AuthKeys:
    """Integration-runtime authentication keys. Secrets: never in repr."""

    auth_key1: str = field(repr=False)
    auth_key2: str = field(repr=False)


# --------------------------------------------------------------------------- targets and storage


@dataclass(frozen=True)
class Target:
    """A managed instance, a SQL VM or a logical SQL server a migration can go to."""

    id: str
    name: str
    kind: TargetKind
    resource_group: str
    location: str
    state: str = ""
    fqdn: str = ""
    usable: bool = True
    reason: str = ""  # why it can't be used, in plain words, when not usable
    sku: str = ""
    databases: tuple[str, ...] = ()  # existing database names (clash checks)


@dataclass(frozen=True)
class StorageAccount:
    id: str
    name: str
    resource_group: str
    location: str
    kind: str = ""


# --------------------------------------------------------------------------- migration requests


@dataclass(frozen=True)
class SourceConnection:
    """How DMS reaches the source SQL Server (sent to Azure; password kept from repr)."""

    data_source: str
    authentication: str = "SqlAuthentication"  # SqlAuthentication, WindowsAuthentication
    user_name: str = ""
    password: str = field(default="", repr=False)
    encrypt_connection: bool = True
    trust_server_certificate: bool = False


@dataclass(frozen=True)
class BlobBackupSource:
    storage_account_id: str
    container: str
    folder: str = ""
    auth_type: str = "AccountKey"  # AccountKey or ManagedIdentity
    account_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class ShareBackupSource:
    path: str  # \\server\share\folder
    user_name: str = ""
    password: str = field(default="", repr=False)
    # DMS uploads share backups to this storage account before restoring them
    storage_account_id: str = ""
    account_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class TargetSqlConnection:
    """SQL Database targets: DMS signs in to the logical server with these."""

    data_source: str
    user_name: str
    password: str = field(default="", repr=False)
    authentication: str = "SqlAuthentication"
    encrypt_connection: bool = True
    trust_server_certificate: bool = False


@dataclass(frozen=True)
class MigrationSpec:
    """Everything needed to create one ``databaseMigrations`` resource."""

    kind: TargetKind
    target_id: str  # ARM id of the managed instance / SQL VM / logical server
    target_database: str
    source_database: str
    migration_service_id: str
    source: SourceConnection
    online: bool = True
    blob: BlobBackupSource | None = None
    share: ShareBackupSource | None = None
    last_backup_name: str = ""  # offline: DMS completes after restoring this file
    target_sql: TargetSqlConnection | None = None  # SQL DB only
    tables: tuple[str, ...] = ()  # SQL DB only; empty = all


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class BackupFile:
    name: str
    status: str = ""
    backup_type: str = ""
    total_size: int | None = None
    data_read: int | None = None
    data_written: int | None = None
    copy_throughput: float | None = None
    copy_duration: int | None = None
    family_sequence_number: int | None = None
    first_lsn: str = ""
    last_lsn: str = ""
    # when the backup was taken on the source (its backup set's msdb times); DMS reports
    # no restore time per file: the monitor records when it saw each one restored
    backup_started: datetime | None = None
    backup_finished: datetime | None = None


@dataclass(frozen=True)
class BackupSet:
    backup_set_id: str
    backup_type: str = ""
    first_lsn: str = ""
    last_lsn: str = ""
    backup_start: datetime | None = None
    backup_finish: datetime | None = None
    is_restored: bool = False
    has_checksums: bool | None = None
    files: tuple[BackupFile, ...] = ()
    ignore_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableProgress:
    """SQL Database targets: one table's copy progress (``listOfCopyProgressDetails``)."""

    name: str
    status: str = ""
    rows_read: int = 0
    rows_copied: int = 0
    copied_bytes: int = 0
    throughput: float = 0.0  # KB/s as DMS reports it
    copy_duration: int = 0  # seconds
    parallel_copy_type: str = ""
    used_parallel_copies: int = 0
    copy_start: datetime | None = None

    @property
    def percent(self) -> float:
        if self.rows_read <= 0:
            return 100.0 if self.status.lower() in ("succeeded", "copyfinished") else 0.0
        return min(100.0, 100.0 * self.rows_copied / self.rows_read)


@dataclass(frozen=True)
class MigrationError:
    code: str
    message: str
    hint: str = ""


def _as_state(model: MigrationSummary | MigrationDetail) -> None:
    """Keep ``status`` a ``MigrationState`` whatever built the model (a copy with
    ``dataclasses.replace``, a test) — ``tui.convert`` parses Azure's answers."""
    status: object = model.status
    if not isinstance(status, MigrationState):
        object.__setattr__(model, "status", MigrationState.parse(str(status or "")))


@dataclass(frozen=True)
class MigrationSummary:
    """One row of the monitor: a ``databaseMigrations`` resource without its details."""

    id: str
    name: str
    kind: TargetKind
    status: MigrationState
    provisioning_state: str = ""
    source_database: str = ""
    source_server: str = ""
    target_database: str = ""
    target_id: str = ""
    target_name: str = ""
    migration_service_id: str = ""
    migration_operation_id: str = ""
    online: bool | None = None
    started_on: datetime | None = None
    ended_on: datetime | None = None

    def __post_init__(self) -> None:
        _as_state(self)


@dataclass(frozen=True)
class MigrationDetail:
    """A migration with ``$expand=MigrationStatusDetails``: what the monitor and cutover read."""

    id: str
    name: str
    kind: TargetKind
    status: MigrationState
    source_database: str
    target_database: str
    migration_operation_id: str
    provisioning_state: str = ""
    source_server: str = ""
    target_id: str = ""
    target_name: str = ""
    migration_service_id: str = ""
    online: bool | None = None
    started_on: datetime | None = None
    ended_on: datetime | None = None
    migration_state: str = ""  # migrationStatusDetails.migrationState (free text)
    pending_log_backups: int | None = None
    is_full_backup_restored: bool | None = None
    last_restored_filename: str = ""
    current_restoring_filename: str = ""
    blocking_reason: str = ""
    complete_restore_error: str = ""
    backup_sets: tuple[BackupSet, ...] = ()
    backup_files: tuple[BackupFile, ...] = ()  # every file of every set, in order
    tables: tuple[TableProgress, ...] = ()
    error: MigrationError | None = None
    last_backup_name: str = ""  # offline

    def __post_init__(self) -> None:
        _as_state(self)

    @property
    def restoring_now(self) -> str:
        """The file DMS is restoring now, "" when none: DMS keeps repeating the last restored
        file as ``currentRestoringFilename`` once nothing is restoring."""
        current = self.current_restoring_filename
        return "" if current == self.last_restored_filename else current

    @property
    def summary(self) -> MigrationSummary:
        return MigrationSummary(
            id=self.id,
            name=self.name,
            kind=self.kind,
            status=self.status,
            provisioning_state=self.provisioning_state,
            source_database=self.source_database,
            source_server=self.source_server,
            target_database=self.target_database,
            target_id=self.target_id,
            target_name=self.target_name,
            migration_service_id=self.migration_service_id,
            migration_operation_id=self.migration_operation_id,
            online=self.online,
            started_on=self.started_on,
            ended_on=self.ended_on,
        )


# --------------------------------------------------------------------------- the source server


@dataclass(frozen=True)
class ServerInfo:
    server: str
    version: str = ""  # e.g. 16.0.4135.4
    major_version: int = 0  # 11 = 2012, 13 = 2016, 16 = 2022
    edition: str = ""
    product_level: str = ""
    host_platform: str = ""  # Windows / Linux
    is_sysadmin: bool = False
    server_name: str = ""  # @@SERVERNAME
    login: str = ""  # the login the connection signed in as
    engine_edition: int = 0  # 2 Standard, 3 Enterprise, 4 Express, 5 SQL Database, 8 MI


@dataclass(frozen=True)
class DatabaseFile:
    logical_name: str
    file_type: str  # ROWS, LOG, FILESTREAM, FULLTEXT
    size_mb: float = 0.0
    filegroup: str = ""
    filegroup_type: str = ""  # FG (rows), FD (filestream / memory-optimized), ...
    is_memory_optimized: bool = False
    physical_name: str = ""


@dataclass(frozen=True)
class BackupRecord:
    """One row of msdb backup history (current recovery fork only)."""

    database: str
    backup_type: str  # full, diff, log
    start: datetime | None = None
    finish: datetime | None = None
    first_lsn: str = ""
    last_lsn: str = ""
    database_backup_lsn: str = ""
    has_checksum: bool = False
    is_copy_only: bool = False
    device: str = ""  # file path or URL
    size_bytes: int = 0
    compressed: bool = False
    checkpoint_lsn: str = ""
    differential_base_lsn: str = ""  # diff backups: the checkpoint_lsn of their base full
    position: int = 1  # > 1: appended to a media set that already held other backups
    family_count: int = 1  # > 1: striped over several files / URLs
    devices: tuple[str, ...] = ()  # every stripe's path or URL (``device`` is the first)


@dataclass(frozen=True)
class DatabaseInventory:
    """One database on the source, with what the readiness rules look at."""

    name: str
    database_id: int = 0
    state: str = "ONLINE"
    recovery_model: str = "FULL"
    compatibility_level: int = 0
    data_size_mb: float = 0.0
    log_size_mb: float = 0.0
    is_encrypted: bool = False  # TDE
    containment: str = "NONE"
    is_read_only: bool = False
    user_access: str = "MULTI_USER"
    files: tuple[DatabaseFile, ...] = ()
    has_filetable: bool = False
    last_full: BackupRecord | None = None
    last_diff: BackupRecord | None = None
    last_log: BackupRecord | None = None
    backups: tuple[BackupRecord, ...] = ()
    table_count: int = 0

    @property
    def is_system(self) -> bool:
        return self.name.lower() in (
            "master",
            "model",
            "msdb",
            "tempdb",
            "distribution",
        ) or self.database_id in (1, 2, 3, 4)

    @property
    def size_mb(self) -> float:
        return self.data_size_mb + self.log_size_mb

    @property
    def log_file_count(self) -> int:
        return sum(1 for f in self.files if f.file_type.upper() == "LOG")


class Severity(str, enum.Enum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One readiness finding for one database: what, how bad, and the fix."""

    rule_id: str
    severity: Severity
    database: str
    message: str
    fix: str = ""


@dataclass(frozen=True)
class TableRowCount:
    schema: str
    table: str
    rows: int
    exact: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class BackupResult:
    database: str
    backup_type: str  # log, tail-log, full
    url: str
    statement: str  # the T-SQL that was (or would be) run; carries no secret
    finished: datetime | None = None


@dataclass(frozen=True)
class RowCountComparison:
    """Post-cutover validation: one table, source against target."""

    table: str
    source_rows: int | None
    target_rows: int | None

    @property
    def matches(self) -> bool:
        return self.source_rows is not None and self.source_rows == self.target_rows
