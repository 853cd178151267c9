"""The T-SQL that creates a planned login on the target, and maps orphaned users.

Every name goes through ``tui.source.quote``. The password hash appears only in
``create_login`` (sent to the target) and in the exported script; ``create_login_shown``
is the same statement with the hash replaced, for anything a DBA may see on screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tui.logins.models import LoginKind, PlanItem
from tui.source.quote import quote_name, quote_string

HASH_HIDDEN = "<hash in the exported script>"

_PERMISSION_WORDS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")


def _hex(data: bytes) -> str:
    return "0x" + data.hex().upper()


def create_login(item: PlanItem, *, hide_hash: bool = False) -> str:
    """``CREATE LOGIN`` for ``item`` (a plan item whose action is CREATE)."""
    login = item.login
    name = quote_name(item.target_name, "login name")
    if item.external:
        return f"CREATE LOGIN {name} FROM EXTERNAL PROVIDER;"
    options = [f"DEFAULT_DATABASE = {quote_name(item.default_database, 'database name')}"]
    if login.default_language:
        options.append(f"DEFAULT_LANGUAGE = {quote_name(login.default_language, 'language')}")
    if login.kind is not LoginKind.SQL:
        return f"CREATE LOGIN {name} FROM WINDOWS WITH {', '.join(options)};"
    if not login.password_hash:
        raise ValueError(f"{login.name}: no password hash to create the login with")
    secret = HASH_HIDDEN if hide_hash else _hex(login.password_hash)
    head = [
        f"PASSWORD = {secret} HASHED",
        f"SID = {_hex(login.sid)}",
        *options,
        f"CHECK_POLICY = {'ON' if login.check_policy else 'OFF'}",
        f"CHECK_EXPIRATION = {'ON' if login.check_expiration else 'OFF'}",
    ]
    return f"CREATE LOGIN {name} WITH {', '.join(head)};"


def _permission(name: str) -> str:
    """A permission name as SQL Server lists it (``VIEW SERVER STATE``): words only."""
    if not name or set(name.upper()) - _PERMISSION_WORDS:
        raise ValueError(f"not a server permission name: {name!r}")
    return " ".join(name.upper().split())


def grants(item: PlanItem) -> list[str]:
    """Server roles, server permissions and the disabled state, after the login exists."""
    name = quote_name(item.target_name, "login name")
    out = [
        f"ALTER SERVER ROLE {quote_name(role, 'server role')} ADD MEMBER {name};"
        for role in item.login.server_roles
    ]
    for perm in item.login.permissions:
        words = _permission(perm.name)
        if perm.state == "DENY":
            out.append(f"DENY {words} TO {name};")
        elif perm.state == "GRANT_WITH_GRANT_OPTION":
            out.append(f"GRANT {words} TO {name} WITH GRANT OPTION;")
        else:
            out.append(f"GRANT {words} TO {name};")
    if item.login.disabled:
        out.append(f"ALTER LOGIN {name} DISABLE;")
    return out


def statements(item: PlanItem, *, hide_hash: bool = False) -> list[str]:
    return [create_login(item, hide_hash=hide_hash), *grants(item)]


def orphaned_users_tsql(database: str) -> str:
    """Users in ``database`` whose SID matches no login (contained users and the
    built-in ones left out)."""
    db = quote_name(database, "database name")
    return (
        "-- dms-tui:orphaned_users\nSET NOCOUNT ON;\n"
        f"SELECT dp.name, dp.type, dp.sid FROM {db}.sys.database_principals AS dp\n"
        "LEFT JOIN sys.server_principals AS sp ON sp.sid = dp.sid\n"
        "WHERE sp.sid IS NULL AND dp.type IN ('S', 'U', 'G') AND dp.principal_id > 4\n"
        "  AND dp.sid IS NOT NULL AND dp.authentication_type <> 2\n"
        "ORDER BY dp.name;"
    )


def map_user_tsql(database: str, user: str, login: str) -> str:
    return (
        f"USE {quote_name(database, 'database name')};\n"
        f"ALTER USER {quote_name(user, 'user name')} WITH LOGIN = "
        f"{quote_name(login, 'login name')};"
    )


def script(items: Iterable[PlanItem], source: str, target: str) -> str:
    """The whole plan as one script, for review or to run by hand (holds the hashes)."""
    lines = [
        f"-- Logins from {source} to {target}, written by dms-tui.",
        "-- Holds password hashes: keep this file private and delete it when done.",
        "-- Logins already on the target are not in this script; nothing is dropped.",
        "",
    ]
    for item in items:
        lines.append(f"-- {item.login.name} ({item.login.kind.label}): {item.what}")
        lines.append(
            f"IF NOT EXISTS (SELECT 1 FROM sys.server_principals WHERE name = "
            f"{quote_string(item.target_name, 'login name')})"
        )
        lines.append("BEGIN")
        lines.extend("    " + s for s in statements(item))
        lines.append("END;")
        lines.append("GO")
        lines.append("")
    return "\n".join(lines)


def write_script(
    items: Iterable[PlanItem], source: str, target: str, folder: Path | None = None
) -> Path:
    """Write ``script`` into the exports folder, readable by its owner only (0600): it holds
    password hashes. Returns the file's path."""
    from datetime import datetime

    from tui.export import export_dir
    from tui.private_files import private_dir, write_atomically

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in target)[:60]
    path = private_dir(export_dir(folder), tighten=folder is None) / f"logins-{safe}-{stamp}.sql"
    write_atomically(path, script(items, source, target).encode("utf-8"), exclusive=True)
    return path
