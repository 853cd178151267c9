"""The source layer's one error type.

Every failure talking to SQL Server (driver missing, server unreachable, login refused,
certificate not trusted, permission denied, timeout, a statement failing) reaches the
rest of the app as a ``SourceError``: a plain-words ``message``, a ``hint`` saying what to
do, and the original ``sqlstate`` / ``native_code`` for the support ticket. No password
ever appears in any of them.
"""

from __future__ import annotations

import enum
import re

from tui.errors import DmsTuiError


class SourceErrorKind(str, enum.Enum):
    """What went wrong, coarse enough for a screen to pick an icon or a retry button."""

    DRIVER_MISSING = "driver-missing"
    UNREACHABLE = "unreachable"
    LOGIN_FAILED = "login-failed"
    CERTIFICATE = "certificate"
    PERMISSION = "permission"
    TIMEOUT = "timeout"
    DATABASE_UNAVAILABLE = "database-unavailable"
    BACKUP_FAILED = "backup-failed"
    INVALID_ARGUMENT = "invalid-argument"
    CANCELLED = "cancelled"  # the app stopped waiting (Esc, quitting); nothing was wrong
    OTHER = "other"


class SourceError(DmsTuiError):
    """A SQL Server source (or target, for row counts) call failed.

    ``sqlstate`` is the ODBC SQLSTATE (``08001``, ``28000``, ...), ``native_code`` the SQL
    Server error number (18456, 229, ...) when the driver gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        sqlstate: str = "",
        native_code: int | None = None,
        hint: str = "",
        kind: SourceErrorKind = SourceErrorKind.OTHER,
        detail: str = "",
    ):
        code = sqlstate
        if native_code is not None:
            code = f"{sqlstate}/{native_code}" if sqlstate else str(native_code)
        super().__init__(message, code=code, hint=hint)
        self.sqlstate = sqlstate
        self.native_code = native_code
        self.kind = kind
        self.detail = detail  # the server's or driver's own words, prefixes stripped

    def __repr__(self) -> str:
        return (
            f"SourceError({self.message!r}, sqlstate={self.sqlstate!r}, "
            f"native_code={self.native_code!r}, kind={self.kind.value!r})"
        )


# --------------------------------------------------------------------------- ODBC errors

_NATIVE = re.compile(r"\((-?\d+)\)")
_PREFIX = re.compile(r"^(\[[^\]]*\]\s*)+")

# SQL Server error numbers, grouped by what the DBA has to do about them
LOGIN_FAILED_CODES = {18456, 18452, 18486, 18487, 18488, 18470, 18463}
PERMISSION_CODES = {229, 230, 262, 297, 300, 916, 15247, 3110, 15151}
DATABASE_UNAVAILABLE_CODES = {4060, 911, 942, 952, 927, 945}
BACKUP_CODES = {3201, 3013, 3041, 3101, 4214, 3271, 1844, 3098, 3038, 4208}
TIMEOUT_STATES = {"HYT00", "HYT01"}
UNREACHABLE_STATES = {"08001", "08S01", "08004"}
DRIVER_STATES = {"IM002", "IM003", "IM004"}


def _driver_text(message: str) -> tuple[str, int | None]:
    """Strip ``[state] [vendor][driver][SQL Server]`` prefixes, native codes and ``(SQLxxx)``
    tails from a pyodbc message; returns the plain text and the first native error code."""
    text = str(message)
    found = _NATIVE.findall(text)
    code = int(found[0]) if found else None
    pieces: list[str] = []
    for piece in re.split(r";\s*(?=\[)", text):
        piece = _PREFIX.sub("", piece)
        piece = re.sub(r"\(SQL[A-Za-z]+\)", "", piece)
        piece = _NATIVE.sub("", piece)
        piece = re.sub(r"\s+", " ", piece).strip().rstrip(".").strip()
        if piece and piece not in pieces:
            pieces.append(piece)
    return ". ".join(pieces) + "." if pieces else "", code


def from_odbc_error(
    exc: BaseException,
    *,
    settings=None,
    connecting: bool = False,
    database: str | None = None,
    action: str = "",
) -> SourceError:
    """Translate a ``pyodbc.Error`` into a ``SourceError`` with a plain message and a hint.

    ``connecting`` tells timeouts and network failures during login (the server is
    unreachable) from those while a statement runs (the query took too long).
    """
    from tui.source.connect import redact

    args = exc.args
    sqlstate = str(args[0]) if len(args) > 1 else ""
    raw = str(args[1] if len(args) > 1 else (args[0] if args else exc))
    raw = redact(raw, settings)
    detail, native = _driver_text(raw)
    low = raw.lower()
    where = settings.address if settings is not None else "the server"
    user = getattr(settings, "user", None) or ""
    doing = f" while {action}" if action else ""

    def make(kind: SourceErrorKind, message: str, hint: str) -> SourceError:
        return SourceError(
            message, sqlstate=sqlstate, native_code=native, hint=hint, kind=kind, detail=detail
        )

    if (
        sqlstate in DRIVER_STATES
        or "can't open lib" in low
        or "file not found" in low
        and "driver" in low
    ):
        from tui.source.drivers import INSTALL_GUIDANCE

        return make(
            SourceErrorKind.DRIVER_MISSING,
            f"The SQL Server ODBC driver could not be loaded: {detail}",
            INSTALL_GUIDANCE,
        )
    if connecting and (
        "certificate" in low
        or "ssl provider" in low
        or "tls" in low
        and "handshake" in low
        or native == -2146893019
    ):
        return make(
            SourceErrorKind.CERTIFICATE,
            f"The certificate of {where} is not trusted by this machine.",
            "Install the issuing CA's certificate on the jump box "
            "(/usr/local/share/ca-certificates, then update-ca-certificates), or connect "
            "by the name the certificate was issued to. Only if you accept the risk, "
            "turn on 'Trust server certificate'. Detail: " + detail,
        )
    if sqlstate == "28000" or native in LOGIN_FAILED_CODES:
        who = f" for {user}" if user else ""
        hint = (
            "Check the user name and password, that the login exists and is enabled, and that "
            "the server allows SQL Server authentication (mixed mode)."
        )
        if settings is not None and settings.authentication == "windows":
            hint = (
                "Check the Kerberos ticket (klist; kinit user@REALM), that the server's SPN "
                "MSSQLSvc/host:port is registered, and that the login exists on the server."
            )
        elif settings is not None and settings.authentication == "entra":
            hint = (
                "Check that the Microsoft Entra account (or managed identity) has a login or "
                "database user on the server, and that the token is for this tenant."
            )
        return make(
            SourceErrorKind.LOGIN_FAILED, f"SQL Server at {where} refused the login{who}.", hint
        )
    if native in DATABASE_UNAVAILABLE_CODES:
        db = f" {database}" if database else ""
        return make(
            SourceErrorKind.DATABASE_UNAVAILABLE,
            f"The database{db} cannot be opened{doing}: {detail}",
            "Check that the database exists, is ONLINE, and that the login has a user in it.",
        )
    if native in PERMISSION_CODES:
        return make(
            SourceErrorKind.PERMISSION,
            f"Permission denied{doing}: {detail}",
            "Reading the inventory needs VIEW SERVER STATE, VIEW ANY DEFINITION and read "
            "access to msdb; taking backups needs db_backupoperator (or sysadmin). Ask a "
            "sysadmin to grant them, or sign in with a login that has them.",
        )
    if sqlstate in TIMEOUT_STATES and connecting or sqlstate in UNREACHABLE_STATES and connecting:
        timeout = getattr(settings, "login_timeout", None)
        return make(
            SourceErrorKind.UNREACHABLE,
            f"Cannot reach SQL Server at {where}"
            + (f" within {timeout} seconds." if sqlstate in TIMEOUT_STATES and timeout else "."),
            "Check the server name and port, that SQL Server listens on TCP there "
            "(SQL Server Configuration Manager), that a firewall allows the port from this "
            "machine, and for a named instance that the SQL Server Browser service runs "
            "(UDP 1434). Detail: " + detail,
        )
    if sqlstate in TIMEOUT_STATES:
        return make(
            SourceErrorKind.TIMEOUT,
            f"SQL Server at {where} did not answer in time{doing}.",
            "The server may be busy or blocked; try again, or raise the query timeout.",
        )
    if sqlstate in UNREACHABLE_STATES:
        return make(
            SourceErrorKind.UNREACHABLE,
            f"The connection to SQL Server at {where} was lost{doing}.",
            "Check the network between this machine and the server, then try again.",
        )
    if native in BACKUP_CODES:
        return make(SourceErrorKind.BACKUP_FAILED, f"The backup failed: {detail}", "")
    return make(SourceErrorKind.OTHER, f"SQL Server returned an error{doing}: {detail}", "")
