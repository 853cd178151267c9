"""Azure SQL Database targets: every table's copy progress, its totals, columns and sort keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.models import TableProgress
from tui.monitoring.fmt import WIDE, bar, fmt_duration


@dataclass(frozen=True)
class TableTotals:
    tables: int
    rows_read: int
    rows_copied: int
    by_status: tuple[tuple[str, int], ...]
    throughput: float

    @property
    def percent(self) -> float:
        if self.rows_read <= 0:
            return 0.0 if self.tables else 100.0
        return min(100.0, 100.0 * self.rows_copied / self.rows_read)


def table_totals(tables: Iterable[TableProgress]) -> TableTotals:
    n = read = copied = 0
    tp = 0.0
    by: dict[str, int] = {}
    for t in tables:
        n += 1
        read += t.rows_read
        copied += t.rows_copied
        tp += t.throughput
        by[t.status or "?"] = by.get(t.status or "?", 0) + 1
    return TableTotals(n, read, copied, tuple(sorted(by.items())), tp)


TABLE_COLUMNS = ("Table", "Status", "Read", "Copied", "Progress", "KB/s", "Duration")


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


def table_sort_value(t: TableProgress, column: int) -> Any:
    return (
        t.name.lower(),
        t.status.lower(),
        t.rows_read,
        t.rows_copied,
        t.percent,
        t.throughput,
        t.copy_duration,
    )[column]
