"""Every change made to the sandbox's world, in order, each at the simulated moment it was made:
enough to build the same world again from its seed (``tui.sandbox.saved`` keeps it on disk).

The seeded world is deterministic, and a migration's state at a simulated moment does not depend
on how often it was looked at, so making every change again at its moment rebuilds the world as
it was: the same resources and ids, the same backups, the same restore and copy progress. Reads
are not recorded.

No secret is recorded: a password (or token, or key) in a request becomes a placeholder (the
sandbox only checks that there is one), a storage account key becomes which of the account's
keys it was, and a login created on a target is recorded by name and SID, never its password
hash (a replay reads it again from the server it came from).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.logins.models import PlanItem

    from .sandbox import Sandbox
    from .sqlserver import SimulatedSqlServer

WRITE_METHODS = ("PUT", "POST", "PATCH", "DELETE")
PASSWORD_PLACEHOLDER = "(not saved)"
KEY_REF = "(storage account key #{})"
KINDS = (
    "request",
    "backup",
    "create_login",
    "map_user",
    "break_chain",
    "repair_chain",
    "fail_migration",
    "register_node",
    "tde_certificate",
)


class ReplayError(Exception):
    """A saved change could not be made again: the saved world does not fit this sandbox."""


class Journal:
    """The changes made so far; ``listener`` is called after each one (the world is saved)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.listener: Callable[[], None] | None = None
        self._paused = 0

    def record(self, kind: str, at: float, **fields: Any) -> None:
        if self._paused:
            return
        self.events.append({"kind": kind, "at": at, **fields})
        if self.listener is not None:
            self.listener()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Changes made meanwhile are not recorded (they are being replayed)."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1


# ---------------------------------------------------------------------- secrets


def _account_keys(sb: Sandbox, account_id: object) -> list[str]:
    if not isinstance(account_id, str) or not account_id.strip():
        return []
    acct = sb.world.storage_by_name(account_id.rstrip("/").rsplit("/", 1)[-1])
    return list(acct.keys) if acct is not None else []


def is_secret(field: str) -> bool:
    """A request field that holds a secret, by its (lower-case) name."""
    return (
        field.endswith(("password", "secret", "token", "key"))
        or field.startswith("authkey")
        or field in ("sas", "sasuri")
    )


