"""One refresh (blocking, for a thread worker): the list of migrations, the full detail of
the selected one (the first listed when none is yet), and of the few others the stall detector
asks to look at again (on the first load, of the first few running ones listed: their state
is right in the first frame, not rewritten a refresh later). Migrations already in a final
state are not fetched again; in "every migration of the DMS instances" mode the instances are
listed once, then again only when asked (``Instances.expire``, the monitor's ``r``), every few
minutes, or after one is gone."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tui.errors import AzureError, DmsTuiError
from tui.models import MigrationDetail, MigrationSummary, TargetKind
from tui.monitoring.table_changes import count_changes
from tui.monitoring.tables import totals_of

if TYPE_CHECKING:
    from tui.controller import Controller


RELIST_INSTANCES_EVERY = 300.0  # seconds: an instance made or deleted elsewhere shows by then


class Instances:
    """The DMS instances the account can see, as last listed: what "every migration of the
    DMS instances" refreshes from, so a refresh costs one request per instance and no more.

    Listed on first use, then again once ``every`` seconds have passed or after ``expire``
    (asked for from the UI thread while a fetch may be running on a worker: an expiry that
    arrives during a listing is kept for the next one)."""

    def __init__(
        self, every: float = RELIST_INSTANCES_EVERY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every = every
        self._clock = clock
        self._ids: tuple[str, ...] | None = None
        self._listed_at = 0.0
        self._asked = 0  # expiries asked for
        self._listed_for = 0  # the expiries the current list answers

    def expire(self) -> None:
        """List the instances again at the next refresh."""
        self._asked += 1

    def due(self) -> bool:
        return (
            self._ids is None
            or self._listed_for != self._asked
            or self._clock() - self._listed_at >= self.every
        )

    def ids(self, controller: Controller) -> tuple[tuple[str, ...], bool]:
        """The instances' ids, and whether they were listed just now (blocking)."""
        if not self.due() and self._ids is not None:
            return self._ids, False
        asked = self._asked
        self._ids = tuple(s.id for s in controller.list_migration_services())
        self._listed_at, self._listed_for = self._clock(), asked
        return self._ids, True


@dataclass(frozen=True)
class FetchRequest:
    """What one refresh should get. Built on the UI thread, read by the worker."""

    migration_ids: tuple[str, ...] = ()  # the project's migrations
    service_id: str = ""  # the DMS instance (list call; also "show every migration")
    show_all: bool = False  # every migration of the service, not only the project's
    selected_id: str = ""  # the one whose detail is shown
    final: frozenset[str] = frozenset()  # ids already final: their cached rows stay
    selected_cached_final: bool = False  # the selected one is final and its detail is cached
    # every migration of the DMS instances: the instances as last listed (None: list them)
    instances: Instances | None = None
    also: tuple[str, ...] = ()  # others whose detail to read too (the stall detector's)
    first_detail: bool = False  # nothing selected yet: the first listed one's detail too
    # with that first detail, also this many other running ones' (see ``watched``)
    first_others: int = 0
    # the selected one's detail as last shown: what its tables' changes are counted from
    shown: MigrationDetail | None = None


def watched(summary: MigrationSummary) -> bool:
    """A migration whose detail the monitor reads even when it is not highlighted: running,
    to a managed instance or a VM (its backups, restores and stalls are in the detail only)."""
    return summary.kind != TargetKind.SQL_DB and summary.status.is_active


@dataclass(frozen=True)
class Snapshot:
    summaries: tuple[MigrationSummary, ...]
    detail: MigrationDetail | None
    errors: tuple[tuple[str, str], ...] = ()  # (migration id, message) per row that failed
    calls: int = 0
    others: tuple[MigrationDetail, ...] = ()  # the details read besides the selected one


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
    instances = None
    if not services and not wanted:
        # neither a project nor an instance: every DMS instance the account can see
        instances = req.instances or Instances()
        ids, listed = instances.ids(controller)
        services, calls = list(ids), calls + listed
    for service_id in services:
        calls += 1
        try:
            listed_migrations = controller.list_service_migrations(service_id)
        except AzureError as exc:
            if instances is None or exc.status != 404:
                raise
            instances.expire()  # deleted since it was listed: so are its migrations
            continue
        for s in listed_migrations:
            if req.show_all or s.id.lower() in wanted:
                summaries[s.id.lower()] = s
    missing = [i for k, i in wanted.items() if k not in summaries and k not in final]
    sel = req.selected_id.lower()
    if not sel and req.first_detail and summaries:
        # the list's first row is highlighted as soon as it is shown: its detail comes with it
        first = next(iter(summaries.values()))
        sel = first.id.lower()
        others_first = [s.id for k, s in summaries.items() if k != sel and watched(s)]
        req = replace(
            req, selected_id=first.id, also=(*req.also, *others_first[: req.first_others])
        )
    first_error: DmsTuiError | None = None
    others: dict[str, MigrationDetail] = {}
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
        else:
            others[mid.lower()] = d
    if sel and detail is None and not req.selected_cached_final:
        calls += 1
        detail = controller.get_migration(req.selected_id)
        if sel in summaries or sel in wanted or req.show_all:
            summaries[sel] = detail.summary
    for mid in req.also:
        key = mid.lower()
        if key == sel or key in others or key in final:
            continue
        try:
            calls += 1
            others[key] = controller.get_migration(mid)
        except DmsTuiError as exc:
            errors.append((mid, exc.message))
    if first_error is not None and not summaries and detail is None:
        raise first_error
    for read in (detail, *others.values()):
        if read is not None and read.tables:
            totals_of(read)  # counted here, on the worker: the screen finds them made
    if detail is not None and detail.tables and req.shown is not None:
        count_changes(req.shown, detail)  # so is what the table pane has to rewrite
    return Snapshot(tuple(summaries.values()), detail, tuple(errors), calls, tuple(others.values()))
