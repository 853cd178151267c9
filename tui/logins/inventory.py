"""Reading the source's logins: the T-SQL and turning its result sets into ``SourceLogin``.

One batch, three result sets, valid on SQL Server 2012 and later (and on a managed
instance): the logins with their SQL-login properties, the server-role memberships, and the
server-level permissions. The password hash needs CONTROL SERVER (sysadmin); without it
``password_hash`` comes back NULL and the plan says so rather than creating a login with
no password.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tui.logins.models import LoginKind, Permission, PresentLogin, SourceLogin

LOGINS_TSQL = """-- dms-tui:logins
SET NOCOUNT ON;
SELECT sp.name, sp.type, sp.sid, sp.is_disabled, sp.default_database_name,
       sp.default_language_name, sl.password_hash, sl.is_policy_checked,
       sl.is_expiration_checked
FROM sys.server_principals AS sp
LEFT JOIN sys.sql_logins AS sl ON sl.principal_id = sp.principal_id
WHERE sp.type IN ('S', 'U', 'G')
ORDER BY sp.name;
SELECT r.name AS role_name, m.name AS member_name
FROM sys.server_role_members AS rm
JOIN sys.server_principals AS r ON r.principal_id = rm.role_principal_id
JOIN sys.server_principals AS m ON m.principal_id = rm.member_principal_id
WHERE m.type IN ('S', 'U', 'G');
SELECT p.name AS grantee, perm.permission_name, perm.state_desc
FROM sys.server_permissions AS perm
JOIN sys.server_principals AS p ON p.principal_id = perm.grantee_principal_id
WHERE perm.class = 100 AND p.type IN ('S', 'U', 'G');
"""

PRESENT_TSQL = """-- dms-tui:present_logins
SET NOCOUNT ON;
SELECT name, type, sid FROM sys.server_principals
WHERE type IN ('S', 'U', 'G', 'E', 'X');
"""

# Logins the target has its own of, or that belong to the source machine: never moved.
SYSTEM_PREFIXES = ("NT AUTHORITY\\", "NT SERVICE\\", "BUILTIN\\")
SKIPPED_NAMES = {"sa"}
IMPLICIT_PERMISSIONS = {"CONNECT SQL"}  # granted by CREATE LOGIN itself


def is_system_login(name: str) -> bool:
    """``##...##`` certificate logins, sa, and the machine's built-in accounts."""
    upper = name.upper()
    return (
        (name.startswith("##") and name.endswith("##"))
        or name.lower() in SKIPPED_NAMES
        or any(upper.startswith(prefix) for prefix in SYSTEM_PREFIXES)
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: Any) -> bool:
    """bit columns come as bool from pyodbc, as 0/1 from some drivers."""
    return bool(value) if value is not None else False


def _bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    text = str(value)
    if text.lower().startswith("0x"):
        return bytes.fromhex(text[2:])
    raise ValueError(f"not a binary value: {text[:20]!r}")


def source_logins(
    login_rows: Iterable[Mapping[str, Any]],
    role_rows: Iterable[Mapping[str, Any]],
    permission_rows: Iterable[Mapping[str, Any]],
) -> list[SourceLogin]:
    """The source's logins (system ones left out), with their roles and permissions."""
    roles: dict[str, list[str]] = defaultdict(list)
    for row in role_rows:
        roles[_text(row.get("member_name"))].append(_text(row.get("role_name")))
    perms: dict[str, list[Permission]] = defaultdict(list)
    for row in permission_rows:
        name = _text(row.get("permission_name")).upper()
        if name in IMPLICIT_PERMISSIONS:
            continue
        state = _text(row.get("state_desc")).upper() or "GRANT"
        perms[_text(row.get("grantee"))].append(Permission(name, state))
    logins: list[SourceLogin] = []
    for row in login_rows:
        name = _text(row.get("name"))
        if not name or is_system_login(name):
            continue
        try:
            kind = LoginKind(_text(row.get("type")))
        except ValueError:
            continue
        logins.append(
            SourceLogin(
                name=name,
                kind=kind,
                sid=_bytes(row.get("sid")) or b"",
                password_hash=_bytes(row.get("password_hash")) if kind is LoginKind.SQL else None,
                default_database=_text(row.get("default_database_name")) or "master",
                default_language=_text(row.get("default_language_name")),
                check_policy=_flag(row.get("is_policy_checked")),
                check_expiration=_flag(row.get("is_expiration_checked")),
                disabled=_flag(row.get("is_disabled")),
                server_roles=tuple(sorted(roles.get(name, ()), key=str.lower)),
                permissions=tuple(sorted(perms.get(name, ()), key=lambda p: p.name)),
            )
        )
    return logins


def present_logins(rows: Iterable[Mapping[str, Any]]) -> list[PresentLogin]:
    return [
        PresentLogin(_text(r.get("name")), _text(r.get("type")), _bytes(r.get("sid")) or b"")
        for r in rows
        if _text(r.get("name"))
    ]
