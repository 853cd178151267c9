"""The simulated servers' logins and database users, answering as SQL Server does.

``LoginStore`` sits on each ``SimulatedSqlServer`` (``server.login_store``) and gives it the
``tui.logins.endpoint.LoginEndpoint`` methods. ``seed_source_logins`` gives the source the
logins a real server has, awkward ones included (a disabled login with policy off, a name
with quote, bracket and comment characters, Windows logins and a group, a local machine
account, certificate logins, sa); ``seed_target_logins`` puts on the managed instance its
admin and a same-named login with another SID, and gives it a small Microsoft Entra
directory (who exists there decides whether ``FROM EXTERNAL PROVIDER`` succeeds).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from tui.logins.models import (
    DatabaseUser,
    LoginKind,
    Permission,
    PlanItem,
    PresentLogin,
    SourceLogin,
)

from .sqlserver import SqlError

FIXED_SERVER_ROLES = {
    "sysadmin",
    "securityadmin",
    "serveradmin",
    "setupadmin",
    "processadmin",
    "diskadmin",
    "dbcreator",
    "bulkadmin",
}


@dataclass
class SimLogin:
    name: str
    kind: str  # S, U, G, E (Entra user), X (Entra group), C (certificate)
    sid: bytes
    password_hash: bytes | None = field(default=None, repr=False)
    default_database: str = "master"
    default_language: str = "us_english"
    check_policy: bool = True
    check_expiration: bool = False
    disabled: bool = False
    roles: set[str] = field(default_factory=set)
    permissions: list[Permission] = field(default_factory=list)


@dataclass
class SimUser:
    """A database user: ``sid`` ties it to a login; ``contained`` users have none."""

    name: str
    kind: str  # S, U, G
    sid: bytes
    contained: bool = False


class LoginStore:
    def __init__(self, lock: threading.RLock, *, managed_instance: bool) -> None:
        self._lock = lock
        self.managed_instance = managed_instance
        self.logins: dict[str, SimLogin] = {}
        self.entra_directory: set[str] = set()  # lower-case names Entra knows (MI only)

    def add(self, login: SimLogin) -> SimLogin:
        with self._lock:
            self.logins[login.name.lower()] = login
        return login

    def find(self, name: str) -> SimLogin | None:
        with self._lock:
            return self.logins.get(name.lower())

    def sids(self) -> set[bytes]:
        with self._lock:
            return {login.sid for login in self.logins.values()}

    # ------------------------------------------------------------------ LoginEndpoint parts

    def read(self) -> list[SourceLogin]:
        from tui.logins.inventory import is_system_login

        with self._lock:
            out = []
            for login in sorted(self.logins.values(), key=lambda x: x.name):
                if login.kind not in ("S", "U", "G") or is_system_login(login.name):
                    continue
                out.append(
                    SourceLogin(
                        name=login.name,
                        kind=LoginKind(login.kind),
                        sid=login.sid,
                        password_hash=login.password_hash,
                        default_database=login.default_database,
                        default_language=login.default_language,
                        check_policy=login.check_policy,
                        check_expiration=login.check_expiration,
                        disabled=login.disabled,
                        server_roles=tuple(sorted(login.roles)),
                        permissions=tuple(login.permissions),
                    )
                )
            return out

    def present(self) -> list[PresentLogin]:
        with self._lock:
            return [PresentLogin(x.name, x.kind, x.sid) for x in self.logins.values()]

    def create(self, item: PlanItem, databases: set[str]) -> list[str]:
        login = item.login
        with self._lock:
            if item.target_name.lower() in self.logins:
                raise SqlError(
                    f"The server principal '{item.target_name}' already exists.", code="15025"
                )
            if item.external:
                if not self.managed_instance:
                    raise _unsupported("from external provider")
                if item.target_name.lower() not in self.entra_directory:
                    raise SqlError(
                        f"Principal '{item.target_name}' could not be found or this principal "
                        "type is not supported.",
                        code="33130",
                    )
                kind = "X" if login.kind is LoginKind.WINDOWS_GROUP else "E"
                sid = random.Random(item.target_name).randbytes(16)
                new = SimLogin(item.target_name, kind, sid)
            else:
                if login.kind is not LoginKind.SQL and self.managed_instance:
                    raise _unsupported("from windows")
                if login.kind is LoginKind.SQL and login.sid in self.sids():
                    raise SqlError("Supplied parameter sid is in use.", code="15433")
                if item.default_database.lower() not in databases:
                    raise SqlError(
                        f"Cannot open database '{item.default_database}' that was specified "
                        "as the default database.",
                        code="15010",
                    )
                new = SimLogin(
                    item.target_name,
                    login.kind.value,
                    login.sid,
                    password_hash=login.password_hash,
                    default_database=item.default_database,
                    default_language=login.default_language or "us_english",
                    check_policy=login.check_policy,
                    check_expiration=login.check_expiration,
                )
            self.logins[new.name.lower()] = new
            problems = []
            for role in login.server_roles:
                if role.lower() in FIXED_SERVER_ROLES:
                    new.roles.add(role.lower())
                else:
                    problems.append(
                        f"ALTER SERVER ROLE [{role}]: Cannot alter the server role '{role}', "
                        "because it does not exist or you do not have permission. (15151)"
                    )
            new.permissions.extend(login.permissions)
            new.disabled = login.disabled
            return problems


def _unsupported(option: str) -> SqlError:
    return SqlError(
        f"Keyword or statement option '{option}' is not supported in this version of SQL Server.",
        code="40517",
    )


def orphaned(users: list[SimUser], store: LoginStore, database: str) -> list[DatabaseUser]:
    sids = store.sids()
    return [
        DatabaseUser(database, u.name, u.kind, u.sid)
        for u in users
        if not u.contained and u.sid not in sids
    ]


# ---------------------------------------------------------------------- seeding


def _hash(rng: random.Random) -> bytes:
    """A SQL Server 2012+ password hash: 0x0200, a 4-byte salt, SHA-512 (64 bytes)."""
    return b"\x02\x00" + rng.randbytes(4) + rng.randbytes(64)


def _windows_sid(rng: random.Random) -> bytes:
    return b"\x01\x05\x00\x00\x00\x00\x00\x05\x15\x00\x00\x00" + rng.randbytes(16)


HOSTILE_LOGIN = "o'brien]; DROP LOGIN sa; --"


def seed_source_logins(store: LoginStore, rng: random.Random, machine: str) -> dict[str, bytes]:
    """The source's logins; returns name → SID for the users seeded into its databases."""
    sql = [
        SimLogin("app_sales", "S", rng.randbytes(16), _hash(rng), default_database="SalesDB"),
        SimLogin(
            "reporting_ro",
            "S",
            rng.randbytes(16),
            _hash(rng),
            default_database="SalesDB",
            check_policy=False,
            disabled=True,
            permissions=[Permission("VIEW SERVER STATE")],
        ),
        SimLogin(
            "etl_loader",
            "S",
            rng.randbytes(16),
            _hash(rng),
            default_database="StagingETL",
            roles={"bulkadmin", "etl_operators"},
        ),
        SimLogin(HOSTILE_LOGIN, "S", rng.randbytes(16), _hash(rng), check_expiration=True),
        SimLogin("sa", "S", b"\x01", _hash(rng), roles={"sysadmin"}),
        SimLogin("##MS_PolicyEventProcessingLogin##", "S", rng.randbytes(16), _hash(rng)),
        SimLogin("##MS_PolicySigningCertificate##", "C", rng.randbytes(16)),
    ]
    windows = [
        SimLogin("CONTOSO\\jdoe", "U", _windows_sid(rng), default_database="SalesDB"),
        SimLogin("CONTOSO\\asmith", "U", _windows_sid(rng)),
        SimLogin("CONTOSO\\DBA Team", "G", _windows_sid(rng), roles={"sysadmin"}),
        SimLogin(f"{machine}\\svc_local", "U", _windows_sid(rng)),
        SimLogin("NT SERVICE\\SQLSERVERAGENT", "U", _windows_sid(rng), roles={"sysadmin"}),
        SimLogin("NT AUTHORITY\\SYSTEM", "U", b"\x01\x01\x00\x00\x00\x00\x00\x05\x12\x00\x00\x00"),
    ]
    for login in sql + windows:
        store.add(login)
    return {x.name: x.sid for x in sql + windows}


