"""The cutover of a wave: several databases of one application cut over together.

1. Application traffic stopped (ticked once for the wave). 2. A tail-log backup per database:
taken here (ctrl+t, after one confirmation naming every database; each exactly as the single
cutover takes it), or read from the source's backup history after the DBA ran the backups
(ctrl+r). A live row per database: pending, restoring, last restored, "tail-log restored ✓".
3. Type the wave's name; Enter sends one cutover per database, each through
``Controller.cutover`` with its own re-read — the button stays disabled until every database
passes that gate, unless the DBA confirmed a partial wave (ctrl+l names those left out). A
database the gate refuses gets nothing sent and is reported with the reason; the others go on.

The dialog reads its databases' migrations itself (one read of them all in flight at a time,
the next armed only after it), so the rows follow Completing → Succeeded. The timeline —
traffic stopped, tail-logs taken and restored, cutovers sent and succeeded, downtime — is
exported as Markdown and JSON with ctrl+o.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Static

from screens.wave_row_counts import WaveRowCounts
from screens.wave_tail_logs import WaveTailLogs
from screens.workers import Workers
from tui.errors import DmsTuiError
from tui.models import MigrationDetail
from tui.wave import COLUMNS, SENDING, SENT, WIDTHS, Wave, fmt_duration
from widgets.compact import steady_cursors
from widgets.progress_table import KeyedTable

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DmsTuiApp

TIMELINE_LINES = 40


@dataclass(frozen=True)
class WaveOutcome:
    """What the dialog hands back to the monitor: a line for its notes ("" if nothing)."""

    text: str = ""


class WaveCutoverScreen(WaveTailLogs, WaveRowCounts, Workers, ModalScreen[WaveOutcome]):
    if TYPE_CHECKING:
        app = getters.app(DmsTuiApp)

    CSS_PATH = "wave_cutover.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="wave.close",
            tooltip="Close the wave dialog; nothing is sent",
        ),
        Binding(
            "ctrl+t",
            "tail_backups",
            "Tail-logs",
            id="wave.tail_backups",
            tooltip="Take the tail-log backup of every database in the wave",
        ),
        Binding(
            "ctrl+r",
            "read_history",
            "From history",
            id="wave.tail_history",
            tooltip="Read each tail-log file's name from the source's backup history",
        ),
        Binding(
            "ctrl+l",
            "leave_out",
            "Leave out",
            id="wave.leave_out",
            tooltip="Leave the highlighted migration out of this wave",
        ),
        Binding(
            "ctrl+o",
            "export",
            "Export",
            id="wave.export",
            tooltip="Export the wave's timeline and outcomes for the change ticket",
        ),
        Binding(
            "ctrl+g",
            "validate",
            "Validate",
            id="wave.validate",
            tooltip="Validate the row counts of the wave's databases, source against target",
        ),
    ]

    def __init__(
        self,
        wave: Wave,
        *,
        sources: dict[str, Any] | None = None,
        clock: Callable[[], datetime] | None = None,
        interval: float = 5.0,
        export_folder: Any = None,
    ) -> None:
        super().__init__()
        self.wave = wave
        self.sources = sources or {}
        self._clock = clock
        self.interval = interval
        self.export_folder = export_folder
        self.left_out: set[str] = set()  # confirmed by the DBA: not part of this wave's send
        self.sending = False  # the wave's requests went (or are on their way): never again
        self.backups_running: set[str] = set()
        self.taking: dict[str, str] = {}
        self.notes: list[str] = []
        self._timer: Timer | None = None
        self._reading = False
        self._reads_done = 0
        self._read_event: asyncio.Event | None = None
        self.validating: set[str] = set()
        self.validation_started = False

    def _now(self) -> datetime:
        return self._clock() if self._clock else datetime.now().astimezone()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        w = self.wave
        with Vertical(id="wave-dialog"):
            yield Static(
                f"Cutover wave {w.name}: {', '.join(w.databases)}", id="wave-title", markup=False
            )
            yield Checkbox(
                "1. Application traffic to the source is stopped (for every database)",
                id="wave-stopped",
            )
            yield Static(
                "2. Tail-logs: ctrl+t takes them here; or run them yourself and ctrl+r reads "
                "each from the source's backup history.",
                id="wave-step-tail",
                markup=False,
            )
            yield KeyedTable(COLUMNS, widths=WIDTHS, id="wave-rows")
            with VerticalScroll(id="wave-steps"):
                yield Static("", id="wave-blockers", markup=False)
                yield Static("", id="wave-notes", markup=False)
                yield Static("", id="wave-timeline", markup=False)
            yield Static(
                f"3. Type the wave's name ({w.name}) to confirm, then Enter:",
                id="wave-type",
                markup=False,
            )
            yield Input(placeholder="type the wave's name here", id="wave-name")
            yield Static("", id="wave-why", markup=False)
            with Horizontal(id="wave-buttons"):
                yield Button("Close", id="wave-close", variant="primary")
                yield Button("Tail-logs", id="wave-tail")
                yield Button("History", id="wave-history")
                yield Button("Leave out", id="wave-leave-out")
                yield Button("Export", id="wave-export")
                yield Button("Cut over", id="wave-confirm", variant="error", disabled=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        self._read_event = asyncio.Event()
        known = self.app.context.tail_logs
        for key in self.wave.members:
            tail = known.get(key)
            if tail is not None:
                self.wave.set_tail(key, tail, self._now())
        self.query_one("#wave-name", Input).focus()
        self.render_wave()
        self._read(force=True)

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    # ------------------------------------------------------------------ live state

    def _read(self, *, force: bool = False) -> None:
        """Read every database's migration; the next read is armed once this one is shown."""
        if self._reading:
            return
        self._reading = True
        ids = [m.detail.id for m in self.wave.members.values()]
        azure = self.app.context.azure

        def read() -> list[MigrationDetail | DmsTuiError]:
            out: list[MigrationDetail | DmsTuiError] = []
            for mid in ids:
                try:
                    out.append(azure.get_migration(mid))
                except DmsTuiError as exc:
                    out.append(exc)
            return out

        self.run_blocking(
            read, on_done=self._read_done, on_error=self._read_failed, group="wave-read"
        )

    def _read_done(self, answers: list[MigrationDetail | DmsTuiError]) -> None:
        now = self._now()
        failed = [a for a in answers if isinstance(a, DmsTuiError)]
        for a in answers:
            if isinstance(a, MigrationDetail):
                self.wave.observe(a, now)
        if failed:
            self._note(f"Could not read every migration: {failed[0].full_text}")
        self._read_finished()

    def _read_failed(self, error: DmsTuiError) -> None:
        self._note(f"Could not read the migrations: {error.full_text}")
        self._read_finished()

    def _read_finished(self) -> None:
        self._reading = False
        self._reads_done += 1
        if self._read_event is not None:
            self._read_event.set()
            self._read_event = asyncio.Event()
        self.render_wave()
        if self.is_mounted:
            self._timer = self.set_timer(self.interval, self._read)
            self._maybe_validate()

    async def refresh_once(self) -> None:
        """Read every database's migration now and wait until it is shown (tests; ``r``)."""
        if self._timer is not None:
            self._timer.stop()
        need = self._reads_done + (2 if self._reading else 1)
        self._read()
        while self._reads_done < need:
            event = self._read_event
            assert event is not None
            await event.wait()

    # ------------------------------------------------------------------ rendering

    @property
    def stopped(self) -> bool:
        return self.query_one("#wave-stopped", Checkbox).value

    @property
    def name_ok(self) -> bool:
        return self.query_one("#wave-name", Input).value.strip() == self.wave.name

    def why_disabled(self) -> str:
        """Why Cut over can't be pressed now (starts with "Ready" when it can)."""
        w = self.wave
        if self.sending:
            return "Cutover requests sent: follow each database above (Esc closes)."
        if w.stopped_at is None:
            return "Cut over is disabled: tick step 1 when application traffic is stopped."
        why = self._gate_text()
        if why:
            return f"Cut over is disabled: {why}"
        if not self.name_ok:
            return f"Cut over is disabled: type {w.name} above."
        going = [m.database for m in w.ready if m.key not in self.left_out]
        left = [w.member(k).database for k in self.left_out]
        text = f"Ready: Enter sends one cutover each for {', '.join(going)}"
        return text + (f" — {', '.join(left)} left out." if left else ".")

    def _gate_text(self) -> str:
        """What the gate still waits for, the confirmed left-out databases aside."""
        w = self.wave
        waiting = [m for m in w.blocked if m.key not in self.left_out]
        if not waiting:
            return (
                ""
                if any(m.key not in self.left_out for m in w.ready)
                else ("no database of the wave is ready.")
            )
        missing = [m.database for m in waiting if m.tail is None]
        if missing:
            return f"no tail-log backup yet for {', '.join(missing)} (ctrl+t or ctrl+r)."
        return (
            f"waiting for {', '.join(m.database for m in waiting)} "
            "(why: above; ctrl+l leaves the unready ones out)."
        )

    def render_wave(self) -> None:
        if not self.is_mounted:
            return
        w = self.wave
        self.query_one("#wave-rows", KeyedTable).sync(w.rows())
        lines = []
        for m in w.members.values():
            if m.outcome:
                if m.reason:
                    lines.append(f"• {m.database}: {m.outcome} — {m.reason}")
                if m.validation:
                    lines.append(f"• {m.database}: rows — {m.validation}")
                continue
            blockers = m.blockers
            if m.tail is None:
                lines.append(f"• {m.database}: no tail-log backup yet.")
            elif blockers:
                lines.append(f"• {m.database}: {' '.join(blockers)}")
            else:
                lines.append(f"• {m.database}: {m.tail_file} restored — ready.")
        self.query_one("#wave-blockers", Static).update("\n".join(lines))
        self.query_one("#wave-timeline", Static).update(self._timeline_text())
        self._update_button()

    def _timeline_text(self) -> str:
        w = self.wave
        if not w.events:
            return "Timeline: nothing yet."
        out = ["Timeline:"]
        for e in w.events[-TIMELINE_LINES:]:
            extra = " ".join(x for x in (e.file, f"LSN {e.lsn}" if e.lsn else "", e.text) if x)
            out.append(f"{e.at:%H:%M:%S} {e.database or w.name}: {e.what} {extra}".rstrip())
        if w.wave_downtime is not None:
            out.append(f"Downtime of the wave: {fmt_duration(w.wave_downtime)}")
        return "\n".join(out)

    def _update_button(self) -> None:
        why = self.why_disabled()
        ready = why.startswith("Ready")
        self.query_one("#wave-confirm", Button).disabled = not ready
        line = self.query_one("#wave-why", Static)
        line.update(why)
        line.set_class(not ready, "-blocked")

    def _note(self, text: str) -> None:
        self.notes.append(text)
        self.query_one("#wave-notes", Static).update("\n".join(self.notes[-6:]))

    def _warn(self, text: str) -> None:
        line = self.query_one("#wave-why", Static)
        line.update(text)
        line.add_class("-blocked")
        self.notify(text, severity="warning", markup=False)

    @on(Checkbox.Changed, "#wave-stopped")
    def _stopped_changed(self, event: Checkbox.Changed) -> None:
        if event.value:
            self.wave.stop_traffic(self._now())
        elif self.wave.stopped_at is not None:
            event.checkbox.value = True  # said once for the wave: the timeline keeps it
            return
        self.render_wave()

    @on(Input.Changed, "#wave-name")
    def _name_changed(self) -> None:
        self._update_button()

    # ------------------------------------------------------------------ close

    @on(Button.Pressed, "#wave-close")
    def action_close(self) -> None:
        w = self.wave
        sent = [m.database for m in w.members.values() if m.outcome == SENT]
        text = f"Wave {w.name}: cutover sent for {', '.join(sent)}." if sent else ""
        self.dismiss(WaveOutcome(text))

    # ------------------------------------------------------------------ tail-logs

    @on(Button.Pressed, "#wave-tail")
    def _tail_pressed(self) -> None:
        self.action_tail_backups()

    @on(Button.Pressed, "#wave-history")
    def _history_pressed(self) -> None:
        self.action_read_history()

    # ------------------------------------------------------------------ a partial wave

    @on(Button.Pressed, "#wave-leave-out")
    def action_leave_out(self) -> None:
        w = self.wave
        if self.sending:
            return
        blocked = w.blocked
        if not blocked:
            self.notify("Every database of the wave is ready: nothing to leave out.")
            return
        if not w.ready:
            self._warn("No database of the wave is ready yet: a partial wave needs at least one.")
            return
        from widgets.confirm import ConfirmModal

        left = "\n".join(
            f"• {m.database}: {(m.blockers or ['no tail-log backup'])[0]}" for m in blocked
        )
        going = ", ".join(m.database for m in w.ready)
        self.app.push_screen(
            ConfirmModal(
                f"Cut over the wave {w.name} WITHOUT {', '.join(m.database for m in blocked)}?"
                f"\n\nLeft out (nothing is sent for them):\n{left}\n\nGoing: {going}. The "
                "application must not need the databases left out until each is cut over on "
                "its own.",
                yes="Leave them out",
                no="Wait",
            ),
            lambda yes: self._leave_out([m.key for m in blocked]) if yes else None,
        )

    def _leave_out(self, keys: list[str]) -> None:
        self.left_out = set(keys)
        names = ", ".join(self.wave.member(k).database for k in keys)
        self._note(f"Partial wave confirmed: {names} left out.")
        self.render_wave()

    # ------------------------------------------------------------------ the requests

    @on(Input.Submitted, "#wave-name")
    def _submitted(self) -> None:
        if self.query_one("#wave-confirm", Button).disabled:
            self._warn(self.why_disabled())
            return
        self.confirm()

    @on(Button.Pressed, "#wave-confirm")
    def confirm(self) -> None:
        if self.sending or not self.why_disabled().startswith("Ready"):
            return  # a second press never sends a second wave
        w, now = self.wave, self._now()
        self.sending = True
        w.leave_out([k for k in self.left_out if not w.member(k).outcome], now)
        going = w.ready
        for m in going:
            m.outcome = SENDING
        self._note(f"Sending {len(going)} cutover requests, one per database…")
        for m in going:
            self.run_blocking(
                self.app.context.azure.cutover,
                m.detail.id,
                tail_log_file=m.tail_file,
                on_done=partial(self._sent, m.key),
                on_error=partial(self._refused, m.key),
                group=f"wave-send-{m.key}",
                exclusive=False,
            )
        self.render_wave()

    def _sent(self, key: str, detail: MigrationDetail) -> None:
        self.wave.sent(key, detail, self._now())
        self.render_wave()

    def _refused(self, key: str, err: DmsTuiError) -> None:
        from tui.controller import CutoverAlreadyRequested, CutoverNotReady
        from tui.writes import WriteFailed

        now = self._now()
        if isinstance(err, CutoverNotReady):
            if err.detail is not None:
                self.wave.observe(err.detail, now)
            self.wave.refused(key, err.reasons, now)
        else:
            accepted = err.accepted if isinstance(err, WriteFailed) else False
            maybe = isinstance(err, CutoverAlreadyRequested) or accepted is not False
            self.wave.failed(key, err.full_text, now, maybe_sent=maybe)
        self.render_wave()

    # ------------------------------------------------------------------ export

    @on(Button.Pressed, "#wave-export")
    def action_export(self) -> None:
        from tui.export import export_wave

        wave, folder, stamp = self.wave, self.export_folder, self._now().strftime("%Y%m%d-%H%M%S")

        def write() -> list[Any]:
            try:
                return export_wave(wave, folder=folder, stamp=stamp)
            except OSError as exc:
                raise DmsTuiError(
                    f"Could not write the wave's timeline: {exc}",
                    code="ExportFailed",
                    hint="Check the folder exists and is writable.",
                ) from exc

        self.run_blocking(
            write,
            on_done=lambda paths: self._note(
                f"Timeline exported: {', '.join(p.name for p in paths)} in {paths[0].parent}"
            ),
            on_error=lambda error: self._note(error.full_text),
            group="wave-export",
        )
