"""The source layer's one error type.

Every failure talking to SQL Server (driver missing, server unreachable, login refused,
certificate not trusted, permission denied, timeout, a statement failing) reaches the
rest of the app as a ``SourceError``: a plain-words ``message``, a ``hint`` saying what to
do, and the original ``sqlstate`` / ``native_code`` for the support ticket. No password
ever appears in any of them.
"""

from __future__ import annotations

import enum

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
    OTHER = "other"


class SourceError(DmsTuiError):
    """A SQL Server source (or target, for row counts) call failed.

    ``sqlstate`` is the ODBC SQLSTATE (``08001``, ``28000``, ...), ``native_code`` the SQL
    Server error number (18456, 229, ...) when the driver gave one.
    """

    def __init__(self, message: str, *, sqlstate: str = "", native_code: int | None = None,
                 hint: str = "", kind: SourceErrorKind = SourceErrorKind.OTHER):
        code = sqlstate
        if native_code is not None:
            code = f"{sqlstate}/{native_code}" if sqlstate else str(native_code)
        super().__init__(message, code=code, hint=hint)
        self.sqlstate = sqlstate
        self.native_code = native_code
        self.kind = kind

    def __repr__(self) -> str:
        return (f"SourceError({self.message!r}, sqlstate={self.sqlstate!r}, "
                f"native_code={self.native_code!r}, kind={self.kind.value!r})")