def seed_target_logins(store: LoginStore, rng: random.Random, admin: str) -> None:
    """A managed instance's own admin, a ``reporting_ro`` created there by hand earlier
    (another SID), and the Entra directory of contoso.com."""
    store.add(SimLogin(admin, "S", rng.randbytes(16), _hash(rng), roles={"sysadmin"}))
    store.add(SimLogin("reporting_ro", "S", rng.randbytes(16), _hash(rng)))
    store.entra_directory |= {"jdoe@contoso.com", "dba team"}


def source_users(sids: dict[str, bytes], rng: random.Random) -> dict[str, list[SimUser]]:
    """Database users on the source, by database name; one (``legacy_app``) is already
    orphaned there, and one is a contained user with no login."""

    def user(name: str, kind: str = "S") -> SimUser:
        return SimUser(name, kind, sids[name])

    return {
        "SalesDB": [
            user("app_sales"),
            user("reporting_ro"),
            user("CONTOSO\\jdoe", "U"),
            user("CONTOSO\\DBA Team", "G"),
            SimUser("legacy_app", "S", rng.randbytes(16)),
        ],
        "StagingETL": [user("etl_loader"), user("CONTOSO\\asmith", "U")],
        "InventoryHub": [user("app_sales"), SimUser("kiosk", "S", rng.randbytes(16), True)],
    }
