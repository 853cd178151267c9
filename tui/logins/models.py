"""What a login migration reads, plans and reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class LoginKind(str, enum.Enum):
    """``sys.server_principals.type`` for the logins this tool moves."""

    SQL = "S"
    WINDOWS_USER = "U"
    WINDOWS_GROUP = "G"

    @property
    def label(self) -> str:
        return {"S": "SQL login", "U": "Windows login", "G": "Windows group"}[self.value]


@dataclass(frozen=True)
class Permission:
    """A server-level permission: ``state`` is GRANT, GRANT_WITH_GRANT_OPTION or DENY."""

    name: str
    state: str = "GRANT"


@dataclass(frozen=True)
class SourceLogin:
    """One login on the source. ``password_hash`` is secret: it is written only into the
    exported script (0600) and sent to the target, never shown or logged."""

    name: str
    kind: LoginKind
    sid: bytes
    password_hash: bytes | None = field(default=None, repr=False)
    default_database: str = "master"
    default_language: str = ""
    check_policy: bool = False
    check_expiration: bool = False
    disabled: bool = False
    server_roles: tuple[str, ...] = ()
    permissions: tuple[Permission, ...] = ()

    @property
    def sid_hex(self) -> str:
        return "0x" + self.sid.hex().upper()


@dataclass(frozen=True)
class PresentLogin:
    """A login that already exists on the target."""

    name: str
    kind: str  # sys.server_principals.type: S, U, G, E (Entra user), X (Entra group)
    sid: bytes


@dataclass(frozen=True)
class DatabaseUser:
    """A database user on the target whose SID matches no login there (orphaned)."""

    database: str
    name: str
    kind: str  # S (SQL user), U (Windows user), G (Windows group)
    sid: bytes


class Action(str, enum.Enum):
    CREATE = "create"
    PRESENT_SAME = "present"  # already there with the same SID: left as it is
    PRESENT_DIFFERENT = "present-different"  # there with another SID: left, reported
    SKIP = "skip"


@dataclass(frozen=True)
class PlanItem:
    """What happens to one source login on the target, in words (``what``) and in data."""

    login: SourceLogin
    action: Action
    target_name: str  # the login's name on the target (Entra names differ for Windows)
    what: str  # one line for the DBA, never holding the hash
    default_database: str = "master"
    external: bool = False  # FROM EXTERNAL PROVIDER (Microsoft Entra, managed instance)
    notes: tuple[str, ...] = ()  # e.g. a role left out because the target has no such role

    @property
    def selectable(self) -> bool:
        return self.action is Action.CREATE


class Outcome(str, enum.Enum):
    CREATED = "created"
    PRESENT = "already present"
    FAILED = "failed"
    SKIPPED = "skipped"
    MAPPED = "mapped"


@dataclass(frozen=True)
class LoginResult:
    """What happened on the target to one login (or one orphaned user)."""

    name: str
    outcome: Outcome
    message: str
    code: str = ""  # the SQL Server error number, kept with the plain words
