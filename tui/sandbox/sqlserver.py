"""Simulated SQL Servers: the on-premises source and the targets' engines.

A :class:`SimulatedSqlServer` implements :class:`tui.source.base.Source` and returns the same
``tui.models`` dataclasses a real server does. Backups written to a blob URL of a storage
account in the sandbox land in that container (``BlobStore``), where the simulated DMS finds them.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tui.models import (
    BackupRecord,
    BackupResult,
    DatabaseFile,
    DatabaseInventory,
    Finding,
    ServerInfo,
    TableRowCount,
    TargetKind,
)
from tui.source.errors import (
    BACKUP_CODES,
    DATABASE_UNAVAILABLE_CODES,
    SourceError,
    SourceErrorKind,
)

from .clock import to_datetime

if TYPE_CHECKING:
    from tui.logins.models import DatabaseUser, PlanItem, PresentLogin, SourceLogin

    from .logins import SimUser

SYSTEM_DATABASES = ("master", "tempdb", "model", "msdb")


class SqlError(SourceError):
    """What a simulated SQL statement raises: a ``SourceError``, as from a real server.

    ``code`` is the SQL Server error number (also ``native_code``); ``kind`` follows from it
    the way the real source layer classifies it."""

    def __init__(
        self, message: str, *, code: str = "", hint: str = "", kind: SourceErrorKind | None = None
    ):
        native = int(code) if code.isdigit() else None
        if kind is None:
            kind = (
                SourceErrorKind.DATABASE_UNAVAILABLE
                if native in DATABASE_UNAVAILABLE_CODES
                else SourceErrorKind.BACKUP_FAILED
                if native in BACKUP_CODES
                else SourceErrorKind.OTHER
            )
        super().__init__(message, native_code=native, hint=hint, kind=kind, detail=message)
        if native is None:
            self.code = code


def unreachable(address: str, port: int | None = 1433) -> SourceError:
    """The error a real SQL Server driver gives for a server name nothing answers to."""
    from types import SimpleNamespace

    from tui.source.errors import from_odbc_error

    host = address.strip()
    where = host if "\\" in host or "," in host or not port else f"{host},{port}"
    driver = "[Microsoft][ODBC Driver 18 for SQL Server]"
    text = (
        f"[08001] {driver}TCP Provider: Error code 0x2AF9 (11001) (SQLDriverConnect); "
        f"[08001] {driver}A network-related or instance-specific error has occurred while "
        f"establishing a connection to {host}. Server is not found or not accessible. Check "
        "if instance name is correct and if SQL Server is configured to allow remote "
        "connections. For more information see SQL Server Books Online. (11001)"
    )
    settings = SimpleNamespace(
        address=where, login_timeout=15, user="", password=None, authentication="sql"
    )
    return from_odbc_error(_DriverError("08001", text), settings=settings, connecting=True)


class _DriverError(Exception):
    """Shaped like ``pyodbc.Error``: ``args`` = (SQLSTATE, message)."""


@dataclass
class SimTable:
    schema: str
    name: str
    rows: int
    row_bytes: int = 200  # average stored bytes per row

    @property
    def full_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def data_bytes(self) -> int:
        return self.rows * self.row_bytes


@dataclass
class SimDatabase:
    name: str
    database_id: int
    recovery_model: str = "FULL"
    state: str = "ONLINE"
    compatibility_level: int = 150
    data_size_mb: float = 0.0
    log_size_mb: float = 0.0
    is_encrypted: bool = False
    files: tuple[DatabaseFile, ...] = ()
    has_filetable: bool = False
    is_read_only: bool = False
    table_count: int = 0
    log_rate_bytes: int = 0  # log generated per second by the workload (sizes log backups)
    _table_factory: Callable[[], list[SimTable]] | None = field(default=None, repr=False)
    _tables: list[SimTable] | None = field(default=None, repr=False)
    backups: list[BackupRecord] = field(default_factory=list)
    lsn: int = 0  # current end of log
    log_chain_lsn: int | None = None  # where the next log backup starts (last log backup's end)
    chain_gap: bool = False  # the next log backup finds an earlier one missing from its folder
    stray_backups: list[BackupRecord] = field(default_factory=list)
    users: list[SimUser] = field(default_factory=list)  # database users (sys.database_principals)

    @property
    def tables(self) -> list[SimTable]:
        """Generated on first use (the large catalogues are never built unless asked for)."""
        if self._tables is None:
            self._tables = self._table_factory() if self._table_factory else []
            self.table_count = len(self._tables)
        return self._tables

    def set_tables(self, tables: list[SimTable]) -> None:
        self._tables = list(tables)
        self._table_factory = None
        self.table_count = len(self._tables)

    @property
    def is_system(self) -> bool:
        return self.name.lower() in SYSTEM_DATABASES

    # ------------------------------------------------------------------ backup history (msdb)

    def last_full(self) -> BackupRecord | None:
        fulls = [b for b in self.backups if b.backup_type == "full"]
        return fulls[-1] if fulls else None

    def record_full(
        self, url: str, finish: float, *, duration: float, checksum: bool = True
    ) -> BackupRecord:
        first = self.lsn
        self.lsn += 2_000_000
        if self.log_chain_lsn is None:
            self.log_chain_lsn = first  # the log chain starts with the first full backup
        rec = BackupRecord(
            database=self.name,
            backup_type="full",
            start=to_datetime(finish - duration),
            finish=to_datetime(finish),
            first_lsn=lsn_text(first),
            last_lsn=lsn_text(self.lsn),
            database_backup_lsn=lsn_text(first),
            has_checksum=checksum,
            device=url,
            size_bytes=int(self.data_size_mb * 1024 * 1024 * 0.42),
            compressed=True,
        )
        self.backups.append(rec)
        return rec

    def record_diff(self, url: str, finish: float, *, duration: float) -> BackupRecord:
        base = self.last_full()
        first = self.lsn
        self.lsn += 500_000
        rec = BackupRecord(
            database=self.name,
            backup_type="diff",
            start=to_datetime(finish - duration),
            finish=to_datetime(finish),
            first_lsn=lsn_text(first),
            last_lsn=lsn_text(self.lsn),
            database_backup_lsn=base.first_lsn if base else lsn_text(first),
            has_checksum=True,
            device=url,
            size_bytes=int(self.data_size_mb * 1024 * 1024 * 0.06),
            compressed=True,
        )
        self.backups.append(rec)
        return rec

    def record_log(
        self,
        url: str,
        finish: float,
        *,
        log_bytes: int,
        checksum: bool = True,
        position: int = 1,
    ) -> BackupRecord:
        """A log backup continues the log chain: it starts where the previous one ended.
        ``position`` > 1: appended (NOINIT) to a file that already holds backups."""
        base = self.last_full()
        first = self.log_chain_lsn if self.log_chain_lsn is not None else self.lsn
        self.lsn += max(1000, log_bytes // 8192)
        self.log_chain_lsn = self.lsn
        duration = max(1.0, log_bytes / (80 * 1024 * 1024))
        rec = BackupRecord(
            database=self.name,
            backup_type="log",
            start=to_datetime(finish - duration),
            finish=to_datetime(finish),
            first_lsn=lsn_text(first),
            last_lsn=lsn_text(self.lsn),
            database_backup_lsn=base.first_lsn if base else "",
            has_checksum=checksum,
            device=url,
            size_bytes=int(log_bytes * 0.4),
            compressed=True,
            position=position,
        )
        self.backups.append(rec)
        return rec


class SimulatedSqlServer:
    """One SQL Server engine (source or target). All state is guarded by the sandbox lock."""

    def __init__(
        self,
        address: str,
        info: ServerInfo,
        lock: threading.RLock,
        now: Callable[[], float],
        on_backup: Callable[[str, BackupRecord], None] | None = None,
    ):
        self.address = address
        self.info = info
        self._lock = lock
        self._now = now
        self._on_backup = on_backup
        self._dbs: dict[str, SimDatabase] = {}
        self.aliases: set[str] = {address.lower()}
        self.closed = False
        # called after each change (a backup, a login created, a user mapped) with what a
        # replay needs to make it again (tui.sandbox.journal)
        self.on_change: Callable[..., None] | None = None
        # master's certificates by thumbprint (tui.sandbox.tde.SimCertificate), and which one
        # protects each encrypted database's key (database name, lower-case -> thumbprint)
        self.certificates: dict[str, Any] = {}
        self.encryptors: dict[str, str] = {}
        from .logins import LoginStore

        self.login_store = LoginStore(lock, managed_instance=False)

    # ------------------------------------------------------------------ logins (LoginEndpoint)

    def read_logins(self) -> list[SourceLogin]:
        return self.login_store.read()

    def present_logins(self) -> list[PresentLogin]:
        return self.login_store.present()

    def create_login(self, item: PlanItem) -> list[str]:
        with self._lock:
            problems = self.login_store.create(item, set(self._dbs))
            # the login by name and SID (a replay reads it from the server it came from
            # again): its password hash is never recorded
            self._changed(
                "create_login",
                login=item.login.name,
                sid=item.login.sid.hex(),
                target_name=item.target_name,
                default_database=item.default_database,
                external=item.external,
            )
            return problems

    def orphaned_users(self, database: str) -> list[DatabaseUser]:
        from .logins import orphaned

        db = self._db(database)
        return orphaned(db.users, self.login_store, db.name)

    def map_user(self, database: str, user: str, login: str) -> None:
        with self._lock:
            db = self._db(database)
            found = self.login_store.find(login)
            if found is None:
                raise SqlError(
                    f"'{login}' is not a valid login or you do not have permission.", code="15007"
                )
            for u in db.users:
                if u.name.lower() == user.lower():
                    u.sid = found.sid
                    self._changed("map_user", database=db.name, user=user, login=login)
                    return
            raise SqlError(
                f"Cannot alter the user '{user}', because it does not exist or you do not "
                "have permission.",
                code="15151",
            )

    # ------------------------------------------------------------------ catalogue

    def add(self, db: SimDatabase) -> SimDatabase:
        with self._lock:
            self._dbs[db.name.lower()] = db
        return db

    def get(self, name: str) -> SimDatabase | None:
        with self._lock:
            return self._dbs.get(name.lower())

    def drop(self, name: str) -> None:
        with self._lock:
            self._dbs.pop(name.lower(), None)

    def names(self) -> list[str]:
        with self._lock:
            return [d.name for d in self._dbs.values()]

    def next_database_id(self) -> int:
        with self._lock:
            return max([d.database_id for d in self._dbs.values()] + [4]) + 1

    def _db(self, name: str) -> SimDatabase:
        db = self.get(name)
        if db is None:
            raise SqlError(
                f"Database '{name}' does not exist. Make sure that the name is entered correctly.",
                code="911",
            )
        return db

    # ------------------------------------------------------------------ Source protocol

    def server_info(self) -> ServerInfo:
        self.closed = False
        return self.info

    def databases(self) -> list[DatabaseInventory]:
        with self._lock:
            return [
                self._inventory(d) for d in sorted(self._dbs.values(), key=lambda d: d.database_id)
            ]

    def _inventory(self, d: SimDatabase) -> DatabaseInventory:
        def last(kind: str) -> BackupRecord | None:
            found = [b for b in d.backups if b.backup_type == kind]
            return found[-1] if found else None

        return DatabaseInventory(
            name=d.name,
            database_id=d.database_id,
            state=d.state,
            recovery_model=d.recovery_model,
            compatibility_level=d.compatibility_level,
            data_size_mb=d.data_size_mb,
            log_size_mb=d.log_size_mb,
            is_encrypted=d.is_encrypted,
            is_read_only=d.is_read_only,
            files=d.files,
            has_filetable=d.has_filetable,
            last_full=last("full"),
            last_diff=last("diff"),
            last_log=last("log"),
            backups=tuple(d.backups),
            table_count=d.table_count,
        )

    def assess(
        self, database: DatabaseInventory, target: TargetKind, *, online: bool = True
    ) -> list[Finding]:
        from tui.source.rules import assess  # the readiness rules shared with the real source

        return assess(self.info, database, target, online=online)

    def row_counts(self, database: str, exact_tables: Sequence[str] = ()) -> list[TableRowCount]:
        with self._lock:
            db = self._db(database)
            if db.state == "OFFLINE":
                raise SqlError(
                    f"Database '{db.name}' cannot be opened because it is offline.", code="942"
                )
            if db.state != "ONLINE":
                raise SqlError(
                    f"Database '{db.name}' cannot be opened. It is in the middle of a restore.",
                    code="927",
                    hint="A tail-log backup (WITH NORECOVERY) leaves the database "
                    "RESTORING: count its rows before taking the tail-log backup.",
                )
            exact = {t.lower().replace("[", "").replace("]", "") for t in exact_tables}
            return [
                TableRowCount(t.schema, t.name, t.rows, exact=t.full_name.lower() in exact)
                for t in db.tables
            ]

    def backup_log(self, database: str, url: str, *, tail: bool = False) -> BackupResult:
        with self._lock:
            db = self._db(database)
            rec = self._log_backup(db, url, tail=tail)
            self._changed("backup", type="log", database=db.name, url=url, tail=tail)
        from tui.log_backup import statement as backup_statement  # the same T-SQL as real

        statement = backup_statement(db.name, url, tail=tail)
        return BackupResult(
            database=db.name,
            backup_type="tail-log" if tail else "log",
            url=url,
            statement=statement,
            finished=rec.finish,
        )

    def close(self) -> None:
        self.closed = True

    # ------------------------------------------------------------------ backups

    def backup_full(self, database: str, url: str, *, duration: float = 0.0) -> BackupRecord:
        with self._lock:
            db = self._db(database)
            self._check_online(db, "BACKUP DATABASE")
            rec = db.record_full(url, self._now(), duration=duration)
            self._changed("backup", type="full", database=db.name, url=url, duration=duration)
        if self._on_backup:
            self._on_backup(self.address, rec)
        return rec

    def backup_diff(self, database: str, url: str, *, duration: float = 0.0) -> BackupRecord:
        with self._lock:
            db = self._db(database)
            self._check_online(db, "BACKUP DATABASE ... WITH DIFFERENTIAL")
            if db.last_full() is None:
                raise SqlError(
                    f'Cannot perform a differential backup for database "{db.name}", because a '
                    "current database backup does not exist.",
                    code="3035",
                )
            rec = db.record_diff(url, self._now(), duration=duration)
            self._changed("backup", type="diff", database=db.name, url=url, duration=duration)
        if self._on_backup:
            self._on_backup(self.address, rec)
        return rec

    def _changed(self, kind: str, **fields) -> None:
        if self.on_change is not None:
            self.on_change(kind, server=self.address, **fields)

    def _check_online(self, db: SimDatabase, statement: str) -> None:
        if db.state != "ONLINE":
            raise SqlError(
                f"Database '{db.name}' is in the {db.state} state; {statement} cannot run.",
                code="3101",
            )

    def _log_backup(self, db: SimDatabase, url: str, *, tail: bool) -> BackupRecord:
        self._check_online(db, "BACKUP LOG")
        if db.recovery_model == "SIMPLE":
            raise SqlError(
                "The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. "
                "Use BACKUP DATABASE or change the recovery model using ALTER DATABASE.",
                code="4208",
            )
        if db.last_full() is None:
            raise SqlError(
                "BACKUP LOG cannot be performed because there is no current database backup.",
                code="4214",
            )
        now = self._now()
        prev = db.backups[-1]
        since = (now - prev.finish.timestamp()) if prev.finish else 900.0
        log_bytes = max(64 * 1024, int(db.log_rate_bytes * max(since, 1.0)))
        if db.chain_gap:
            # a log backup went to another location first: the folder will miss that range
            stray = db.record_log(
                f"D:\\MSSQL\\Backup\\{db.name}_maint_{len(db.backups)}.trn",
                now - 2,
                log_bytes=log_bytes // 2,
            )
            db.stray_backups.append(stray)
            db.chain_gap = False
        rec = db.record_log(url, now, log_bytes=log_bytes)
        if tail:
            db.state = "RESTORING"
        if self._on_backup:
            self._on_backup(self.address, rec)
        return rec


def lsn_text(n: int) -> str:
    """LSNs as msdb shows them: a decimal numeric(25,0)."""
    return str(n)


# ---------------------------------------------------------------------- catalogue generation

_OLTP_TABLES = [
    ("Sales", "Customer", 184_233, 310),
    ("Sales", "CustomerAddress", 201_880, 180),
    ("Sales", "SalesOrderHeader", 1_248_511, 260),
    ("Sales", "SalesOrderDetail", 5_612_044, 120),
    ("Sales", "SalesTerritory", 10, 150),
    ("Sales", "SpecialOffer", 16, 200),
    ("Sales", "ShoppingCartItem", 3_128, 90),
    ("Sales", "CurrencyRate", 13_532, 60),
    ("Production", "Product", 504, 420),
    ("Production", "ProductCategory", 4, 80),
    ("Production", "ProductSubcategory", 37, 90),
    ("Production", "ProductInventory", 1_069, 70),
    ("Production", "TransactionHistory", 2_113_443, 90),
    ("Production", "WorkOrder", 72_591, 110),
    ("Purchasing", "Vendor", 104, 240),
    ("Purchasing", "PurchaseOrderHeader", 4_012, 150),
    ("Purchasing", "PurchaseOrderDetail", 8_845, 110),
    ("Person", "Person", 199_972, 520),
    ("Person", "EmailAddress", 199_972, 130),
    ("Person", "PhoneNumber", 197_015, 80),
    ("dbo", "AuditLog", 3_904_117, 350),
    ("dbo", "ErrorLog", 0, 600),
    ("dbo", "DatabaseLog", 1_597, 2_400),
    ("dbo", "AppSettings", 48, 300),
]


def oltp_tables(rng: random.Random, scale: float = 1.0) -> list[SimTable]:
    out = []
    for schema, name, rows, width in _OLTP_TABLES:
        jitter = 1.0 if rows < 100 else rng.uniform(0.9, 1.1)
        out.append(SimTable(schema, name, int(rows * scale * jitter), width))
    return out


def many_tables_factory(seed: int, count: int) -> Callable[[], list[SimTable]]:
    """A catalogue of ``count`` tables, built only when first asked for."""

    def build() -> list[SimTable]:
        rng = random.Random(seed * 7919 + count)
        areas = [
            "Item",
            "Stock",
            "Bin",
            "Lot",
            "Move",
            "Count",
            "Price",
            "Supplier",
            "Label",
            "Audit",
        ]
        tables = []
        for i in range(count):
            r = rng.random()
            if r < 0.18:
                rows = 0
            elif r < 0.85:
                rows = rng.randint(1, 2_000)
            elif r < 0.99:
                rows = rng.randint(2_000, 150_000)
            else:
                rows = rng.randint(150_000, 2_500_000)
            tables.append(
                SimTable("inv", f"{areas[i % len(areas)]}_{i:05d}", rows, rng.randint(60, 400))
            )
        return tables

    return build


def data_files(
    name: str, data_mb: float, log_mb: float, *, extra_log: bool = False, filestream: bool = False
) -> tuple[DatabaseFile, ...]:
    files = [
        DatabaseFile(
            name, "ROWS", data_mb, "PRIMARY", "FG", physical_name=f"D:\\MSSQL\\Data\\{name}.mdf"
        ),
        DatabaseFile(f"{name}_log", "LOG", log_mb, physical_name=f"L:\\MSSQL\\Log\\{name}_log.ldf"),
    ]
    if extra_log:
        files.append(
            DatabaseFile(
                f"{name}_log2", "LOG", log_mb / 2, physical_name=f"L:\\MSSQL\\Log\\{name}_log2.ldf"
            )
        )
    if filestream:
        files.append(
            DatabaseFile(
                f"{name}_fs",
                "FILESTREAM",
                512.0,
                "FSGroup",
                "FD",
                physical_name=f"D:\\MSSQL\\Data\\{name}_fs",
            )
        )
    return tuple(files)


def copy_for_target(
    src: SimDatabase, name: str, database_id: int, tables: list[SimTable] | None = None
) -> SimDatabase:
    """The database as it exists on a target after migration: same tables and row counts."""
    copied = SimDatabase(
        name=name,
        database_id=database_id,
        recovery_model="FULL",
        state="ONLINE",
        compatibility_level=src.compatibility_level,
        data_size_mb=src.data_size_mb,
        log_size_mb=src.log_size_mb,
        is_encrypted=src.is_encrypted,
        files=src.files,
    )
    copied.set_tables([replace(t) for t in (tables if tables is not None else src.tables)])
    copied.users = [replace(u) for u in src.users]  # users keep their SIDs across a restore
    return copied
