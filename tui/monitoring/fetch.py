"""One refresh (blocking, for a thread worker): the list of migrations, and the full detail of
the selected one only. Migrations already in a final state are not fetched again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.errors import DmsTuiError
from tui.models import MigrationDetail, MigrationSummary

if TYPE_CHECKING:
    from tui.controller import Controller


@dataclass(frozen=True)
class FetchRequest:
    """What one refresh should get. Built on the UI thread, read by the worker."""

    migration_ids: tuple[str, ...] = ()  # the project's migrations
    service_id: str = ""  # the DMS instance (list call; also "show every migration")
    show_all: bool = False  # every migration of the service, not only the project's
    selected_id: str = ""  # the one whose detail is shown
    final: frozenset[str] = frozenset()  # ids already final: their cached rows stay
    selected_cached_final: bool = False  # the selected one is final and its detail is cached


@dataclass(frozen=True)
class Snapshot:
    summaries: tuple[MigrationSummary, ...]
    detail: MigrationDetail | None
    errors: tuple[tuple[str, str], ...] = ()  # (migration id, message) per row that failed
    calls: int = 0


def fetch_round(controller: Controller, req: FetchRequest) -> Snapshot:
    """One refresh. Blocking: call from a thread worker. Raises ``DmsTuiError`` only when
    nothing at all could be read (so the caller backs off)."""
    summaries: dict[str, MigrationSummary] = {}
    errors: list[tuple[str, str]] = []
    calls = 0
    detail: MigrationDetail | None = None
    wanted = {i.lower(): i for i in req.migration_ids}
    final = {i.lower() for i in req.final}
    services = [req.service_id] if req.service_id else []
    if not services and not wanted:
        # neither a project nor an instance: every DMS instance the account can see
        calls += 1
        services = [s.id for s in controller.list_migration_services()]
    for service_id in services:
        calls += 1
        for s in controller.list_service_migrations(service_id):
            if req.show_all or s.id.lower() in wanted:
                summaries[s.id.lower()] = s
    missing = [i for k, i in wanted.items() if k not in summaries and k not in final]
    sel = req.selected_id.lower()
    first_error: DmsTuiError | None = None
    for mid in missing:
        try:
            calls += 1
            d = controller.get_migration(mid)
        except DmsTuiError as exc:
            first_error = first_error or exc
            errors.append((mid, exc.message))
            continue
        summaries[mid.lower()] = d.summary
        if mid.lower() == sel:
            detail = d
    if sel and detail is None and not req.selected_cached_final:
        calls += 1
        detail = controller.get_migration(req.selected_id)
        if sel in summaries or sel in wanted or req.show_all:
            summaries[sel] = detail.summary
    if first_error is not None and not summaries and detail is None:
        raise first_error
    return Snapshot(tuple(summaries.values()), detail, tuple(errors), calls)
