"""What changed among a SQL Database migration's tables between two reads of it, worked out
on the worker that made the second read (``fetch.fetch_round``), so the UI thread rewrites
the few rows that moved instead of comparing 20,000 tables itself.

Kept for the last two details read, like their totals (``tables.totals_of``): the table pane
takes the changes of the detail it is given when they are counted from the detail it shows
(``changes_for``), and compares every table itself otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from tui.models import MigrationDetail, TableProgress
from tui.monitoring.tables import same_progress


@dataclass(frozen=True)
class TableChanges:
    base: MigrationDetail  # the earlier read these changes are counted from
    changed: Mapping[str, TableProgress]  # the tables of the new read whose row moved, by name
    restated: tuple[TableProgress, ...] = ()  # those of them whose state changed


# by id of the new read; only the last few, as each holds two reads of every table
_CHANGES: dict[int, tuple[MigrationDetail, TableChanges]] = {}
KEPT = 2  # the selected migration's last read, and the one before while it is shown
_LOCK = threading.Lock()  # a worker fills it, the UI thread reads it


def count_changes(base: MigrationDetail, new: MigrationDetail) -> TableChanges | None:
    """The tables of ``new`` that moved since ``base`` — when both list the same tables in
    the same order (else ``None``: the pane compares them by name), and keep them for
    ``changes_for``. Blocking work: call it from the worker."""
    if base is new or base.id.lower() != new.id.lower() or len(base.tables) != len(new.tables):
        return None
    changed: dict[str, TableProgress] = {}
    restated = []
    for old, t in zip(base.tables, new.tables, strict=True):
        if old.name != t.name:
            return None
        if not same_progress(old, t):
            changed[t.name] = t
            if old.status != t.status:
                restated.append(t)
    changes = TableChanges(base, changed, tuple(restated))
    with _LOCK:
        if len(_CHANGES) >= KEPT:
            del _CHANGES[next(iter(_CHANGES))]
        _CHANGES[id(new)] = (new, changes)
    return changes


def changes_for(new: MigrationDetail) -> TableChanges | None:
    """The changes counted for ``new``, if any were."""
    hit = _CHANGES.get(id(new))
    return hit[1] if hit is not None and hit[0] is new else None
