"""The monitor's polling: one fetch in flight at most, the next one armed with ``set_timer``
only after the previous one finished (and applied), backing off after failures. The timer
belongs to the screen, so leaving it stops polling.

A fetch counts as in flight until its answer is applied: a row selected while applying it
(the first row, when the list first appears) asks for its detail at once instead of being
overtaken by the next regular interval.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from textual.timer import Timer

from screens.monitor_stalls import SWEEP_MAX
from tui.errors import DmsTuiError
from tui.models import MigrationDetail, MigrationSummary
from tui.monitoring.buckets import bucket_of
from tui.monitoring.collector import settle
from tui.monitoring.fetch import FetchRequest, Instances, Snapshot, fetch_round
from tui.monitoring.history import History
from tui.monitoring.rows import MigrationRow
from tui.monitoring.schedule import PollSchedule
from tui.monitoring.stall import Stall

# A refresh that takes longer than this (seconds) says so on the status line.
SLOW_REFRESH = 1.0

if TYPE_CHECKING:
    from screens.base import BaseScreen as _Base
else:
    _Base = object


class MonitorPolling(_Base):
    """Mixed into ``MonitorScreen``: the fetch loop and applying what it brings."""

    migration_ids: tuple[str, ...]
    service_id: str
    show_all: bool
    schedule: PollSchedule
    history: History
    instances: Instances
    rows: dict[str, MigrationRow]
    details: dict[str, MigrationDetail]
    selected_id: str
    last_note: str
    _timer: Timer | None
    _due_now: bool  # the armed timer is an immediate one (a follow-up fetch)
    _again: bool
    _gen_started: int
    _gen_done: int
    _done_event: asyncio.Event | None
    _stale: set[str]
    _slow: Timer | None
    _fresh: set[str]

    if TYPE_CHECKING:  # the screen's own (and MonitorActions')

        def now(self) -> datetime: ...
        def _render_list(self, now: datetime | None = None) -> None: ...
        def _render_detail(self) -> None: ...
        def _render_status(self) -> None: ...
        def _forward_to_dialog(self) -> None: ...
        def _observe(self, detail: MigrationDetail, t: float) -> None: ...
        def _sweep(self, now: datetime) -> tuple[str, ...]: ...
        def _check_stalls(self) -> None: ...
        def stall_of(
            self, summary: MigrationSummary, now: datetime | None = None
        ) -> Stall | None: ...

    # ------------------------------------------------------------------ the timer

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._due_now = False
        if self.schedule.paused:
            return
        self._due_now = delay <= 0
        self._timer = self.set_timer(max(0.01, delay), self._tick)

    def _tick(self) -> None:
        self._timer = None
        self._due_now = False
        self._start_fetch()

    def _stop_polling(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._due_now = False

    def _soon(self) -> None:
        """Fetch as soon as possible: now, or right after the fetch in flight."""
        if self.schedule.in_flight:
            self._again = True
        else:
            self._arm(0)

    # ------------------------------------------------------------------ one fetch

    def _request(self) -> FetchRequest:
        final = frozenset(
            k for k, r in self.rows.items() if r.summary.status.is_final and k not in self._stale
        )
        sel = self.selected_id
        cached = self.details.get(sel.lower()) if sel else None
        return FetchRequest(
            migration_ids=self.migration_ids,
            service_id=self.service_id,
            show_all=self.show_all,
            selected_id=sel,
            final=final,
            selected_cached_final=cached is not None
            and cached.status.is_final
            and sel.lower() not in self._stale,
            instances=self.instances,
            also=self._sweep(self.now()),
            first_detail=not sel,
            # the first load reads as many details as the list shows rows, so the rows
            # are drawn in their true state at once, not redrawn a refresh later
            first_others=SWEEP_MAX if not self.rows else 0,
            shown=cached,
        )

    def _start_fetch(self, *, force: bool = False) -> bool:
        allowed = not self.schedule.in_flight if force else self.schedule.can_start()
        if not allowed:
            return False
        self.schedule.started()
        self._gen_started += 1
        # "refreshing…" only when a refresh is slow: otherwise the line is written once, with
        # its result, not twice per refresh
        if self._slow is not None:
            self._slow.stop()
        self._slow = self.set_timer(SLOW_REFRESH, self._render_status)
        self.run_blocking(
            fetch_round,
            self.context.azure,
            self._request(),
            on_done=self._on_fetched,
            on_error=self._on_fetch_failed,  # every failure becomes a back-off
            group="monitor-poll",
        )
        return True

    def _on_fetched(self, snapshot: Snapshot) -> None:
        now = self.now()
        # applied while still in flight: a row selected while applying it (the first one,
        # when the list first appears) is fetched right after, not an interval later
        try:
            with self.app.batch_update():
                self._apply(snapshot, now)
            settle()  # the first answer shown: what the app runs on is loaded by now
        finally:  # a fault in showing one answer never stops the polling
            delay = self.schedule.succeeded(now)
            if snapshot.errors:
                mid, text = snapshot.errors[0]
                self.last_note = f"{mid.rsplit('/', 1)[-1]}: {text}"
            self._finished(delay)

    def _on_fetch_failed(self, error: DmsTuiError) -> None:
        delay = self.schedule.failed(error)
        self.last_note = error.message
        self._finished(delay)

    def _finished(self, delay: float) -> None:
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
        self._gen_done += 1
        if self._done_event is not None:
            self._done_event.set()
            self._done_event = asyncio.Event()
        if self._again:
            self._again = False
            delay = min(delay, 0.0) if not self.schedule.last_error else delay
        self._arm(delay)
        self._render_status()

    async def refresh_once(self) -> None:
        """Fetch now and wait for the result to be shown — and for the fetch that follows
        at once, if it brings a detail just asked for (tests; also ``r``)."""
        if self.schedule.in_flight:
            self._again = True
            need = self._gen_started + 1
        else:
            self._start_fetch(force=True)
            need = self._gen_started
        while self._gen_done < need or self._follow_up_due():
            event = self._done_event
            assert event is not None
            if self._due_now and not self.schedule.in_flight:
                self._stop_polling()  # due now anyway: start it rather than wait for the
                self._start_fetch()  # timer; the answer re-arms the regular one
            await event.wait()

    def _follow_up_due(self) -> bool:
        return self.schedule.in_flight or self._again or self._due_now

    # ------------------------------------------------------------------ what it brings

    def _apply(self, snap: Snapshot, now: datetime) -> None:
        t = now.timestamp()
        fresh = [d for d in (snap.detail, *snap.others) if d is not None]
        self._fresh = {d.id.lower() for d in fresh}  # a row selected now needs no new read
        for d in snap.others:
            self.details[d.id.lower()] = d
            self.history.add(d, t)
            self._observe(d, t)
        if snap.detail is not None:
            d = snap.detail
            self.details[d.id.lower()] = d
            self.history.add(d, t)
            self._observe(d, t)
            if not d.status.is_final:
                self._stale.discard(d.id.lower())  # the retry took: polled as usual again
        rows, details = self.rows, self.details
        for s in snap.summaries:
            key = s.id.lower()
            stall = self.stall_of(s, now)
            bucket = bucket_of(s.status, details.get(key), stalled=stall is not None)
            old = rows.get(key)
            # an unchanged row keeps its cells, made once
            if old is None or old.summary != s or old.bucket != bucket or old.stall != stall:
                rows[key] = MigrationRow(s, bucket, stall)
        if not self.show_all:
            wanted = {i.lower() for i in self.migration_ids}
            for k in [k for k in self.rows if k not in wanted]:
                del self.rows[k]
        self._render_list(now)
        self._render_detail()
        self._forward_to_dialog()
        self._check_stalls()
        self._fresh = set()

    def apply_detail(self, detail: MigrationDetail) -> None:
        """A migration as Azure answered a change (cutover, cancel, retry): shown at once,
        not a refresh later."""
        with self.app.batch_update():
            self._apply(Snapshot((detail.summary,), detail), self.now())
