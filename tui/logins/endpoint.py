"""Where logins are read and created: a real SQL Server over pyodbc, or the sandbox's.

``LoginEndpoint`` is what ``apply`` and the screens use. ``SqlServerLogins`` implements it
over a ``tui.source.SqlServerSource`` (the source for reading, the target for creating);
the sandbox's ``SimulatedSqlServer`` implements it directly. Every method blocks: call it
from a worker. Errors are ``tui.source.SourceError`` with the SQL Server number kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tui.logins import inventory, tsql
from tui.logins.models import DatabaseUser, PlanItem, PresentLogin, SourceLogin
from tui.source.errors import SourceError, SourceErrorKind

if TYPE_CHECKING:
    from tui.source.server import SqlServerSource


@runtime_checkable
class LoginEndpoint(Protocol):
    def read_logins(self) -> list[SourceLogin]:
        """The server's logins, with roles and permissions (system ones left out)."""

    def present_logins(self) -> list[PresentLogin]:
        """Every login on the server, for comparing a plan against it."""

    def create_login(self, item: PlanItem) -> list[str]:
        """Create the planned login, then its roles, permissions and disabled state. Raises
        ``SourceError`` if the login was not created; returns the problems with what
        followed (a role the target lacks, say), each in plain words."""

    def orphaned_users(self, database: str) -> list[DatabaseUser]:
        """Users of ``database`` whose SID matches no login on this server."""

    def map_user(self, database: str, user: str, login: str) -> None:
        """``ALTER USER user WITH LOGIN = login`` in ``database``."""


def endpoint_for(server: Any) -> LoginEndpoint:
    """The ``LoginEndpoint`` for an opened source or target (``Source``)."""
    if isinstance(server, LoginEndpoint):
        return server
    from tui.source.server import SqlServerSource

    if isinstance(server, SqlServerSource):
        return SqlServerLogins(server)
    raise TypeError(f"logins cannot be read from {type(server).__name__}")


class SqlServerLogins:
    """``LoginEndpoint`` over a real server (pyodbc)."""

    def __init__(self, server: SqlServerSource) -> None:
        self.server = server

    def read_logins(self) -> list[SourceLogin]:
        logins, roles, perms = self.server.run_batch(
            inventory.LOGINS_TSQL, 3, action="reading the logins"
        )
        return inventory.source_logins(logins, roles, perms)

    def present_logins(self) -> list[PresentLogin]:
        (rows,) = self.server.run_batch(
            inventory.PRESENT_TSQL, 1, action="reading the target's logins"
        )
        return inventory.present_logins(rows)

    def create_login(self, item: PlanItem) -> list[str]:
        try:
            create = tsql.create_login(item)
            follow = tsql.grants(item)
        except ValueError as exc:
            raise SourceError(str(exc), kind=SourceErrorKind.INVALID_ARGUMENT) from None
        self.server.run_batch(create, 0, action=f"creating the login {item.target_name}")
        problems = []
        for statement in follow:
            try:
                self.server.run_batch(statement, 0, action=f"granting to {item.target_name}")
            except SourceError as err:
                shown = statement.split(" TO ")[0].split(" ADD MEMBER ")[0]
                problems.append(f"{shown}: {err.detail or err.message}")
        return problems

    def orphaned_users(self, database: str) -> list[DatabaseUser]:
        (rows,) = self.server.run_batch(
            tsql.orphaned_users_tsql(database),
            1,
            action=f"looking for orphaned users in {database}",
            database=database,
        )
        return [
            DatabaseUser(database, str(r["name"]), str(r["type"]).strip(), bytes(r["sid"]))
            for r in rows
        ]

    def map_user(self, database: str, user: str, login: str) -> None:
        self.server.run_batch(
            tsql.map_user_tsql(database, user, login),
            0,
            action=f"mapping the user {user} in {database}",
            database=database,
        )
