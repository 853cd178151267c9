"""A project's typed settings: the source server (``SourceSettings``, step 4) and the
migration choices (``MigrationSettings``, steps 5 and 7), and their TOML tables.

Files written by any earlier version keep loading: a key that is missing takes its default,
and a key this version does not know is kept as it was (``extra``) and written back. The
values' types were checked (``project_schema``) before a file's tables get here. No secret
is ever a field here: passwords and keys live in memory only (``wizard_state.Secrets``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from tui.context import SourceParams

T = TypeVar("T", bound="_Table")


class _Table:
    """A dataclass read from and written to one TOML table; unknown keys ride in ``extra``."""

    extra: dict[str, Any]

    @classmethod
    def from_table(cls: type[T], table: object) -> T:
        """``table`` (a TOML table, or already one of these) as this dataclass."""
        if isinstance(table, cls):
            return table
        items = dict(table).items() if isinstance(table, Mapping) else ()
        known = {f.name for f in fields(cast(Any, cls))} - {"extra"}
        given = {k: copy.deepcopy(v) for k, v in items if k in known}
        extra = {k: copy.deepcopy(v) for k, v in items if k not in known}
        made: T = cast(Any, cls)(**given, extra=extra)
        return made

    def to_table(self) -> dict[str, Any]:
        data = {k: copy.deepcopy(v) for k, v in self.extra.items()}
        for f in fields(cast(Any, self)):
            if f.name != "extra":
                data[f.name] = copy.deepcopy(getattr(self, f.name))
        return data


@dataclass
class SourceSettings(_Table):
    """How the jump box and DMS reach the source SQL Server (the password is not here)."""

    server: str = ""
    port: int = 1433
    authentication: str = "sql"  # sql, windows, entra
    user: str = ""
    encrypt: bool = True
    trust_server_certificate: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self, password: str = "") -> SourceParams:
        """The connection the jump box opens (``password`` typed this session)."""
        from tui.context import SourceParams

        return SourceParams(
            server=self.server,
            port=self.port or 1433,
            authentication=self.authentication or "sql",
            user=self.user,
            password=password,
            encrypt=self.encrypt,
            trust_server_certificate=self.trust_server_certificate,
        )


@dataclass
class MigrationSettings(_Table):
    """Online or offline, where the backups are, target names, last backups, tables."""

    mode: str = "online"  # online, offline (SQL Database targets: always offline)
    backup: str = ""  # blob, share; "" until chosen on step 7
    storage_account_id: str = ""  # blob: holds the backups; share: DMS uploads them there
    container: str = ""
    blob_auth: str = "AccountKey"  # AccountKey, ManagedIdentity
    share_path: str = ""
    share_user: str = ""
    target_user: str = ""  # SQL Database: the SQL login DMS uses on the target server
    target_fqdn: str = ""
    target_names: dict[str, str] = field(default_factory=dict)  # source db -> target db
    last_backup: dict[str, str] = field(default_factory=dict)  # offline: source db -> file
    tables: dict[str, list[str]] = field(default_factory=dict)  # SQL DB: [] = all tables
    # TDE: source db -> the target id its certificate was uploaded to (or, for a SQL VM,
    # restored on, as the DBA confirmed); no certificate or password is ever kept
    tde_certificates: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def online(self) -> bool:
        return self.mode != "offline"

    @property
    def managed_identity(self) -> bool:
        return self.blob_auth == "ManagedIdentity"
