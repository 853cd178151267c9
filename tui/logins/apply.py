"""Applying a login plan on the target, one login at a time, and mapping orphaned users.

Each ``CREATE LOGIN`` is sent once. When its answer is an error — or is lost — the
target's logins are read again and the result says what the target holds: a login that
exists after a lost answer is reported as created, not as failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tui.logins.endpoint import LoginEndpoint
from tui.logins.models import Action, DatabaseUser, LoginResult, Outcome, PlanItem
from tui.source.errors import SourceError

Report = Callable[[LoginResult], object]


def _code(err: SourceError) -> str:
    return str(err.native_code or err.sqlstate or "")


def apply_plan(
    endpoint: LoginEndpoint, items: Iterable[PlanItem], on_result: Report | None = None
) -> list[LoginResult]:
    """Create each CREATE item; report the others as they stand. Never drops anything."""
    results = []
    for item in items:
        result = _apply_one(endpoint, item)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _apply_one(endpoint: LoginEndpoint, item: PlanItem) -> LoginResult:
    name = item.target_name
    if item.action is Action.SKIP:
        return LoginResult(name, Outcome.SKIPPED, item.what)
    if item.action is not Action.CREATE:
        return LoginResult(name, Outcome.PRESENT, item.what)
    try:
        problems = endpoint.create_login(item)
    except SourceError as err:
        return _after_error(endpoint, item, err)
    message = "created" + (" as on the source" if not item.external else "")
    if item.notes:
        message += "; " + "; ".join(item.notes)
    if problems:
        message += "; but: " + "; ".join(problems)
    return LoginResult(name, Outcome.CREATED, message + ".")


def _after_error(endpoint: LoginEndpoint, item: PlanItem, err: SourceError) -> LoginResult:
    name = item.target_name
    words = err.detail or err.message
    try:
        present = {p.name.lower() for p in endpoint.present_logins()}
    except SourceError as again:
        return LoginResult(
            name,
            Outcome.FAILED,
            f"{words} The target could not be read afterwards ({again.message}), so whether "
            "the login exists there is not known: look before running it again.",
            _code(err),
        )
    if name.lower() in present:
        return LoginResult(
            name,
            Outcome.CREATED,
            f"the server's answer was an error ({words}), but the login is on the target "
            "now: check its roles and permissions.",
            _code(err),
        )
    hint = f" {err.hint}" if err.hint else ""
    return LoginResult(name, Outcome.FAILED, f"not created: {words}{hint}", _code(err))


def orphan_mapping(
    users: Sequence[DatabaseUser], items: Iterable[PlanItem], present: Iterable[str]
) -> list[tuple[DatabaseUser, str | None]]:
    """Each orphaned user with the target login it maps to (``None``: no such login).

    A user matches the source login of the same name (or SID); it maps to that login's
    name on the target — the Entra name for a Windows login on a managed instance."""
    by_name = {i.login.name.lower(): i for i in items}
    by_sid = {i.login.sid: i for i in items if i.login.sid}
    there = {p.lower() for p in present}
    out: list[tuple[DatabaseUser, str | None]] = []
    for user in users:
        item = by_sid.get(user.sid) or by_name.get(user.name.lower())
        login = item.target_name if item is not None else user.name
        out.append((user, login if login.lower() in there else None))
    return out


def fix_orphans(
    endpoint: LoginEndpoint,
    databases: Iterable[str],
    items: Sequence[PlanItem],
    on_result: Report | None = None,
) -> list[LoginResult]:
    """Map every orphaned user in ``databases`` to its login; report the ones left."""
    results = []
    present = [p.name for p in endpoint.present_logins()]
    for database in databases:
        users = endpoint.orphaned_users(database)
        for user, login in orphan_mapping(users, items, present):
            label = f"{database}: user {user.name}"
            if login is None:
                result = LoginResult(
                    label, Outcome.SKIPPED, "no login of that name on the target; left as it is."
                )
            else:
                try:
                    endpoint.map_user(database, user.name, login)
                    result = LoginResult(label, Outcome.MAPPED, f"mapped to login {login}.")
                except SourceError as err:
                    result = LoginResult(
                        label, Outcome.FAILED, err.detail or err.message, _code(err)
                    )
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results
