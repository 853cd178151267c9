"""A cutover wave: the databases of one application cut over together, each through the same
gate as a single cutover.

The night goes: application traffic stopped (once, for the wave); a tail-log backup per
database (taken here, or read from the source's backup history after the DBA ran it); wait
until DMS has restored every tail-log; one typed confirmation (the wave's name); one cutover
request per database, each through ``Controller.cutover`` with its own re-read — a database
the gate refuses gets nothing sent and is reported with the reason, the others go on. A wave
without some of its databases goes only when the DBA confirms it, naming those left out.

``Wave`` holds the members' state and the timeline for the change ticket: traffic stopped,
each tail-log taken (file, LSN), each seen restored, each cutover sent and succeeded, and the
downtime per database and for the wave (from traffic stopped to the cutover's Succeeded). No
Textual in here: the wave dialog renders it, the export writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tui.cutover import TailLog, cutover_blockers, listed_file, route, tail_log_restored
from tui.models import MigrationDetail, MigrationState

# what happened, as the timeline says it
STOPPED = "traffic stopped"  # the application's, for the whole wave
TAIL_TAKEN = "tail-log taken"
RESTORED = "tail-log restored"
SENT = "cutover sent"
REFUSED = "cutover refused"
FAILED = "cutover failed"
SUCCEEDED = "cutover succeeded"
LEFT_OUT = "left out of the wave"
VALIDATED = "rows validated"
SENDING = "sending"

COLUMNS = ("Database", "Pending", "Restoring", "Last restored", "State")
WIDTHS = (11, 7, 11, 15, 21)  # 65 + cell padding: the 76 columns inside the dialog


@dataclass(frozen=True)
class WaveEvent:
    at: datetime
    what: str
    database: str = ""  # "" for the wave as a whole
    file: str = ""
    lsn: str = ""
    text: str = ""


@dataclass
class WaveMember:
    """One database of the wave: its migration as last read, its tail-log, its outcome."""

    detail: MigrationDetail
    tail: TailLog | None = None
    tail_lsn: str = ""
    restored_at: datetime | None = None
    sent_at: datetime | None = None
    succeeded_at: datetime | None = None
    outcome: str = ""  # "", SENT, REFUSED, FAILED, LEFT_OUT
    reason: str = ""  # why refused or failed, in plain words
    validation: str = ""  # the row-count verdict after the cutover

    @property
    def key(self) -> str:
        return self.detail.id.lower()

    @property
    def database(self) -> str:
        return self.detail.source_database

    @property
    def tail_file(self) -> str:
        return self.tail.file if self.tail is not None else ""

    @property
    def blockers(self) -> list[str]:
        """The Controller's gate, on the last read (empty: this database may go)."""
        return cutover_blockers(self.detail, self.tail_file)

    @property
    def tail_restored(self) -> bool:
        return self.tail is not None and tail_log_restored(self.detail, self.tail_file)


