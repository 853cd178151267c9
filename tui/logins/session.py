"""The login step's blocking operations, for a screen's worker or a script.

Each opens the server(s) it needs through the app's context (the sandbox's simulated
servers or real ones over pyodbc), does one thing, and closes them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.logins.apply import apply_plan, fix_orphans
from tui.logins.endpoint import LoginEndpoint, endpoint_for
from tui.logins.models import LoginResult, PlanItem, PresentLogin, SourceLogin

if TYPE_CHECKING:
    from tui.context import AppContext, SourceParams


@dataclass(frozen=True)
class Reading:
    """What both servers hold, read once; the plan is made from it (and made again when
    the DBA changes the Entra domain, without reading again)."""

    logins: tuple[SourceLogin, ...]
    present: tuple[PresentLogin, ...]
    target_databases: tuple[str, ...]
    source_machine: str


@contextmanager
def _opened(context: AppContext, params: SourceParams) -> Iterator[Any]:
    server = context.open_source(params)
    try:
        yield server
    finally:
        server.close()


def _endpoint(server: Any) -> LoginEndpoint:
    return endpoint_for(server)


def read(context: AppContext, source: SourceParams, target: SourceParams) -> Reading:
    with _opened(context, source) as src:
        machine = src.server_info().server_name
        logins = _endpoint(src).read_logins()
    with _opened(context, target) as tgt:
        present = _endpoint(tgt).present_logins()
        databases = [d.name for d in tgt.databases()]
    return Reading(tuple(logins), tuple(present), tuple(databases), machine)


def apply(
    context: AppContext, target: SourceParams, items: Sequence[PlanItem]
) -> tuple[list[LoginResult], tuple[PresentLogin, ...]]:
    """Create the chosen logins; also returns the target's logins read afterwards."""
    with _opened(context, target) as tgt:
        endpoint = _endpoint(tgt)
        results = apply_plan(endpoint, items)
        return results, tuple(endpoint.present_logins())


def map_orphans(
    context: AppContext, target: SourceParams, databases: Sequence[str], plan: Sequence[PlanItem]
) -> list[LoginResult]:
    with _opened(context, target) as tgt:
        return fix_orphans(_endpoint(tgt), databases, plan)
