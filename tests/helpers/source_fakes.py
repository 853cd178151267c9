"""A stand-in for pyodbc and a SQL Server behind it, for the source-layer tests.

``FakeOdbc`` looks like the pyodbc module (``drivers()``, ``connect()``, ``Error``);
``FakeSqlServer`` answers the app's queries (recognised by their ``-- dms-tui:<name>`` tag)
with result sets shaped as SQL Server returns them through pyodbc: the same column names,
bit as bool, numeric as Decimal, datetime as datetime, NULL as None, tinyint/int as int,
and the version differences of 2008/2012/2016/2022 (no containment or FileTable before
2012, no memory-optimized filegroups before 2014). A BACKUP answers with message-only
results and, when told to fail, raises only when the results are drained, as pyodbc does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tui.models import BackupRecord, DatabaseFile, DatabaseInventory

VERSIONS = {
    2008: ("10.50.6000.34", "SP3", "Standard Edition (64-bit)", 2),
    2012: ("11.0.7507.2", "SP4", "Enterprise Edition (64-bit)", 3),
    2016: ("13.0.6300.2", "SP3", "Standard Edition (64-bit)", 2),
    2022: ("16.0.4135.4", "RTM", "Developer Edition (64-bit)", 3),
}


class FakeError(Exception):
    """pyodbc.Error: ``args == (sqlstate, message)``."""


def odbc_error(
    sqlstate: str,
    text: str,
    native: int,
    *,
    call: str = "SQLExecDirectW",
    driver: str = "ODBC Driver 18 for SQL Server",
) -> FakeError:
    return FakeError(
        sqlstate, f"[{sqlstate}] [Microsoft][{driver}][SQL Server]{text} ({native}) ({call})"
    )


@dataclass
class Result:
    columns: list[tuple[str, type]]
    rows: list[tuple]

    @property
    def description(self):
        return [(name, typ, None, None, None, None, True) for name, typ in self.columns]


class NoResult:
    """A message or row-count result: no description."""


class FakeCursor:
    def __init__(self, conn: FakeConnection):
        self.conn = conn
        self._results: list[Any] = []
        self._pos = 0
        self.closed = False

    @property
    def description(self):
        if self._pos < len(self._results) and isinstance(self._results[self._pos], Result):
            return self._results[self._pos].description
        return None

    def execute(self, sql: str, *params):
        self.conn.executed.append(sql)
        self.conn.timeouts.append(self.conn.timeout)
        self._results = self.conn.server.answer(sql, self.conn)
        self._pos = 0
        first = self._results[0] if self._results else NoResult()
        if isinstance(first, Exception):
            raise first
        return self

    def fetchall(self):
        cur = self._results[self._pos] if self._pos < len(self._results) else None
        if not isinstance(cur, Result):
            raise FakeError("HY000", "[HY000] No results.  Previous SQL was not a query.")
        return list(cur.rows)

    def nextset(self) -> bool:
        self.conn.nextset_calls += 1
        self._pos += 1
        if self._pos >= len(self._results):
            return False
        item = self._results[self._pos]
        if isinstance(item, Exception):
            raise item
        return True

    def close(self):
        self.closed = True


class FakeConnection:
    def __init__(self, server: FakeSqlServer, conn_str: str, autocommit: bool, attrs):
        self.server = server
        self.conn_str = conn_str
        self.autocommit = autocommit
        self.attrs_before = attrs
        self.timeout = 0
        self.executed: list[str] = []
        self.timeouts: list[int] = []
        self.nextset_calls = 0
        self.closed = False

    def cursor(self):
        if self.closed:
            raise FakeError("08003", "[08003] Attempt to use a closed connection.")
        return FakeCursor(self)

    def close(self):
        self.closed = True


class FakeOdbc:
    """Module-like stand-in for pyodbc."""

    Error = FakeError

    def __init__(
        self,
        server: FakeSqlServer | None = None,
        drivers: tuple[str, ...] = ("ODBC Driver 18 for SQL Server",),
        connect_error: Exception | None = None,
    ):
        self.server = server or FakeSqlServer()
        self._drivers = list(drivers)
        self.connect_error = connect_error
        self.connections: list[FakeConnection] = []
        self.connect_calls: list[dict] = []

    def drivers(self):
        return list(self._drivers)

    def connect(
        self, conn_str: str, autocommit: bool = False, timeout: int = 0, attrs_before=None, **kw
    ):
        self.connect_calls.append(
            dict(
                conn_str=conn_str, autocommit=autocommit, timeout=timeout, attrs_before=attrs_before
            )
        )
        if self.connect_error is not None:
            raise self.connect_error
        conn = FakeConnection(self.server, conn_str, autocommit, attrs_before)
        self.connections.append(conn)
        return conn


# --------------------------------------------------------------------------- the server


@dataclass
class FakeSqlServer:
    year: int = 2022
    databases: list[DatabaseInventory] = field(default_factory=list)
    tables: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    exact_rows: dict[tuple[str, str, str], int] = field(default_factory=dict)
    is_sysadmin: bool = True
    linux: bool = False
    edition: str | None = None
    engine_edition: int | None = None
    deny_view_database_state: bool = False
    backup_error: Exception | None = None
    backup_messages: int = 3
    unreadable: set[str] = field(default_factory=set)

    @property
    def version(self) -> str:
        return VERSIONS[self.year][0]

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def answer(self, sql: str, conn: FakeConnection) -> list[Any]:
        tag = re.search(r"-- dms-tui:(\w+)", sql)
        if sql.lstrip().upper().startswith("BACKUP"):
            return self._backup(sql, conn)
        if tag is None:
            raise AssertionError(f"unexpected statement: {sql[:80]}")
        return getattr(self, "_q_" + tag.group(1))(sql)

    # ------------------------------------------------------------------ queries

    def _q_server_info(self, sql: str):
        version, level, edition, engine = VERSIONS[self.year]
        platform = "Linux" if self.linux and self.major >= 14 else "Windows"
        return [
            Result(
                [
                    ("product_version", str),
                    ("product_level", str),
                    ("edition", str),
                    ("engine_edition", int),
                    ("server_name", str),
                    ("machine_name", str),
                    ("host_platform", str),
                    ("is_sysadmin", int),
                    ("login_name", str),
                ],
                [
                    (
                        version,
                        level,
                        self.edition or edition,
                        self.engine_edition or engine,
                        "SQLPROD01",
                        "SQLPROD01",
                        platform,
                        1 if self.is_sysadmin else 0,
                        "dba",
                    )
                ],
            )
        ]

    def _fg_ids(self, db: DatabaseInventory) -> dict[str, tuple[int, str]]:
        ids: dict[str, tuple[int, str]] = {}
        for f in db.files:
            if f.file_type == "LOG":
                continue
            name = f.filegroup or ("PRIMARY" if f.file_type == "ROWS" else f"{f.logical_name}_fg")
            if name not in ids:
                if f.is_memory_optimized or f.filegroup_type == "FX":
                    if self.major < 12:
                        raise AssertionError("no memory-optimized filegroups before 2014")
                    kind = "FX"
                else:
                    kind = "FD" if f.file_type == "FILESTREAM" else "FG"
                ids[name] = (len(ids) + 1, kind)
        return ids

    def _q_databases(self, sql: str):
        assert "COL_LENGTH('sys.databases', 'containment_desc')" in sql
        assert "COL_LENGTH('sys.tables', 'is_filetable')" in sql
        dbs, files, fgs, tabs = [], [], [], []
        for d in sorted(self.databases, key=lambda d: d.name):
            containment = d.containment if self.major >= 11 else "NONE"
            dbs.append(
                (
                    d.database_id,
                    d.name,
                    d.state,
                    d.recovery_model,
                    d.compatibility_level,
                    d.is_read_only,
                    d.user_access,
                    d.is_encrypted,
                    containment,
                    float(d.data_size_mb),
                    float(d.log_size_mb),
                )
            )
            ids = self._fg_ids(d)
            for i, f in enumerate(d.files, start=1):
                name = f.filegroup or (
                    "PRIMARY" if f.file_type == "ROWS" else f"{f.logical_name}_fg"
                )
                space = 0 if f.file_type == "LOG" else ids[name][0]
                files.append(
                    (
                        d.database_id,
                        i,
                        f.logical_name,
                        f.file_type,
                        f.physical_name or f"D:\\data\\{f.logical_name}",
                        float(f.size_mb),
                        space,
                    )
                )
            if d.state == "ONLINE" and d.name not in self.unreadable:
                for name, (space, kind) in ids.items():
                    fgs.append((d.database_id, space, name, kind))
                filetables = 1 if d.has_filetable and self.major >= 11 else 0
                tabs.append((d.database_id, d.table_count, filetables))
        files.sort(key=lambda r: (r[0], r[1]))
        fgs.sort(key=lambda r: (r[0], r[1]))
        tabs.sort()
        return [
            Result(
                [
                    ("database_id", int),
                    ("name", str),
                    ("state_desc", str),
                    ("recovery_model_desc", str),
                    ("compatibility_level", int),
                    ("is_read_only", bool),
                    ("user_access_desc", str),
                    ("is_encrypted", bool),
                    ("containment_desc", str),
                    ("data_size_mb", float),
                    ("log_size_mb", float),
                ],
                dbs,
            ),
            Result(
                [
                    ("database_id", int),
                    ("file_id", int),
                    ("logical_name", str),
                    ("type_desc", str),
                    ("physical_name", str),
                    ("size_mb", float),
                    ("data_space_id", int),
                ],
                files,
            ),
            Result(
                [
                    ("database_id", int),
                    ("data_space_id", int),
                    ("filegroup_name", str),
                    ("filegroup_type", str),
                ],
                fgs,
            ),
            Result([("database_id", int), ("table_count", int), ("filetable_count", int)], tabs),
        ]

    def _q_backup_history(self, sql: str):
        rows = []
        set_id = 1000
        for d in sorted(self.databases, key=lambda d: d.name):
            records = list(d.backups) or [b for b in (d.last_full, d.last_diff, d.last_log) if b]
            for b in records:
                set_id += 1
                devices = b.devices or ((b.device,) if b.device else ("",))
                for seq, device in enumerate(devices, start=1):
                    rows.append(_backup_row(set_id, d.name, b, device, seq, len(devices)))
        rows.sort(key=lambda r: (r[1], r[4], r[0], r[17]))
        return [Result(BACKUP_COLUMNS, rows)]

    def _db_of(self, sql: str) -> str:
        m = re.match(r"EXEC \[((?:[^\]]|\]\])+)\]\.sys\.sp_executesql", sql)
        assert m, sql[:80]
        return m.group(1).replace("]]", "]")

    def _q_row_counts(self, sql: str):
        if self.deny_view_database_state:
            return [
                odbc_error(
                    "42000",
                    f"VIEW DATABASE STATE permission denied in database '{self._db_of(sql)}'.",
                    300,
                )
            ]
        return self._counts(sql)

    def _q_row_counts_metadata(self, sql: str):
        return self._counts(sql)

    def _counts(self, sql: str):
        db = self._db_of(sql)
        if not any(d.name == db for d in self.databases):
            return [
                odbc_error(
                    "08004",
                    f"Database '{db}' does not exist. Make sure that the "
                    "name is entered correctly.",
                    911,
                )
            ]
        rows = sorted((s, t, n) for s, t, n in self.tables.get(db, []))
        return [Result([("schema_name", str), ("table_name", str), ("row_count", int)], rows)]

    def _q_exact_counts(self, sql: str):
        db = self._db_of(sql)
        inner = sql.split("sp_executesql N'", 1)[1].rsplit("';", 1)[0].replace("''", "'")
        rows = []
        for m in re.finditer(
            r"SELECT N'((?:[^']|'')*)' AS schema_name, N'((?:[^']|'')*)' "
            r"AS table_name, COUNT_BIG\(\*\) AS row_count FROM \[",
            inner,
        ):
            schema, table = m.group(1).replace("''", "'"), m.group(2).replace("''", "'")
            listed = {(s, t): n for s, t, n in self.tables.get(db, [])}
            rows.append(
                (schema, table, self.exact_rows.get((db, schema, table), listed[(schema, table)]))
            )
        return [Result([("schema_name", str), ("table_name", str), ("row_count", int)], rows)]

    def _backup(self, sql: str, conn: FakeConnection):
        results: list[Any] = [NoResult() for _ in range(self.backup_messages)]
        if self.backup_error is not None:
            results.append(self.backup_error)
        return results


BACKUP_COLUMNS = [
    ("backup_set_id", int),
    ("database_name", str),
    ("type", str),
    ("backup_start_date", datetime),
    ("backup_finish_date", datetime),
    ("first_lsn", Decimal),
    ("last_lsn", Decimal),
    ("checkpoint_lsn", Decimal),
    ("database_backup_lsn", Decimal),
    ("differential_base_lsn", Decimal),
    ("has_backup_checksums", bool),
    ("is_copy_only", bool),
    ("backup_size", Decimal),
    ("compressed_backup_size", Decimal),
    ("position", int),
    ("physical_device_name", str),
    ("device_type", int),
    ("family_sequence_number", int),
    ("media_family_count", int),
]

_TYPE = {"full": "D", "diff": "I", "log": "L"}


def _dec(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def _backup_row(set_id: int, db: str, b: BackupRecord, device: str, seq: int, count: int):
    start = b.start or (b.finish - timedelta(minutes=1) if b.finish else None)
    compressed = Decimal(b.size_bytes // 3 if b.compressed else b.size_bytes)
    return (
        set_id,
        db,
        _TYPE[b.backup_type],
        start,
        b.finish,
        _dec(b.first_lsn),
        _dec(b.last_lsn),
        _dec(b.checkpoint_lsn or b.first_lsn),
        _dec(b.database_backup_lsn) or Decimal(0),
        _dec(b.differential_base_lsn) if b.backup_type == "diff" else None,
        b.has_checksum,
        b.is_copy_only,
        Decimal(b.size_bytes),
        compressed,
        b.position,
        device,
        9 if device.startswith("https://") else 2,
        seq,
        max(count, b.family_count),
    )


# --------------------------------------------------------------------------- inventories


T0 = datetime(2026, 11, 20, 22, 0, 0)
URL = "https://acct.blob.core.windows.net/migrations"


def backup(
    db: str,
    kind: str,
    minutes: int,
    first: int,
    last: int,
    *,
    checksum: bool = True,
    copy_only: bool = False,
    device: str | None = None,
    position: int = 1,
    stripes: int = 1,
    diff_base: str = "",
) -> BackupRecord:
    ext = {"full": "bak", "diff": "dif", "log": "trn"}[kind]
    dev = device if device is not None else f"{URL}/{db}/{db}_{kind}_{minutes}.{ext}"
    devices = tuple(f"{dev}.{i}" for i in range(1, stripes + 1)) if stripes > 1 else (dev,)
    return BackupRecord(
        database=db,
        backup_type=kind,
        start=T0 + timedelta(minutes=minutes - 1),
        finish=T0 + timedelta(minutes=minutes),
        first_lsn=str(first),
        last_lsn=str(last),
        checkpoint_lsn=str(first),
        database_backup_lsn="0",
        has_checksum=checksum,
        is_copy_only=copy_only,
        device=devices[0],
        size_bytes=1_000_000,
        compressed=True,
        differential_base_lsn=diff_base,
        position=position,
        family_count=stripes,
        devices=devices,
    )


def db(
    name: str,
    database_id: int,
    *,
    files: tuple[DatabaseFile, ...] | None = None,
    history: tuple[BackupRecord, ...] | None = None,
    **kw,
) -> DatabaseInventory:
    """A database with a full and a later log backup, one data and one log file, unless told."""
    if files is None:
        files = (
            DatabaseFile(
                name, "ROWS", 1024.0, "PRIMARY", "FG", physical_name=f"D:\\data\\{name}.mdf"
            ),
            DatabaseFile(f"{name}_log", "LOG", 256.0, physical_name=f"L:\\log\\{name}_log.ldf"),
        )
    if history is None:
        history = (
            backup(name, "full", 0, 40_000_000_000_100, 40_000_000_000_900),
            backup(name, "log", 15, 40_000_000_000_100, 40_000_000_001_500),
        )
    full = [b for b in history if b.backup_type == "full"]
    diff = [b for b in history if b.backup_type == "diff"]
    log = [b for b in history if b.backup_type == "log"]
    data = sum(f.size_mb for f in files if f.file_type != "LOG")
    logs = sum(f.size_mb for f in files if f.file_type == "LOG")
    kw.setdefault("data_size_mb", data)
    kw.setdefault("log_size_mb", logs)
    kw.setdefault("compatibility_level", 130)
    return DatabaseInventory(
        name=name,
        database_id=database_id,
        files=files,
        last_full=full[-1] if full else None,
        last_diff=diff[-1] if diff else None,
        last_log=log[-1] if log else None,
        backups=history,
        **kw,
    )
