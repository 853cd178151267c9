"""Checks on what the DBA types in the wizard. Each returns ``None`` or the message to show,
naming the field and the fix. No Textual, no Azure: plain functions, easy to test."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.project_settings import MigrationSettings

# Microsoft.DataMigration/sqlMigrationServices path pattern (2025-06-30 spec), with the
# portal's length limit.
DMS_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
HOST_RE = re.compile(r"^[A-Za-z0-9_.\-\\]+(,[0-9]+)?$")
# ASCII digits only: str.isdigit() also accepts "²" and "①", which int() then refuses, and
# int() accepts other scripts' digits ("١٤٣٣") that no driver or DBA expects.
PORT_RE = re.compile(r"[0-9]{1,5}")
SHARE_RE = re.compile(r"^\\\\[^\\/]+\\[^\\/]+(\\[^\\/]+)*\\?$")
DB_NAME_BAD = set("[]\"'/\\:*?<>|")

REGIONS = (
    "eastus",
    "eastus2",
    "westus2",
    "westus3",
    "centralus",
    "northeurope",
    "westeurope",
    "uksouth",
    "francecentral",
    "germanywestcentral",
    "swedencentral",
    "australiaeast",
    "southeastasia",
    "japaneast",
    "canadacentral",
    "brazilsouth",
    "centralindia",
)


def dms_name(name: str) -> str | None:
    if not name:
        return "DMS name: type a name for the new instance, e.g. dms-payroll."
    if not 3 <= len(name) <= 63:
        return "DMS name: use 3 to 63 characters."
    if not DMS_NAME_RE.match(name):
        return (
            "DMS name: start with a letter and use only letters, digits, '-' and '_' "
            "(no spaces or dots)."
        )
    return None


def region(value: str) -> str | None:
    if not value:
        return "Region: pick the Azure region for the DMS instance (usually the target's)."
    return None


def server(value: str) -> str | None:
    if not value.strip():
        return "Server: type the SQL Server host name, e.g. sql01.contoso.com."
    if not HOST_RE.match(value.strip()):
        return (
            "Server: use a host name or IP address, optionally with \\INSTANCE, "
            "e.g. sql01.contoso.com or 10.0.0.4\\PROD."
        )
    return None


def ascii_number(value: str) -> int | None:
    """``value`` as a whole number when it is the digits 0-9 and nothing else, else None."""
    text = value.strip()
    return int(text) if PORT_RE.fullmatch(text) else None


def port(value: str) -> str | None:
    number = ascii_number(value)
    if number is None or not 1 <= number <= 65535:
        return (
            "Port: type a number from 1 to 65535 with the digits 0-9 (SQL Server's "
            "default is 1433)."
        )
    return None


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (NUL, line breaks, escapes), shown as U+XXXX."""
    for ch in text:
        if ord(ch) < 32 or 127 <= ord(ch) < 160:
            return "NUL" if ch == "\0" else f"U+{ord(ch):04X}"
    return None


def login(authentication: str, user: str, password: str) -> str | None:
    if authentication in ("sql", "windows"):
        error = login_user(authentication, user)
        if error:
            return error
        if not password:
            return "Password: type the login's password (kept in memory only, never saved)."
    return None


def login_user(authentication: str, user: str) -> str | None:
    """The user half of ``login``: a SQL login, or a Windows account with its domain."""
    if authentication not in ("sql", "windows"):
        return None
    bad = control_character(user)
    if bad:
        return f"User: remove the control character ({bad}) from the login name."
    if not user.strip():
        example = "CONTOSO\\svc-migrate" if authentication == "windows" else "migration_login"
        return f"User: type the login DMS and the jump box sign in with, e.g. {example}."
    if authentication == "windows" and "\\" not in user and "@" not in user:
        return "User: give the Windows account with its domain, e.g. CONTOSO\\svc-migrate."
    return None


def database_name(name: str) -> str | None:
    if not name.strip():
        return "Target name: type a name for the database on the target."
    if len(name) > 128:
        return f"Target name {name[:20]}…: use at most 128 characters."
    bad = control_character(name)
    if bad:
        return f"Target name {name[:20]!r}: remove the control character ({bad})."
    if any(c in DB_NAME_BAD for c in name) or name != name.strip():
        return (
            f"Target name {name!r}: leave out brackets, quotes, slashes, :*?<>| and "
            "leading or trailing spaces."
        )
    return None


