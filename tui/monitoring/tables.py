"""Azure SQL Database targets: every table's copy progress, its totals, the order the tables
are listed in, the filter over them, columns, sort keys and the estimate of what is left.

What Azure reports per table is the rows read and copied so far: a table still waiting
(PreparingForCopy) reads 0 of a count nobody has told us yet. So the progress that tells the
truth is the tables: how many are done of how many there are. The rows copied are given of
the rows read so far, with how many tables are not read yet.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from tui.models import MigrationDetail, TableProgress
from tui.monitoring.fmt import WIDE, bar, fmt_duration

# Table copy states (DMS: PreparingForCopy, Copying, CopyFinished, RebuildingIndexes,
# Succeeded, Failed, Canceled; older answers: Queued, InProgress, Cancelled).
_DONE = frozenset({"succeeded"})
_ROWS_COPIED = frozenset({"copyfinished", "rebuildingindexes", "succeeded"})
_FAILED = frozenset({"failed", "canceled", "cancelled"})
_WAITING = frozenset({"", "preparingforcopy", "queued"})

# The order tables are listed in until the DBA sorts: what needs attention, then what is
# being copied now, then what waits, then what is done.
RANK_FAILED, RANK_IN_FLIGHT, RANK_WAITING, RANK_DONE = range(4)


_RANKS: dict[str, int] = {}  # by state as Azure spells it: a few distinct values


def table_rank(status: str) -> int:
    rank = _RANKS.get(status)
    if rank is None:
        s = status.lower()
        rank = _RANKS[status] = (
            RANK_FAILED
            if s in _FAILED
            else RANK_DONE
            if s in _DONE
            else RANK_WAITING
            if s in _WAITING
            else RANK_IN_FLIGHT
        )
    return rank


@dataclass(frozen=True)
class TableTotals:
    tables: int
    rows_read: int  # read so far, by every table
    rows_copied: int  # copied so far; a table still waiting counts none
    by_status: tuple[tuple[str, int], ...]
    throughput: float
    done: int = 0  # Succeeded
    in_flight: int = 0  # copying, copy finished, rebuilding indexes
    waiting: int = 0  # PreparingForCopy (or Queued): not read yet
    failed: int = 0  # Failed or Canceled

    @property
    def percent(self) -> float:
        """Tables done of all tables (the rows still to copy are not known while tables
        wait)."""
        if self.tables <= 0:
            return 0.0
        return 100.0 * self.done / self.tables

    @property
    def rows_percent(self) -> float:
        """Rows copied of the rows read so far."""
        if self.rows_read <= 0:
            return 0.0 if self.tables else 100.0
        return min(100.0, 100.0 * self.rows_copied / self.rows_read)

    def lines(self) -> tuple[str, str]:
        """The two lines above the tables: tables by state, then rows."""
        tables = (
            f"Tables {self.done:,} of {self.tables:,} done · {self.in_flight:,} in progress · "
            f"{self.waiting:,} waiting · {self.failed:,} failed"
            if self.tables
            else "No tables reported yet"
        )
        if self.waiting:
            rows = (
                f"Rows {self.rows_copied:,} copied of {self.rows_read:,} read so far; "
                f"{self.waiting:,} tables not read yet"
            )
        else:
            rows = f"Rows {self.rows_copied:,} of {self.rows_read:,} ({self.rows_percent:.0f}%)"
        return tables, rows


def same_progress(old: TableProgress, new: TableProgress) -> bool:
    """Nothing the table pane shows of the table moved (its row stays as it is)."""
    return old is new or (
        old.rows_copied == new.rows_copied
        and old.status == new.status
        and old.rows_read == new.rows_read
        and old.copy_duration == new.copy_duration
        and old.throughput == new.throughput
    )


def table_totals(tables: Sequence[TableProgress]) -> TableTotals:
    statuses = Counter(map(attrgetter("status"), tables))
    by_rank = [0, 0, 0, 0]
    for status, n in statuses.items():
        by_rank[table_rank(status)] += n
    copied = sum(map(attrgetter("rows_copied"), tables))
    if by_rank[RANK_WAITING]:  # nothing copied yet, whatever a stale answer says
        copied -= sum(t.rows_copied for t in tables if table_rank(t.status) == RANK_WAITING)
    return TableTotals(
        tables=len(tables),
        rows_read=sum(map(attrgetter("rows_read"), tables)),
        rows_copied=copied,
        by_status=tuple(sorted((s or "?", n) for s, n in statuses.items())),
        throughput=sum(map(attrgetter("throughput"), tables)),
        done=by_rank[RANK_DONE],
        in_flight=by_rank[RANK_IN_FLIGHT],
        waiting=by_rank[RANK_WAITING],
        failed=by_rank[RANK_FAILED],
    )


# The totals of the last few details, so that the title, the pane and the history, which
# all want them, count 20,000 tables once per refresh — on the worker that read the detail
# (``fetch.fetch_round``), not on the UI thread. The detail is kept with them, so its id is
# not reused while it is here.
_TOTALS: dict[int, tuple[MigrationDetail, TableTotals]] = {}
_TOTALS_LOCK = threading.Lock()  # the UI thread and a worker both fill it


def totals_of(detail: MigrationDetail) -> TableTotals:
    hit = _TOTALS.get(id(detail))
    if hit is not None and hit[0] is detail:
        return hit[1]
    totals = table_totals(detail.tables)
    with _TOTALS_LOCK:
        if len(_TOTALS) >= 8:
            del _TOTALS[next(iter(_TOTALS))]
        _TOTALS[id(detail)] = (detail, totals)
    return totals


def estimate_text(totals: TableTotals, tables_per_second: float | None, final: bool) -> str:
    """What is left, from the rate at which tables were seen finishing."""
    if final:
        return ""
    left = totals.tables - totals.done - totals.failed
    if not totals.tables or left <= 0:
        return "Estimate: finishing (every table copied or stopped)"
    if not tables_per_second:
        return "Estimate: after tables are seen finishing (a few refreshes)"
    per_minute = tables_per_second * 60
    rate = f"{per_minute:,.0f}" if per_minute >= 10 else f"{per_minute:.1f}"
    return (
        f"Estimate: about {fmt_duration(left / tables_per_second)} left "
        f"({left:,} tables at {rate} tables/min)"
    )


def progress_bar(totals: TableTotals, width: int = 30) -> str:
    return f"{bar(totals.percent, width)} of tables"


TABLE_COLUMNS = ("Table", "Status", "Read", "Copied", "Progress", "KB/s", "Duration")
TABLE_WIDTHS = (None, 17, 12, 12, 13, 8, 8)


def table_columns(width: int) -> tuple[int, ...]:
    """Narrow terminals show Table, Status and Progress (the totals line above the table
    has the rows read and copied)."""
    if width >= WIDE:
        return tuple(range(len(TABLE_COLUMNS)))
    return (0, 1, 4)


def table_cells(t: TableProgress) -> tuple[str, ...]:
    return (
        t.name,
        t.status or "?",
        f"{t.rows_read:,}",
        f"{t.rows_copied:,}",
        bar(t.percent, 8),
        f"{t.throughput:,.0f}",
        fmt_duration(t.copy_duration),
    )


def table_matches(t: TableProgress, words: Sequence[str]) -> bool:
    """The filter over tables: every word (lower case) in the table's name or state."""
    if not words:
        return True
    hay = f"{t.name} {t.status}".lower()
    return all(w in hay for w in words)


def table_sort_value(t: TableProgress, column: int) -> Any:
    if column == 0:
        return t.name.lower()
    if column == 1:
        return t.status.lower()
    return (
        None,
        None,
        t.rows_read,
        t.rows_copied,
        t.percent,
        t.throughput,
        t.copy_duration,
    )[column]
