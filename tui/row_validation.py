"""Post-cutover validation: per-table row counts, source against target.

``compare`` pairs two lists of ``TableRowCount`` and puts mismatches (and tables missing
on one side) first. ``validate`` reads both sides through the source layer — the sandbox's
simulated servers, or real ones over pyodbc — blocking: call it from a worker.

After ``BACKUP LOG ... WITH NORECOVERY`` the source database is RESTORING and can't be
counted, so the cutover dialog counts the source just before it takes the tail-log backup
(``count_rows`` → ``SourceCounts``, kept in memory for the session) and ``validate`` uses
those counts for the source side. When the source can't be counted and no such counts
exist, the report says why (``source_error``) and shows the target's counts alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.models import MigrationDetail, RowCountComparison, TableRowCount

if TYPE_CHECKING:
    from tui.context import AppContext, SourceParams
    from tui.source.base import Source

BEFORE_TAIL = "just before the tail-log backup"


@dataclass(frozen=True)
class SourceCounts:
    """The source's row counts taken at ``counted_at`` (traffic stopped, so final)."""

    migration_id: str
    database: str
    counts: tuple[TableRowCount, ...]
    counted_at: datetime
    when: str = BEFORE_TAIL


@dataclass(frozen=True)
class ValidationReport:
    migration_id: str
    source_database: str
    target_database: str
    source_server: str
    target_server: str
    rows: tuple[RowCountComparison, ...]
    source_counted_at: datetime | None = None  # set when earlier counts stood in for the source
    source_when: str = ""  # e.g. "just before the tail-log backup"
    source_error: str = ""  # why the source could not be counted (nothing compared then)

    @property
    def compared(self) -> bool:
        return not self.source_error

    @property
    def mismatches(self) -> int:
        if not self.compared:
            return 0
        return sum(1 for r in self.rows if not r.matches)

    @property
    def source_total(self) -> int:
        return sum(r.source_rows or 0 for r in self.rows)

    @property
    def target_total(self) -> int:
        return sum(r.target_rows or 0 for r in self.rows)


def compare(
    source: Iterable[TableRowCount], target: Iterable[TableRowCount]
) -> tuple[RowCountComparison, ...]:
    src = {t.full_name.lower(): t for t in source}
    tgt = {t.full_name.lower(): t for t in target}
    names = {**{k: v.full_name for k, v in tgt.items()}, **{k: v.full_name for k, v in src.items()}}
    rows = [
        RowCountComparison(
            table=names[k],
            source_rows=src[k].rows if k in src else None,
            target_rows=tgt[k].rows if k in tgt else None,
        )
        for k in names
    ]
    rows.sort(key=lambda r: (r.matches, r.table.lower()))
    return tuple(rows)


def count_rows(
    context: AppContext, params: SourceParams, database: str
) -> tuple[TableRowCount, ...]:
    """Row counts of every table of ``database`` on the server ``params`` reaches. Blocking."""
    server = context.open_source(params)
    try:
        return tuple(server.row_counts(database))
    finally:
        _close(server)


def source_error_text(exc: BaseException) -> str:
    """Why the source can't be counted, in plain words (the SQL error's own message)."""
    message = getattr(exc, "message", "") or str(exc)
    code = getattr(exc, "code", "")
    text = f"{message} [{code}]" if code else message
    low = message.lower()
    if "restor" in low or "927" in str(code):
        text += (
            " The source database is RESTORING: a tail-log backup WITH NORECOVERY was "
            "taken outside this tool, so its rows can no longer be counted. Take the "
            "tail-log backup from the cutover dialog (ctrl+t): it counts the source "
            "first and keeps those counts for this check."
        )
    return text


def validate(
    context: AppContext,
    detail: MigrationDetail,
    source_params: SourceParams,
    target_params: SourceParams,
    *,
    source_counts: SourceCounts | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Count rows on both sides of ``detail``. Blocking.

    ``source_counts`` (taken before the tail-log backup) stand in for the source when given.
    A source that can't be counted is reported in ``source_error``; a target that can't be
    counted raises. ``progress`` is told, in words, what is being done (called from this
    thread; a database of 10,000 tables takes a while on each side)."""
    say = progress or (lambda _text: None)
    src_counts: tuple[TableRowCount, ...] = ()
    error = ""
    if source_counts is not None:
        src_counts = source_counts.counts
    else:
        say(f"Counting the rows of every table on the source, {detail.source_database} (1 of 2)")
        try:
            src_counts = count_rows(context, source_params, detail.source_database)
        except Exception as exc:  # noqa: BLE001 - reported, the target is still counted
            error = source_error_text(exc)
    say(f"Counting the rows of every table on the target, {detail.target_database} (2 of 2)")
    tgt_counts = count_rows(context, target_params, detail.target_database)
    say(f"Comparing {len(tgt_counts):,} tables")
    if error:
        rows = tuple(
            sorted(
                (RowCountComparison(t.full_name, None, t.rows) for t in tgt_counts),
                key=lambda r: r.table.lower(),
            )
        )
    else:
        rows = compare(src_counts, tgt_counts)
    return ValidationReport(
        migration_id=detail.id,
        source_database=detail.source_database,
        target_database=detail.target_database,
        source_server=source_params.server,
        target_server=target_params.server,
        rows=rows,
        source_counted_at=source_counts.counted_at if source_counts else None,
        source_when=source_counts.when if source_counts else "",
        source_error=error,
    )


def validate_on_target(
    context: AppContext,
    detail: MigrationDetail,
    source_params: SourceParams,
    login: SourceParams | None,
    *,
    source_counts: SourceCounts | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """``validate`` with the target's address read from Azure and ``login`` (the source's
    login when None) for the target. Blocking; ``progress`` as for ``validate``."""
    from dataclasses import replace

    from tui.errors import DmsTuiError

    fqdn = next(
        (
            t.fqdn
            for t in context.azure.list_targets(detail.kind)
            if t.id.lower() == detail.target_id.lower()
        ),
        "",
    )
    if not fqdn:
        raise DmsTuiError(
            "The target server's address is not known.",
            code="NoTargetAddress",
            hint="Check the target still exists in Azure.",
        )
    target = replace(login or source_params, server=fqdn, port=1433)
    return validate(
        context, detail, source_params, target, source_counts=source_counts, progress=progress
    )


def _close(source: Source) -> None:
    try:
        source.close()
    except Exception:  # noqa: BLE001 - closing is best effort
        pass
