"""The monitor's stall detector: which migrations are stalled (``tui.monitoring.stall``), the
few details read again each refresh so that migrations nobody has highlighted are judged on
fresh facts, and the backup-folder preflight run once for each migration when it stalls —
its findings shown in the detail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.models import MigrationDetail, MigrationSummary
from tui.monitoring.fetch import watched
from tui.monitoring.stall import MARK, Stall, StallWatch
from tui.preflight import FolderCheck

if TYPE_CHECKING:
    from screens.base import BaseScreen as _Base
    from tui.context import SourceParams
    from tui.monitoring.rows import MigrationRow
else:
    _Base = object

SWEEP_SECONDS = 60.0  # a migration's detail is read again at least this often
SWEEP_MAX = 5  # ... at most this many besides the highlighted one per refresh


class MonitorStalls(_Base):
    """Mixed into ``MonitorScreen``."""

    rows: dict[str, MigrationRow]
    details: dict[str, MigrationDetail]
    selected_id: str
    stalls: StallWatch
    stall_checks: dict[str, FolderCheck | None]  # None: not run (needs the source password)
    _stall_checked: set[tuple[str, str]]
    _detail_at: dict[str, float]

    if TYPE_CHECKING:  # the screen's own (and MonitorActions', MonitorPreflight's)

        def now(self) -> datetime: ...
        def note(self, text: str) -> None: ...
        def source_params(self, detail: MigrationDetail) -> SourceParams: ...
        def preflight(self, detail: MigrationDetail, then: Any = None) -> bool: ...
        def _render_detail(self) -> None: ...

    def _observe(self, detail: MigrationDetail, t: float) -> None:
        self.stalls.observe(detail, t)
        self._detail_at[detail.id.lower()] = t

    def stall_of(self, summary: MigrationSummary, now: datetime | None = None) -> Stall | None:
        """The migration's stall at ``now`` (default: now), judged on its last detail (None
        when it has none)."""
        d = self.details.get(summary.id.lower())
        if d is None or not summary.status.is_active:
            return None
        return self.stalls.stall_of(d, now or self.now())

    def _sweep(self, now: datetime) -> tuple[str, ...]:
        """Running MI/VM migrations whose detail is older than ``SWEEP_SECONDS``. None while
        the highlighted one's detail is still to come: that one first."""
        if self.selected_id and self.selected_id not in self.details:
            return ()
        t = now.timestamp()
        due = []
        for key, row in self.rows.items():
            if key == self.selected_id or not watched(row.summary):
                continue
            at = self._detail_at.get(key)
            if at is None or t - at >= SWEEP_SECONDS:
                due.append((at or 0.0, row.summary.id))
        return tuple(mid for _, mid in sorted(due)[:SWEEP_MAX])

    def _check_stalls(self) -> None:
        """The preflight, once for each migration newly stalled (and again if it stalls for
        another reason), unless it would have to ask for the source's password."""
        for key, row in list(self.rows.items()):
            stall = row.stall
            d = self.details.get(key)
            if stall is None or d is None or (key, stall.kind) in self._stall_checked:
                continue
            self._stall_checked.add((key, stall.kind))
            params = self.source_params(d)
            sandbox = getattr(self.context, "sandbox", None)
            if sandbox is None and params.authentication == "sql" and not params.password:
                self.stall_checks[key] = None
                continue
            self.preflight(d, lambda check, key=key: self._stall_checked_folder(key, check))

    def _stall_checked_folder(self, key: str, check: FolderCheck) -> None:
        self.stall_checks[key] = check
        if key == self.selected_id:
            self._render_detail()

    def stall_text(self, detail: MigrationDetail) -> str:
        """The stall, what to check, the fix, and what the folder check found (for the
        detail); "" when the migration is not stalled."""
        row = self.rows.get(detail.id.lower())
        stall = row.stall if row is not None else None
        if stall is None:
            return ""
        key = detail.id.lower()
        check = self.stall_checks.get(key)
        found = check.findings[:2] if check is not None and not check.clear else ()
        if not found:
            # the detector's own advice until (or unless) the folder check names the cause
            lines = [stall.text()]
            if key not in self.stall_checks:
                running = key in self._checking()
                lines.append("Folder check: running…" if running else "")
            elif check is None:
                lines.append("Folder check: press b (it needs the source's password).")
            else:
                lines.append(f"Folder check: {check.summary}")
            return "\n".join(line for line in lines if line)
        assert check is not None
        lines = [f"{MARK} STALLED: {stall.headline}"]
        for f in found:  # each names the folder
            mark = "✗" if f.severity.value == "blocker" else "!"
            lines.append(f"Folder check {mark} {f.message}")
            if f.fix:
                lines.append(f"Fix: {f.fix}")
        return "\n".join(lines)

    def _checking(self) -> set[str]:
        """The migrations whose folder is being checked (``MonitorPreflight``)."""
        return self.__dict__.get("_preflights", set())