def without_secrets(sb: Sandbox, value: Any) -> Any:
    """``value`` (a request body) with every password and account key replaced."""
    if isinstance(value, list):
        return [without_secrets(sb, v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        low = k.lower()
        if low == "accountkey" and isinstance(v, str):
            keys = _account_keys(sb, value.get("storageAccountResourceId"))
            out[k] = KEY_REF.format(keys.index(v) + 1) if v in keys else PASSWORD_PLACEHOLDER
        elif v and is_secret(low):
            out[k] = PASSWORD_PLACEHOLDER
        else:
            out[k] = without_secrets(sb, v)
    return out


def with_keys(sb: Sandbox, value: Any) -> Any:
    """A recorded body made sendable again: each account key reference becomes the key."""
    if isinstance(value, list):
        return [with_keys(sb, v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k.lower() == "accountkey" and isinstance(v, str) and v.startswith("(storage"):
            keys = _account_keys(sb, value.get("storageAccountResourceId"))
            index = next((i for i in range(len(keys)) if KEY_REF.format(i + 1) == v), None)
            out[k] = keys[index] if index is not None else v
        else:
            out[k] = with_keys(sb, v)
    return out


# ---------------------------------------------------------------------- replay


def replay(sb: Sandbox, events: list[dict[str, Any]]) -> None:
    """Make every change of ``events`` again, each at its simulated moment (the clock is held
    there), without recording them twice. ``ReplayError`` says which one could not be made."""
    last = sb.clock.now()
    with sb.journal.paused():
        for number, event in enumerate(events, start=1):
            at = event.get("at")
            if not isinstance(at, int | float) or at < last:
                raise ReplayError(f"change {number} has no valid moment (time runs backwards)")
            last = float(at)
            sb.clock.hold(last)
            try:
                _apply(sb, event)
            except ReplayError as e:
                raise ReplayError(f"change {number} ({describe(event)}): {e}") from None
            except Exception as e:  # noqa: BLE001 - a field missing or of the wrong type, or a
                # simulated SQL error: the file does not fit this sandbox, said in plain words
                raise ReplayError(f"change {number} ({describe(event)}) failed: {e}") from None
    sb.journal.events = [dict(e) for e in events]


def describe(event: dict[str, Any]) -> str:
    kind = event.get("kind")
    if kind == "request":
        return f"{event.get('method')} {event.get('path')}"
    if kind == "backup":
        return f"{event.get('type')} backup of {event.get('database')}"
    return str(kind)


def _apply(sb: Sandbox, e: dict[str, Any]) -> None:
    kind = e.get("kind")
    if kind == "request":
        body = with_keys(sb, e.get("body"))
        raw = json.dumps(body).encode("utf-8") if body is not None else None
        query = e.get("query") or {}
        if not isinstance(query, dict):
            raise ReplayError("the request's query is not a table")
        answer = sb._handle(
            str(e["method"]), str(e["path"]), query, {"Authorization": "Bearer replay"}, body, raw
        )
        if answer.status >= 400:
            error = (answer.body or {}).get("error", {}) if isinstance(answer.body, dict) else {}
            raise ReplayError(f"refused now ({answer.status} {error.get('code', '')})".strip())
        return
    sb.simulate()
    if kind == "backup":
        srv = _server(sb, e)
        backup_type, db, url = e["type"], str(e["database"]), str(e["url"])
        if backup_type == "log":
            srv.backup_log(db, url, tail=bool(e.get("tail")))
        elif backup_type == "full":
            srv.backup_full(db, url, duration=float(e.get("duration", 0.0)))
        elif backup_type == "diff":
            srv.backup_diff(db, url, duration=float(e.get("duration", 0.0)))
        else:
            raise ReplayError(f"unknown backup type '{backup_type}'")
    elif kind == "create_login":
        _server(sb, e).create_login(_plan_item(sb, e))
    elif kind == "map_user":
        _server(sb, e).map_user(str(e["database"]), str(e["user"]), str(e["login"]))
    elif kind == "break_chain":
        sb.break_backup_chain(str(e["database"]))
    elif kind == "repair_chain":
        sb.repair_backup_chain(str(e["database"]))
    elif kind == "fail_migration":
        sb.fail_migration(
            str(e["target_database"]), str(e.get("code", "")), str(e.get("message", ""))
        )
    elif kind == "register_node":
        sb.register_integration_runtime_node(str(e["service"]), e.get("node") or None)
    elif kind == "tde_certificate":
        from .tde import TdeRoutes

        target = next(
            (t for t in sb.world.targets if t.id.lower() == str(e["target"]).lower()), None
        )
        if target is None:
            raise ReplayError(f"no managed instance '{e['target']}'")
        TdeRoutes.hold(target, str(e["thumbprint"]))
    else:
        raise ReplayError(f"unknown kind of change '{kind}'")


def _server(sb: Sandbox, e: dict[str, Any]) -> SimulatedSqlServer:
    srv = sb.world.server(str(e["server"]))
    if srv is None:
        raise ReplayError(f"no simulated server '{e['server']}'")
    return srv


def _plan_item(sb: Sandbox, e: dict[str, Any]) -> PlanItem:
    """The plan item a login was created from, its login read again (hash and all) from the
    server that has it: only its name and SID were recorded."""
    from tui.logins.models import Action, PlanItem

    name, sid = str(e["login"]), bytes.fromhex(str(e["sid"]))
    for srv in sb.world.servers.values():
        for login in srv.read_logins():
            if login.name == name and login.sid == sid:
                return PlanItem(
                    login=login,
                    action=Action.CREATE,
                    target_name=str(e["target_name"]),
                    what="",
                    default_database=str(e.get("default_database") or "master"),
                    external=bool(e.get("external")),
                )
    raise ReplayError(f"no simulated server has the login '{name}' any more")
