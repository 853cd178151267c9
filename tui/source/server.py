"""``SqlServerSource``: a real SQL Server (or a managed instance, for row counts) over pyodbc.

It implements ``tui.source.base.Source``. One connection, opened on first use and kept;
every method blocks (call them from a worker) and raises only ``SourceError``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tui.models import (
    BackupResult,
    DatabaseInventory,
    Finding,
    ServerInfo,
    TableRowCount,
    TargetKind,
)
from tui.source import deadline, inventory, rules, tsql
from tui.source.connect import (
    ConnectionSettings,
    close_quietly,
    open_connection,
    settings_from_connection_string,
)
from tui.source.errors import SourceError, SourceErrorKind, from_odbc_error

log = logging.getLogger(__name__)

EXPRESS_EDITION = 4  # SERVERPROPERTY('EngineEdition'): Express cannot compress backups


class SqlServerSource:
    """A SQL Server reached from this machine.

    ``authentication`` is ``'sql'`` (``user`` + ``password``), ``'windows'`` (Kerberos ticket
    of the current user) or ``'entra'`` (token from ``credential``, DefaultAzureCredential
    when not given). ``server`` may be ``host``, ``host\\instance`` (port then found by the SQL
    Server Browser) or an IP address. ``database`` picks the database to sign in to (Azure
    SQL Database targets need it).
    """

    def __init__(
        self,
        server: str,
        port: int | None = 1433,
        *,
        authentication: str = "sql",
        user: str | None = None,
        password: str | None = None,
        encrypt: bool = True,
        trust_server_certificate: bool = False,
        driver: str | None = None,
        login_timeout: int = 15,
        query_timeout: int = 120,
        backup_timeout: int = 0,
        count_timeout: int = 0,
        database: str | None = None,
        credential: Any | None = None,
        _pyodbc: Any | None = None,
    ):
        self._settings = ConnectionSettings(
            server=server,
            port=port,
            authentication=authentication,
            user=user,
            password=password,
            encrypt=encrypt,
            trust_server_certificate=trust_server_certificate,
            driver=driver,
            login_timeout=login_timeout,
            query_timeout=query_timeout,
            database=database,
        )
        self.backup_timeout = backup_timeout  # seconds; 0 = wait as long as the backup takes
        self.count_timeout = count_timeout  # seconds for exact COUNT_BIG scans; 0 = no limit
        self._credential = credential
        self._pyodbc = _pyodbc  # a stand-in pyodbc module (tests); None = import the real one
        self._conn: Any | None = None
        self._driver = ""
        self._info: ServerInfo | None = None
        self._lock = threading.RLock()

    @classmethod
    def from_connection_string(cls, text: str, **kw: Any) -> SqlServerSource:
        """Build from an ODBC/ADO-style connection string (see
        ``connect.settings_from_connection_string``); ``kw`` overrides or adds options."""
        s = settings_from_connection_string(text)
        options: dict[str, Any] = dict(
            authentication=s.authentication,
            user=s.user,
            password=s.password,
            encrypt=s.encrypt,
            trust_server_certificate=s.trust_server_certificate,
            driver=s.driver,
            login_timeout=s.login_timeout,
            database=s.database,
        )
        options.update(kw)
        return cls(s.server, s.port, **options)

    # ------------------------------------------------------------------ identity

    @property
    def address(self) -> str:
        return self._settings.address

    @property
    def driver(self) -> str:
        """The ODBC driver in use ('' before the first connection)."""
        return self._driver

    @property
    def settings(self) -> ConnectionSettings:
        return self._settings

    def __repr__(self) -> str:
        s = self._settings
        who = f"user={s.user!r}, " if s.user else ""
        return (
            f"SqlServerSource({s.address!r}, authentication={s.authentication!r}, {who}"
            f"encrypt={s.encrypt}, trust_server_certificate={s.trust_server_certificate})"
        )

    # ------------------------------------------------------------------ connection

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn, self._driver = open_connection(
                self._settings, pyodbc=self._pyodbc, credential=self._credential
            )
            log.info("connected to %s with %s", self._settings.address, self._driver)
        return self._conn

    def _odbc_errors(self) -> tuple[type[BaseException], ...]:
        from tui.source.drivers import load_pyodbc

        return ((self._pyodbc or load_pyodbc()).Error,)

    def _run(
        self,
        statement: str,
        result_count: int,
        *,
        action: str,
        database: str | None = None,
        timeout: int | None = None,
    ) -> list[list[dict]]:
        """Execute one batch and read ``result_count`` result sets, draining the rest.

        ``timeout`` (seconds; 0 = none) replaces the query timeout for this batch. The app
        stops waiting a moment after it even if the driver does not: the connection is then
        dropped (closed by its thread when the driver lets go) and the next call reconnects.
        """
        with self._lock:
            conn = self._connection()
            errors = self._odbc_errors()
            limit = self._settings.query_timeout if timeout is None else timeout

            def execute() -> list[list[dict]]:
                previous = getattr(conn, "timeout", None)
                cursor = None
                try:
                    if timeout is not None:
                        conn.timeout = timeout
                    cursor = conn.cursor()
                    cursor.execute(statement)
                    return inventory.result_sets(cursor, result_count)
                finally:
                    if cursor is not None:
                        try:
                            cursor.close()
                        except Exception:  # noqa: BLE001 - the connection may already be gone
                            pass
                    if timeout is not None and previous is not None:
                        try:
                            conn.timeout = previous
                        except Exception:  # noqa: BLE001 - closed meanwhile
                            pass

            try:
                return deadline.call(
                    execute,
                    seconds=limit + deadline.MARGIN if limit else None,
                    what=action,
                    timed_out=lambda: self._no_answer(action, limit),
                    late=self._closer(conn),
                )
            except deadline.GaveUp:
                if self._conn is conn:
                    self._conn = None  # in use by a stuck call; it closes it when it returns
                raise
            except SourceError:
                raise
            except errors as exc:
                err = from_odbc_error(
                    exc, settings=self._settings, database=database, action=action
                )
                if err.kind in (SourceErrorKind.UNREACHABLE,):
                    self._drop()
                raise err from None

    def run_batch(
        self, statement: str, result_count: int, *, action: str, database: str | None = None
    ) -> list[list[dict]]:
        """Run one batch built by the app's T-SQL modules (never text typed by a user) and
        read ``result_count`` result sets as dicts keyed by lower-case column name. Sent
        once: a failure is raised, never retried here."""
        return self._run(statement, result_count, action=action, database=database)

    def _no_answer(self, action: str, seconds: int) -> deadline.TimedOut:
        return deadline.TimedOut(
            f"SQL Server at {self.address} did not answer within {seconds} seconds while {action}.",
            sqlstate="HYT00",
            kind=SourceErrorKind.TIMEOUT,
            hint="The connection was dropped; the statement may still be running on the "
            "server. Check the network and the server (blocking, a busy log), then try "
            "again.",
        )

    @staticmethod
    def _closer(conn: Any):
        return lambda _value: close_quietly(conn)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - dropping a broken connection is best effort
                pass

    def close(self) -> None:
        with self._lock:
            self._drop()

    def __enter__(self) -> SqlServerSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ Source

    def server_info(self) -> ServerInfo:
        """Connect and describe the server (doubles as "Test connection")."""
        (rows,) = self._run(tsql.SERVER_INFO, 1, action="reading the server version")
        if not rows:
            raise SourceError("The server did not describe itself.", kind=SourceErrorKind.OTHER)
        self._info = inventory.server_info(rows[0], self._settings.address)
        return self._info

    def databases(self) -> list[DatabaseInventory]:
        """Every database (snapshots excluded) with files, state and backup history.

        Two round trips: one batch for databases/files/filegroups/tables, one for msdb.
        """
        db_rows, file_rows, fg_rows, table_rows = self._run(
            tsql.DATABASES, 4, action="listing the databases"
        )
        (history,) = self._run(tsql.BACKUP_HISTORY, 1, action="reading backup history from msdb")
        return inventory.databases(
            db_rows, file_rows, fg_rows, table_rows, inventory.backup_records(history)
        )

    def assess(
        self, database: DatabaseInventory, target: TargetKind, *, online: bool = True
    ) -> list[Finding]:
        info = self._info or self.server_info()
        return rules.assess(info, database, target, online=online)

    def row_counts(self, database: str, exact_tables: Sequence[str] = ()) -> list[TableRowCount]:
        """Rows of every user table, from partition stats (one query); ``exact_tables``
        (``schema.table``) are counted with ``COUNT_BIG(*)`` in one more query."""
        action = f"counting rows in {database}"
        try:
            (rows,) = self._run(tsql.row_counts_tsql(database), 1, action=action, database=database)
        except SourceError as err:
            if err.kind is not SourceErrorKind.PERMISSION:
                raise
            # no VIEW DATABASE STATE: sys.partitions gives the same numbers from metadata
            (rows,) = self._run(
                tsql.row_counts_tsql(database, metadata_only=True),
                1,
                action=action,
                database=database,
            )
        counts = inventory.row_counts(rows)
        if not exact_tables:
            return counts
        wanted = self._resolve_tables(database, counts, exact_tables)
        (exact_rows,) = self._run(
            tsql.exact_counts_tsql(database, wanted),
            1,
            action=f"counting rows exactly in {database}",
            database=database,
            timeout=self.count_timeout,
        )
        exact = {(c.schema, c.table): c for c in inventory.row_counts(exact_rows, exact=True)}
        return [exact.get((c.schema, c.table), c) for c in counts]

    @staticmethod
    def _resolve_tables(
        database: str, counts: Sequence[TableRowCount], names: Sequence[str]
    ) -> list[tuple[str, str]]:
        known = {(c.schema.lower(), c.table.lower()): (c.schema, c.table) for c in counts}
        wanted: list[tuple[str, str]] = []
        for name in names:
            try:
                schema, table = tsql.split_table_name(name)
            except ValueError as exc:
                raise SourceError(str(exc), kind=SourceErrorKind.INVALID_ARGUMENT) from None
            found = known.get((schema.lower(), table.lower()))
            if found is None:
                raise SourceError(
                    f"{database} has no user table {schema}.{table}.",
                    kind=SourceErrorKind.INVALID_ARGUMENT,
                )
            if found not in wanted:
                wanted.append(found)
        return wanted

    # ------------------------------------------------------------------ backups

    def _compression(self) -> bool:
        info = self._info or self.server_info()
        return info.engine_edition != EXPRESS_EDITION and "express" not in info.edition.lower()

    def backup_log_tsql(self, database: str, url: str, *, tail: bool = False) -> str:
        """The statement ``backup_log`` runs, for the DBA to copy when the tool may not run it."""
        return tsql.backup_log_tsql(database, url, tail, compression=self._compression())

    def backup_log(self, database: str, url: str, *, tail: bool = False) -> BackupResult:
        """``BACKUP LOG ... TO URL ... WITH CHECKSUM`` (tail-log: ``NORECOVERY``, leaving the
        source database RESTORING). Autocommit, every result drained so failures surface."""
        try:
            statement = self.backup_log_tsql(database, url, tail=tail)
        except ValueError as exc:
            raise SourceError(str(exc), kind=SourceErrorKind.INVALID_ARGUMENT) from None
        kind = "tail-log" if tail else "log"
        self._backup(statement, database, url, kind)
        return BackupResult(
            database=database,
            backup_type=kind,
            url=url,
            statement=statement,
            finished=datetime.now(),
        )

    def backup_full(self, database: str, url: str) -> BackupResult:
        """``BACKUP DATABASE ... TO URL ... WITH CHECKSUM``: the full backup a migration starts
        from."""
        try:
            statement = tsql.backup_full_tsql(database, url, compression=self._compression())
        except ValueError as exc:
            raise SourceError(str(exc), kind=SourceErrorKind.INVALID_ARGUMENT) from None
        self._backup(statement, database, url, "full")
        return BackupResult(
            database=database,
            backup_type="full",
            url=url,
            statement=statement,
            finished=datetime.now(),
        )

    def _backup(self, statement: str, database: str, url: str, kind: str) -> None:
        try:
            self._run(
                statement,
                0,
                action=f"taking a {kind} backup of {database}",
                database=database,
                timeout=self.backup_timeout,
            )
        except SourceError as err:
            raise _explain_backup_error(err, database, url, kind) from None
        log.info("%s backup of %s written to %s", kind, database, url)


def _explain_backup_error(err: SourceError, database: str, url: str, kind: str) -> SourceError:
    """Add the fix to the common BACKUP TO URL failures."""
    hint = err.hint
    code = err.native_code
    if code in (3201, 3013) or "credential" in err.message.lower():
        hint = (
            "SQL Server could not write to the URL. Check that a credential named after the "
            "container exists and that its SAS token allows write, create and list and has "
            "not expired; create it with:\n" + tsql.create_credential_tsql(url)
        )
    elif code == 3101 or "exclusive access" in err.message.lower():
        hint = (
            "The tail-log backup needs the database to itself: stop the applications, or run "
            f"ALTER DATABASE {tsql.quote_name(database, 'database name')} "
            "SET SINGLE_USER WITH ROLLBACK IMMEDIATE; then take the backup."
        )
    elif code == 4208 or code == 4214:
        hint = (
            f"Log backups need the FULL recovery model and a full backup first: "
            f"{tsql.set_recovery_full_tsql(database)} then take a full backup."
        )
    elif code == 1844:
        hint = "This edition cannot compress backups; take the backup without COMPRESSION."
    return SourceError(
        f"The {kind} backup of {database} failed: {err.detail or err.message}",
        sqlstate=err.sqlstate,
        native_code=err.native_code,
        hint=hint,
        kind=SourceErrorKind.BACKUP_FAILED if err.kind is SourceErrorKind.OTHER else err.kind,
    )
