"""SqlDb migrations (offline): Azure Data Factory pipelines copy the tables, several at a time.

Tables without rows are skipped, as DMS does. Each table moves PreparingForCopy -> Copying ->
RebuildingIndexes -> Succeeded on a schedule fixed when the copy starts (or is retried).
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

from .clock import iso
from .migrations import Migration
from .sqlserver import SimDatabase, SimTable

SQLDB_STARTUP_SECONDS = 20.0
SQLDB_FINALIZE_SECONDS = 5.0
SQLDB_PARALLEL_TABLES = 8


@dataclass
class TableCopy:
    table: SimTable
    prep_start: float = 0.0
    copy_start: float = 0.0
    copy_end: float = 0.0
    rebuild_end: float = 0.0
    throughput: float = 0.0  # KB/s
    parallel_type: str = "None"
    used_parallel: int = 1
    stopped_at: float | None = None  # canceled / failed at
    stop_status: str = ""
    _answer: tuple[tuple, dict] | None = field(default=None, repr=False, compare=False)

    def status(self, now: float) -> str:
        if self.stopped_at is not None and now >= self.stopped_at:
            return self.stop_status
        t = now
        if t >= self.rebuild_end:
            return "Succeeded"
        if t >= self.copy_end:
            return "RebuildingIndexes"
        if t >= self.copy_start:
            return "Copying"
        return "PreparingForCopy"

    def progress(self, now: float) -> float:
        t = now if self.stopped_at is None else min(now, self.stopped_at)
        if t <= self.copy_start:
            return 0.0
        if t >= self.copy_end:
            return 1.0
        return (t - self.copy_start) / max(self.copy_end - self.copy_start, 1e-6)

    def json(self, now: float) -> dict:
        """The table's ``CopyProgressDetails`` at ``now``. A table waiting for its copy, done,
        or stopped says the same on every read: that answer is made once (DMS reports up to
        100,000 tables, and every read of the migration reports them all)."""
        key = self._settled(now)
        if key is not None and self._answer is not None and self._answer[0] == key:
            return self._answer[1]
        answer = self._json(now)
        self._answer = (key, answer) if key is not None else None
        return answer

    def _settled(self, now: float) -> tuple | None:
        """What the answer depends on while the table is not being copied; None while it is."""
        fixed = (self.table.rows, self.table.data_bytes, self.stopped_at, self.stop_status)
        if self.stopped_at is not None and now >= self.stopped_at:
            return ("stopped", *fixed)
        if now >= self.rebuild_end:
            return ("done", *fixed)
        if now < self.copy_start:
            return ("waiting", *fixed)
        return None

    def _json(self, now: float) -> dict:
        frac = self.progress(now)
        t = now if self.stopped_at is None else min(now, self.stopped_at)
        rows, size = self.table.rows, self.table.data_bytes
        read_frac = min(1.0, frac * 1.08) if frac < 1.0 else 1.0
        duration = max(0.0, min(t, self.copy_end) - self.copy_start) if t > self.copy_start else 0.0
        written = int(size * frac)
        return {
            "tableName": self.table.full_name,
            "status": self.status(now),
            "parallelCopyType": self.parallel_type,
            "usedParallelCopies": self.used_parallel,
            "dataRead": int(size * read_frac),
            "dataWritten": written,
            "rowsRead": int(rows * read_frac),
            "rowsCopied": int(rows * frac),
            "copyStart": iso(self.copy_start) if t >= self.copy_start else None,
            "copyThroughput": round(written / 1024 / duration, 1) if duration > 0 else 0.0,
            "copyDuration": int(duration),
        }


class TableCopyMigration(Migration):
    """SqlDb (offline): Azure Data Factory pipelines copy the tables, several at a time."""

    def __init__(
        self,
        *,
        tables: list[SimTable] | None,
        target_db: SimDatabase | None,
        seed: int,
        source_problem: tuple[str, str] | None = None,
        **kw,
    ):
        super().__init__(**kw)
        self.online = False
        self.target_db = target_db
        self.selected = tables or []
        self.copies: list[TableCopy] = []
        self.errors: list[str] = []
        self.source_problem = source_problem
        self.finish_at: float | None = None
        self._rng = random.Random(seed)
        if source_problem is None:
            self._schedule(
                [t for t in self.selected if t.rows > 0], self.ready_at + SQLDB_STARTUP_SECONDS
            )

    def _schedule(self, tables: list[SimTable], start: float) -> None:
        slots = [(start, i) for i in range(SQLDB_PARALLEL_TABLES)]
        heapq.heapify(slots)
        rng = self._rng
        for tbl in tables:
            free, slot = heapq.heappop(slots)
            big = tbl.rows >= 1_000_000
            par = rng.choice((4, 6, 8)) if big else 1
            tput = rng.uniform(6_000, 24_000) * (1 + 0.6 * (par - 1))
            prep = rng.uniform(1.5, 4.0)
            copy = tbl.data_bytes / 1024 / tput
            rebuild = 1.0 + tbl.data_bytes / (300 * 1024 * 1024)
            c = TableCopy(
                tbl,
                prep_start=free,
                copy_start=free + prep,
                copy_end=free + prep + copy,
                rebuild_end=free + prep + copy + rebuild,
                throughput=tput,
                parallel_type="DynamicRange" if big else "None",
                used_parallel=par,
            )
            self.copies.append(c)
            heapq.heappush(slots, (c.rebuild_end, slot))
        self.finish_at = (
            max([c.rebuild_end for c in self.copies] + [start]) + SQLDB_FINALIZE_SECONDS
        )

    def run_until(self, now: float) -> None:
        was_canceling = self.status == "Canceling"
        super().run_until(now)
        if was_canceling:
            return
        if self.status != "InProgress":
            return
        if self.source_problem is not None:
            at = self.ready_at + 15.0
            if now >= at:
                self.fail(at, *self.source_problem)
            return
        if self.finish_at is not None and now >= self.finish_at:
            self.status = "Succeeded"
            self.ended_on = self.finish_at
            if self.target_db is not None:
                self.target_db.set_tables(
                    [SimTable(t.schema, t.name, t.rows, t.row_bytes) for t in self.selected]
                )

    def _stop(self, at: float, status: str) -> None:
        for c in self.copies:
            if c.rebuild_end > at and c.stopped_at is None:
                c.stopped_at = at
                c.stop_status = status if c.copy_start <= at else "Canceled"

    def cancel(self, now: float) -> None:
        super().cancel(now)
        self._stop(now, "Canceled")

    def fail(self, at: float, code: str, message: str) -> None:
        if not self.active:
            return
        super().fail(at, code, message)
        self._stop(at, "Failed")
        self.errors.append(message)

    def retry(self, now: float) -> None:
        """Copy again every table that did not finish; the finished ones stay."""
        redo = [c.table for c in self.copies if c.stopped_at is not None]
        self.copies = [c for c in self.copies if c.stopped_at is None]
        self.status, self.failure, self.ended_on = "InProgress", None, None
        self.errors = []
        self.source_problem = None
        keep_end = max([c.rebuild_end for c in self.copies] + [now])
        self._schedule(redo, now + SQLDB_STARTUP_SECONDS)
        self.finish_at = max(self.finish_at or now, keep_end + SQLDB_FINALIZE_SECONDS)

    def eta(self, now: float) -> float | None:
        base = super().eta(now)
        if base is not None:
            return base
        if self.status == "InProgress" and self.finish_at is not None:
            return max(self.finish_at - now, 0.0)
        return None

    def status_details(self, now: float) -> dict:
        if self.status == "Succeeded":
            state = "Completed"
        elif self.status == "Failed" and self.errors:
            # a table copy failed: Azure waits for a retry (spec: MigrationRetryNotAllowed)
            state = "WaitForRetry"
        elif self.status in ("Failed", "Canceled", "Canceling"):
            state = self.status
        elif now < self.ready_at + SQLDB_STARTUP_SECONDS:
            state = "PreparingForCopy"
        else:
            state = "MonitorMigration"
        return {
            "migrationState": state,
            "sqlDataCopyErrors": list(self.errors),
            "listOfCopyProgressDetails": [c.json(now) for c in self.copies],
        }

    def ready_for_cutover(self, now: float) -> tuple[bool, str]:
        return False, "SQL Database migrations complete on their own; there is no cutover."