@dataclass
class Wave:
    name: str
    members: dict[str, WaveMember] = field(default_factory=dict)
    events: list[WaveEvent] = field(default_factory=list)
    stopped_at: datetime | None = None

    @classmethod
    def of(cls, name: str, details: list[MigrationDetail]) -> Wave:
        wave = cls(name)
        for d in details:
            wave.members[d.id.lower()] = WaveMember(d)
        return wave

    # ------------------------------------------------------------------ the checklist

    @property
    def databases(self) -> list[str]:
        return [m.database for m in self.members.values()]

    def member(self, key: str) -> WaveMember:
        return self.members[key.lower()]

    def stop_traffic(self, now: datetime) -> bool:
        """Application traffic is stopped: said once for the wave."""
        if self.stopped_at is not None:
            return False
        self.stopped_at = now
        self.events.append(WaveEvent(now, STOPPED, text="(application)"))
        return True

    def set_tail(self, key: str, tail: TailLog, now: datetime, lsn: str = "") -> None:
        m = self.member(key)
        if m.tail is not None and m.tail.file == tail.file:
            return
        m.tail, m.tail_lsn, m.restored_at = tail, lsn, None
        self.events.append(WaveEvent(now, TAIL_TAKEN, m.database, tail.file, lsn, tail.origin))
        self.observe(m.detail, now)

    def observe(self, detail: MigrationDetail, now: datetime) -> None:
        """A fresh read of one member's migration: the events it shows, noted once."""
        m = self.members.get(detail.id.lower())
        if m is None:
            return
        m.detail = detail
        if m.restored_at is None and m.tail_restored:
            m.restored_at = now
            listed = listed_file(detail, m.tail_file)
            m.tail_lsn = m.tail_lsn or (listed.last_lsn if listed else "")
            self.events.append(WaveEvent(now, RESTORED, m.database, m.tail_file, m.tail_lsn))
        if m.outcome == SENT and m.succeeded_at is None:
            if detail.status == MigrationState.SUCCEEDED:
                m.succeeded_at = now
                downtime = self.downtime(m.key)
                text = f"downtime {fmt_duration(downtime)}" if downtime is not None else ""
                self.events.append(WaveEvent(now, SUCCEEDED, m.database, text=text))
            elif detail.status == MigrationState.FAILED and m.reason == "":
                m.reason = detail.error.message if detail.error else "the cutover failed"
                self.events.append(WaveEvent(now, FAILED, m.database, text=m.reason))

    @property
    def ready(self) -> list[WaveMember]:
        """The members the gate lets go now (and not sent yet)."""
        return [m for m in self.members.values() if not m.outcome and not m.blockers]

    @property
    def blocked(self) -> list[WaveMember]:
        return [m for m in self.members.values() if not m.outcome and m.blockers]

    # ------------------------------------------------------------------ the requests

    def sent(self, key: str, detail: MigrationDetail, now: datetime) -> None:
        m = self.member(key)
        m.outcome, m.sent_at = SENT, now
        self.events.append(
            WaveEvent(now, SENT, m.database, text=f"{route(detail)} is {detail.status}")
        )
        self.observe(detail, now)

    def refused(self, key: str, reasons: list[str], now: datetime) -> None:
        m = self.member(key)
        m.outcome, m.reason = REFUSED, " ".join(reasons)
        self.events.append(WaveEvent(now, REFUSED, m.database, text=f"nothing sent: {m.reason}"))

    def failed(self, key: str, text: str, now: datetime, *, maybe_sent: bool) -> None:
        m = self.member(key)
        m.outcome, m.reason = (SENT if maybe_sent else FAILED), text
        if maybe_sent:
            m.sent_at = m.sent_at or now
        self.events.append(WaveEvent(now, FAILED, m.database, text=text))

    def leave_out(self, keys: list[str], now: datetime) -> None:
        for key in keys:
            m = self.member(key)
            m.outcome, m.reason = LEFT_OUT, m.blockers[0] if m.blockers else "left out"
            self.events.append(WaveEvent(now, LEFT_OUT, m.database, text=m.reason))

    def validated(self, key: str, report: Any, now: datetime) -> None:
        """The row counts, source against target, after the cutover (a ``ValidationReport``)."""
        m = self.member(key)
        if not report.compared:
            m.validation = f"source not counted: {report.source_error}"
        elif report.mismatches:
            m.validation = f"{report.mismatches} of {len(report.rows)} tables DIFFER"
        else:
            m.validation = f"all {len(report.rows)} tables match ({report.target_total:,} rows)"
        self.events.append(WaveEvent(now, VALIDATED, m.database, text=m.validation))

    def validation_failed(self, key: str, text: str, now: datetime) -> None:
        m = self.member(key)
        m.validation = f"not validated: {text}"
        self.events.append(WaveEvent(now, VALIDATED, m.database, text=m.validation))

    @property
    def succeeded(self) -> list[WaveMember]:
        return [m for m in self.members.values() if m.succeeded_at is not None]

    # ------------------------------------------------------------------ downtime

    def downtime(self, key: str) -> timedelta | None:
        """From traffic stopped to this database's cutover Succeeded."""
        m = self.member(key)
        if self.stopped_at is None or m.succeeded_at is None:
            return None
        return m.succeeded_at - self.stopped_at

    @property
    def wave_downtime(self) -> timedelta | None:
        """From traffic stopped to the last cutover of the wave Succeeded."""
        sent = [m for m in self.members.values() if m.outcome == SENT]
        if self.stopped_at is None or not sent or any(m.succeeded_at is None for m in sent):
            return None
        return max(m.succeeded_at for m in sent if m.succeeded_at) - self.stopped_at

    # ------------------------------------------------------------------ rows

    def state_text(self, m: WaveMember) -> str:
        if m.outcome == SENDING:
            return "sending…"
        if m.outcome == SENT:
            if m.succeeded_at is not None:
                return "Succeeded ✓"
            return str(m.detail.status) or "sent"
        if m.outcome == REFUSED:
            return "refused: nothing sent"
        if m.outcome == FAILED:
            return "failed: see timeline"
        if m.outcome == LEFT_OUT:
            return "left out"
        if m.tail is None:
            return "pending: no tail-log"
        if not m.blockers:
            return "tail-log restored ✓"
        if m.tail_restored:
            return "blocked: see below"
        return "restoring" if m.detail.restoring_now else "waiting for tail-log"

    def cells(self, m: WaveMember) -> tuple[str, ...]:
        """A row of the table, each cell within its column: a name too long ends in "…", a
        backup file keeps its end (the log's number tells one file from the next)."""
        d = m.detail
        pending = "?" if d.pending_log_backups is None else str(d.pending_log_backups)
        database, _, restoring, restored, _ = WIDTHS
        return (
            fit_start(m.database, database),
            pending,
            fit_end(d.restoring_now, restoring) or "—",
            fit_end(d.last_restored_filename, restored) or "—",
            self.state_text(m),
        )

    def rows(self) -> dict[str, tuple[str, ...]]:
        return {k: self.cells(m) for k, m in self.members.items()}


def fit_start(text: str, width: int) -> str:
    """``text`` within ``width`` columns, its start kept: ``InventoryH…``."""
    return text if len(text) <= width else text[: width - 1] + "…"


def fit_end(text: str | None, width: int) -> str:
    """``text`` within ``width`` columns, its end kept: ``…l_log_003.trn``."""
    text = text or ""
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def wave_name_problem(name: str) -> str:
    """Why ``name`` can't name a wave ("" when it can): the DBA types it to confirm."""
    if not name:
        return "Wave name: type a name, e.g. sales-app."
    if len(name) > 40 or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        return (
            "Wave name: use letters, digits, '-', '_' or '.', starting with a letter or "
            "digit, at most 40 characters (it is typed to confirm the cutover)."
        )
    return ""


def fmt_duration(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"
