"""What happens to each source login on the target, decided before anything is sent.

* SQL logins are created with the same SID and the same (hashed) password, so the users
  inside the migrated databases find their login again and the application's password
  still works.
* Windows logins and groups: on a SQL VM joined to the same domain, created ``FROM
  WINDOWS`` under the same name; on a managed instance, mapped to Microsoft Entra
  (``FROM EXTERNAL PROVIDER``) with the domain the DBA gives — ``CONTOSO\\jdoe`` becomes
  ``jdoe@contoso.com``, the group ``CONTOSO\\DBA Team`` the Entra group ``DBA Team``.
* Logins already on the target are compared and reported, never dropped or changed.
* What can't be moved is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.logins.models import Action, LoginKind, PlanItem, PresentLogin, SourceLogin
from tui.models import TargetKind


def entra_name(login: SourceLogin, domain: str) -> str:
    """The Microsoft Entra name a Windows login maps to on a managed instance."""
    account = login.name.split("\\", 1)[-1]
    if login.kind is LoginKind.WINDOWS_GROUP:
        return account
    return f"{account}@{domain.strip().lstrip('@')}"


def check_domain(domain: str) -> str:
    """``domain`` if it looks like a DNS domain (contoso.com), else a ValueError naming it."""
    text = domain.strip().lstrip("@")
    labels = text.split(".")
    if (
        len(labels) < 2
        or any(not label for label in labels)
        or any(
            not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in label)
            for label in labels
        )
    ):
        raise ValueError(
            f"Microsoft Entra domain {domain!r} is not a domain name: type it as "
            "contoso.com (the part after @ in your users' sign-in names)."
        )
    return text


def make_plan(
    logins: Iterable[SourceLogin],
    present: Iterable[PresentLogin],
    target: TargetKind,
    *,
    entra_domain: str = "",
    target_databases: Sequence[str] = (),
    source_machine: str = "",
) -> list[PlanItem]:
    """One ``PlanItem`` per source login, in the source's order."""
    by_name = {p.name.lower(): p for p in present}
    by_sid = {p.sid: p for p in present if p.sid}
    databases = {d.lower() for d in target_databases} | {"master"}
    domain = check_domain(entra_domain) if entra_domain.strip() else ""
    return [
        _item(login, by_name, by_sid, target, domain, databases, source_machine) for login in logins
    ]


def _item(
    login: SourceLogin,
    by_name: dict[str, PresentLogin],
    by_sid: dict[bytes, PresentLogin],
    target: TargetKind,
    domain: str,
    databases: set[str],
    source_machine: str,
) -> PlanItem:
    def skip(why: str) -> PlanItem:
        return PlanItem(login, Action.SKIP, login.name, f"skipped: {why}")

    if target is TargetKind.SQL_DB:
        return skip(
            "Azure SQL Database has no server logins to move; create contained database "
            "users there instead."
        )
    windows = login.kind is not LoginKind.SQL
    external = windows and target is TargetKind.SQL_MI
    machine = login.name.split("\\", 1)[0].lower() if "\\" in login.name else ""
    if windows and machine and source_machine and machine == source_machine.lower():
        return skip("a local account of the source machine; no domain or Entra counterpart.")
    if external and not domain:
        return skip(
            "Windows logins map to Microsoft Entra on a managed instance: give the Entra "
            "domain (e.g. contoso.com) to include it."
        )
    name = entra_name(login, domain) if external else login.name
    there = by_name.get(name.lower())
    if there is not None:
        if external or there.sid == login.sid:
            return PlanItem(
                login, Action.PRESENT_SAME, name, "already on the target: left as it is."
            )
        return PlanItem(
            login,
            Action.PRESENT_DIFFERENT,
            name,
            "on the target with a different SID: left as it is (never dropped); its database "
            "users are mapped to it by name.",
        )
    same_sid = by_sid.get(login.sid) if login.sid and not external else None
    if same_sid is not None:
        return PlanItem(
            login,
            Action.PRESENT_DIFFERENT,
            same_sid.name,
            f"its SID belongs to {same_sid.name!r} on the target: left as it is.",
        )
    if login.kind is LoginKind.SQL and not login.password_hash:
        return skip(
            "its password hash could not be read (reading it needs CONTROL SERVER on the "
            "source): sign in to the source as a sysadmin."
        )
    notes: list[str] = []
    default_db = login.default_database or "master"
    if default_db.lower() not in databases:
        notes.append(f"default database {default_db} is not on the target: master instead")
        default_db = "master"
    if login.kind is LoginKind.SQL:
        what = "create with the same SID and hashed password"
    elif external:
        noun = "group" if login.kind is LoginKind.WINDOWS_GROUP else "user"
        what = f"create as Microsoft Entra {noun} {name}"
    else:
        what = "create from Windows (the VM must be joined to the domain)"
    extras = []
    if login.server_roles:
        extras.append("roles " + ", ".join(login.server_roles))
    if login.permissions:
        extras.append(f"{len(login.permissions)} server permission(s)")
    if login.disabled:
        extras.append("disabled as on the source")
    if extras:
        what += "; " + "; ".join(extras)
    return PlanItem(
        login,
        Action.CREATE,
        name,
        what + ".",
        default_database=default_db,
        external=external,
        notes=tuple(notes),
    )
