"""Post-cutover validation: per-table row counts, source against target.

``compare`` pairs two lists of ``TableRowCount`` and puts mismatches (and tables missing
on one side) first. ``validate`` reads both sides through the source layer — the sandbox's
simulated servers, or real ones over pyodbc — blocking: call it from a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from tui.models import RowCountComparison, TableRowCount


@dataclass(frozen=True)
class ValidationReport:
    migration_id: str
    source_database: str
    target_database: str
    source_server: str
    target_server: str
    rows: tuple[RowCountComparison, ...]

    @property
    def mismatches(self) -> int:
        return sum(1 for r in self.rows if not r.matches)

    @property
    def source_total(self) -> int:
        return sum(r.source_rows or 0 for r in self.rows)

    @property
    def target_total(self) -> int:
        return sum(r.target_rows or 0 for r in self.rows)


def compare(source: Iterable[TableRowCount],
            target: Iterable[TableRowCount]) -> tuple[RowCountComparison, ...]:
    src = {t.full_name.lower(): t for t in source}
    tgt = {t.full_name.lower(): t for t in target}
    names = {**{k: v.full_name for k, v in tgt.items()}, **{k: v.full_name for k, v in src.items()}}
    rows = [RowCountComparison(table=names[k],
                               source_rows=src[k].rows if k in src else None,
                               target_rows=tgt[k].rows if k in tgt else None)
            for k in names]
    rows.sort(key=lambda r: (r.matches, r.table.lower()))
    return tuple(rows)


def validate(context: Any, detail: Any, source_params: Any, target_params: Any) -> ValidationReport:
    """Count rows on both sides of ``detail`` (a ``MigrationDetail``). Blocking."""
    source = context.open_source(source_params)
    try:
        src_counts = source.row_counts(detail.source_database)
    finally:
        _close(source)
    target = context.open_source(target_params)
    try:
        tgt_counts = target.row_counts(detail.target_database)
    finally:
        _close(target)
    return ValidationReport(
        migration_id=detail.id, source_database=detail.source_database,
        target_database=detail.target_database, source_server=source_params.server,
        target_server=target_params.server, rows=compare(src_counts, tgt_counts))


def _close(source: Any) -> None:
    try:
        source.close()
    except Exception:  # noqa: BLE001 - closing is best effort
        pass
