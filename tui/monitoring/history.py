"""The session's samples per migration (pending log backups, throughput) for the small charts,
when this session first saw each backup file restoring and restored, and how fast the file
in flight moves (for its estimate)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from tui.models import BackupFile, MigrationDetail, TargetKind
from tui.monitoring.clock import utc_from
from tui.monitoring.tables import totals_of


@dataclass
class Sample:
    t: float  # seconds (the injected clock)
    pending: int | None
    done: float  # bytes written (MI/VM) or rows copied (SQL DB), cumulative
    tables_done: int = 0  # SQL DB: tables Succeeded


@dataclass
class FileSeen:
    """What this session saw of one backup file. DMS does not say when a file was restored,
    so these are the refresh times at which the monitor first saw the change."""

    restoring: float | None = None  # first refresh that showed it Restoring
    restored: float | None = None  # first refresh that showed it Restored, after seeing it not
    seen_unrestored: bool = False  # seen in any state other than Restored this session


@dataclass
class FileMoving:
    """Bytes of one file in flight as this session saw them: first and latest sighting."""

    status: str
    t0: float
    b0: int
    t1: float
    b1: int

    @property
    def rate(self) -> float | None:
        dt = self.t1 - self.t0
        return (self.b1 - self.b0) / dt if dt > 0 and self.b1 > self.b0 else None


_RESTORED = {"restored"}


@dataclass
class History:
    """Per-migration samples over the session, newest last, at most ``size`` each."""

    size: int = 120
    _samples: dict[str, deque[Sample]] = field(default_factory=dict)
    _files: dict[tuple[str, str], FileSeen] = field(default_factory=dict)
    _moving: dict[tuple[str, str], FileMoving] = field(default_factory=dict)

    def add(self, detail: MigrationDetail, t: float) -> None:
        q = self._samples.setdefault(detail.id.lower(), deque(maxlen=self.size))
        if q and q[-1].t == t:
            q.pop()
        tables = totals_of(detail).done if detail.kind == TargetKind.SQL_DB else 0
        q.append(Sample(t, detail.pending_log_backups, work_done(detail), tables))
        for f in detail.backup_files:
            self._track_bytes(detail.id.lower(), f, t)
            seen = self._files.setdefault((detail.id.lower(), f.name.lower()), FileSeen())
            status = (f.status or "").lower()
            if status in _RESTORED:
                # a file already Restored when first seen: the time is unknown, left blank
                if seen.restored is None and seen.seen_unrestored:
                    seen.restored = t
                continue
            seen.seen_unrestored = True
            if status == "restoring" and seen.restoring is None:
                seen.restoring = t

    def _track_bytes(self, mid: str, f: BackupFile, t: float) -> None:
        key = (mid, f.name.lower())
        status = (f.status or "").lower()
        done = f.data_written if status == "restoring" else f.data_read
        if status not in ("restoring", "uploading") or done is None:
            self._moving.pop(key, None)
            return
        was = self._moving.get(key)
        if was is None or was.status != status or done < was.b1:
            self._moving[key] = FileMoving(status, t, done, t, done)
        elif t > was.t1:
            was.t1, was.b1 = t, done

    def file_rate(self, migration_id: str, name: str) -> float | None:
        """Bytes per second the file ``name`` moved at over this session's refreshes (None
        until two refreshes saw it move)."""
        seen = self._moving.get((migration_id.lower(), name.lower()))
        return None if seen is None else seen.rate

    def restore_times(
        self, migration_id: str
    ) -> dict[str, tuple[datetime | None, datetime | None]]:
        """``{file name: (first seen Restoring, first seen Restored)}`` (UTC, or None)."""
        key = migration_id.lower()
        out = {}
        for (mid, name), seen in list(self._files.items()):
            if mid == key:
                out[name] = (
                    utc_from(seen.restoring) if seen.restoring is not None else None,
                    utc_from(seen.restored) if seen.restored is not None else None,
                )
        return out

    def pending(self, migration_id: str) -> list[float]:
        return [float(s.pending or 0) for s in self._samples.get(migration_id.lower(), ())]

    def throughput(self, migration_id: str) -> list[float]:
        """Work per second between consecutive samples (bytes/s or rows/s)."""
        q = list(self._samples.get(migration_id.lower(), ()))
        out = []
        for a, b in zip(q, q[1:], strict=False):
            dt = b.t - a.t
            out.append(max(0.0, (b.done - a.done) / dt) if dt > 0 else 0.0)
        return out

    def tables_rate(self, migration_id: str, window: int = 12) -> float | None:
        """SQL DB: tables finished per second over the last ``window`` samples (a minute at
        the default interval); None until some were seen finishing."""
        q = list(self._samples.get(migration_id.lower(), ()))[-window:]
        if len(q) < 2:
            return None
        first, last = q[0], q[-1]
        dt = last.t - first.t
        if dt <= 0 or last.tables_done <= first.tables_done:
            return None
        return (last.tables_done - first.tables_done) / dt


def work_done(detail: MigrationDetail) -> float:
    if detail.kind == TargetKind.SQL_DB:
        return float(totals_of(detail).rows_copied)
    return float(sum((f.data_written or 0) for f in detail.backup_files))