def target_names(
    names: dict[str, str], existing: list[str], *, must_exist: bool = False
) -> str | None:
    """``names`` maps source database → target name; ``existing`` is what the target holds.

    Managed instance / SQL VM: DMS restores into a new database, so the name must be free.
    SQL Database (``must_exist``): DMS copies tables into a database that already exists
    with its schema, so the name must be one of ``existing``."""
    seen: dict[str, str] = {}
    taken = {e.lower() for e in existing}
    for source, target in names.items():
        err = database_name(target)
        if err:
            return err
        low = target.lower()
        if must_exist and low not in taken:
            choices = ", ".join(e for e in existing if e.lower() != "master") or "none yet"
            return (
                f"Target name {target}: no database of that name on the server — create "
                f"it with its schema first, or type an existing one ({choices})."
            )
        if not must_exist and low in taken:
            return (
                f"Target name {target}: a database with that name already exists on the "
                "target and DMS never overwrites one; type another name."
            )
        if low in seen:
            return (
                f"Target name {target}: used for both {seen[low]} and {source}; give each "
                "database its own name."
            )
        seen[low] = source
    return None


def container(name: str) -> str | None:
    if not name:
        return "Container: pick the blob container that holds the backups."
    if "backup" in name.lower():
        return (
            f'Container {name}: DMS rejects container names with the word "backup"; '
            "use another container."
        )
    return None


def share_path(path: str) -> str | None:
    if not path.strip():
        return "Share: type the SMB share with the backups, e.g. \\\\fs01\\sqlbackups\\payroll."
    bad = control_character(path)
    if bad:
        return f"Share: remove the control character ({bad}) from the path."
    if not SHARE_RE.match(path.strip()):
        return "Share: write it as \\\\server\\share\\folder, e.g. \\\\fs01\\sqlbackups\\payroll."
    return None


TENANT_RE = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}|[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+)$"
)


def tenant(value: str) -> str | None:
    if not TENANT_RE.match(value.strip()):
        return (
            f"Tenant {value.strip() or '(empty)'}: type the tenant ID (a GUID) or its "
            "domain, e.g. contoso.onmicrosoft.com."
        )
    return None


# --------------------------------------------------------------------------- step 7, as a whole


def migration_settings(
    settings: MigrationSettings,
    databases: list[str],
    *,
    share_password: bool,
    runtime_state: str | None = None,
) -> list[str]:
    """Every reason the backup settings of a managed instance / SQL VM migration can't be
    used yet, each naming the field and the fix — the one rule set step 7 checks before
    Next and the summary checks before Start. ``share_password``: the share's password is
    in memory; ``runtime_state``: the integration runtime's state, when known."""
    out: list[str] = []
    if settings.backup not in ("blob", "share"):
        out.append("Backups: choose an Azure Blob container or an SMB share.")
        return out
    if not settings.storage_account_id:
        out.append(
            "Storage account: pick the storage account that holds the backups (for an SMB "
            "share: the one DMS uploads them to)."
        )
    if settings.backup == "blob":
        error = container(settings.container)
        if error:
            out.append(error)
        out += [
            f'Folder {db}: DMS rejects folder names with the word "backup" — use an SMB '
            "share for this database, or rename the folder."
            for db in databases
            if "backup" in db.lower()
        ]
    else:
        if runtime_state is not None and runtime_state.lower() != "online":
            out.append(
                f"Share: the integration runtime is {runtime_state or 'not set up'}, not "
                "Online (DMS reads shares through it). Fix: install the self-hosted "
                "integration runtime on a Windows host that reads the share and register "
                "it with an auth key from step 2 (Ctrl+G), or use Azure Blob."
            )
        error = share_path(settings.share_path)
        if error:
            out.append(error)
        if not settings.share_user.strip():
            out.append(
                "Share user: type the Windows account that can read the share, e.g. "
                "CONTOSO\\svc-backup."
            )
        if not share_password:
            out.append("Share password: type the account's password (kept in memory only).")
    if not settings.online:
        out += [
            f"Last backup file for {db}: type the file name of the last backup DMS should "
            f"restore, e.g. {db}_log_042.trn."
            for db in databases
            if not settings.last_backup.get(db, "").strip()
        ]
    return out
