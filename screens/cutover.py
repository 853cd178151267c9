"""The guarded cutover: a walk-through that can't be completed by accident.

1. Application traffic stopped (ticked by the DBA). 2. The tail-log backup, its file known:
taken here (ctrl+t, after a confirmation naming the database), read from the source's backup
history after the DBA ran the T-SQL shown (ctrl+r), or typed. 3. Wait until DMS has restored
that very file and nothing is pending or restoring. 4. Type the target database name; Enter
or the button sends one cutover request.

The live state comes from the monitor (which keeps polling underneath); the Controller
re-reads the migration and refuses (``CutoverNotReady``) until the tail-log is restored, and
never sends twice. Close always works, also while the request is on its way: the monitor
keeps following the migration. Returns a ``CutoverOutcome``: a line for the monitor's notes
("" when nothing happened) and the migration as Azure answered the cutover, if it did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from screens.screen_commands import ScreenActions
from screens.workers import Workers
from tui.cutover import (
    TailLog,
    cutover_blockers,
    file_name_of,
    route,
    tail_log_restored,
    waiting_text,
)
from tui.errors import DmsTuiError
from tui.models import BackupRecord, MigrationDetail
from tui.tail_backup import TailBackup as BackupDone
from widgets.compact import steady_cursors
from widgets.more_cue import MoreCue
from widgets.toggles import MarkedCheckbox
from widgets.token_line import TokenLine

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DmsTuiApp

WARNING = (
    "Cutting over while backups are still unrestored loses every transaction in "
    "them: after cutover the target is read/write and no more backups can be applied."
)
TAKEN_HERE = "taken here"
FROM_HISTORY = "from the source's backup history"
TYPED = "typed"


@dataclass(frozen=True)
class CutoverOutcome:
    """What the dialog hands back to the monitor when it closes."""

    text: str = ""
    detail: MigrationDetail | None = None  # the migration as Azure answered the cutover


class CutoverScreen(Workers, ModalScreen[CutoverOutcome]):
    COMMANDS = {ScreenActions}
    if TYPE_CHECKING:  # as in screens.base: ``self.app`` typed for the checker only
        app = getters.app(DmsTuiApp)

    CSS_PATH = "cutover.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="cutover.close",
            tooltip="Close the dialog; nothing is sent",
        ),
        Binding(
            "ctrl+t",
            "tail_backup",
            "Tail-log backup",
            id="cutover.tail_backup",
            tooltip="Take the tail-log backup on the source (the last one before cutover)",
        ),
        Binding(
            "ctrl+r",
            "read_history",
            "Tail-log from history",
            id="cutover.tail_history",
            tooltip="Read the tail-log file's name from the source's backup history",
        ),
        Binding(
            "pagedown",
            "scroll_steps(1)",
            "Scroll down",
            id="cutover.page_down",
            tooltip="Scroll the steps, the warning and the tail-log T-SQL down a page",
            show=False,
        ),
        Binding(
            "pageup",
            "scroll_steps(-1)",
            "Scroll up",
            id="cutover.page_up",
            tooltip="Scroll the steps, the warning and the tail-log T-SQL up a page",
            show=False,
        ),
        Binding(
            "ctrl+y",
            "copy_tsql",
            "Copy T-SQL",
            id="cutover.copy_tsql",
            tooltip="Copy the tail-log T-SQL to the clipboard and write it whole to a file",
        ),
    ]

    def __init__(
        self,
        detail: MigrationDetail,
        *,
        source: Any = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.detail = detail
        self.migration_id = detail.id
        self.source = source
        self._clock = clock
        self.sending = False  # one request at most: set on the press ...
        self.sent = False  # ... and only cleared when Azure holds no trace of it
        self.backup_running = False
        self.tail: TailLog | None = None
        self.planned_name = ""  # the tail-log file ctrl+t takes and the T-SQL names
        self.outcome = ""  # what the monitor notes when the dialog closes
        self.requests = 0

    @property
    def backup_taken(self) -> bool:
        return self.tail is not None and self.tail.origin == TAKEN_HERE

    def _now(self) -> datetime:
        return self._clock() if self._clock else datetime.now()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        d = self.detail
        with Vertical(id="cutover-dialog"):
            yield Static(f"Cut over {route(d)}", id="cutover-title", markup=False)
            steps = VerticalScroll(id="cutover-steps")
            with steps:
                yield MarkedCheckbox(
                    "1. Application traffic to the source is stopped", id="stopped"
                )
                yield Static("", id="step-tail", markup=False)
                yield Input(
                    placeholder="tail-log file name, if you took it yourself", id="tail-file"
                )
                yield Static("", id="step-wait", markup=False)
                yield Static("", id="cutover-blockers", markup=False)
                yield Static(WARNING, id="cutover-warning", markup=False)
                yield Static("", id="tail-tsql-head", markup=False)
                # the statement's own lines, never wrapped inside its URL: scrolls sideways
                yield TokenLine(text_id="tail-tsql", id="tail-tsql-line")
            yield MoreCue(steps, keys="PgDn", back="PgUp", id="cutover-more")
            yield Static(
                f"4. Type the target database name ({d.target_database}) to confirm, then Enter:",
                id="step-type",
                markup=False,
            )
            yield Input(placeholder="type the target database name here", id="confirm-name")
            yield Static("", id="cutover-why", markup=False)
            with Horizontal(id="cutover-buttons"):
                yield Button("Close (Esc)", id="cutover-cancel", variant="primary")
                yield Button("Tail-log (ctrl+t)", id="cutover-tail")
                yield Button("History (ctrl+r)", id="cutover-history")
                yield Button("Cut over", id="cutover-confirm", variant="error", disabled=True)

    def on_mount(self) -> None:
        steady_cursors(self)
        from tui.log_backup import new_file_name

        ctx = self.app.context
        key = self.migration_id.lower()
        self.tail = ctx.tail_logs.get(key)
        if self.tail is not None:
            self.query_one("#tail-file", Input).value = self.tail.file
        self.planned_name = ctx.tail_log_plans.get(key) or new_file_name(
            self.detail.source_database, self._now(), tail=True
        )
        ctx.tail_log_plans[key] = self.planned_name
        self.query_one("#confirm-name", Input).focus()
        self.show_detail(self.detail)
        self._load_tsql(self.planned_name)

    def _load_tsql(self, name: str) -> None:
        from tui.log_backup import manual_statement

        self.run_blocking(
            manual_statement,
            self.app.context,
            self.detail,
            name,
            tail=True,
            on_done=self._show_tsql,
            group="cutover-tsql",
        )

    def _show_tsql(self, text: str) -> None:
        self.tsql = text
        self.query_one("#tail-tsql-head", Static).update(
            "Tail-log backup T-SQL (to run on the source yourself, then ctrl+r); ctrl+y "
            "copies it whole:"
        )
        self.query_one(TokenLine).show(text)

    def action_copy_tsql(self) -> None:
        """Ctrl+Y: the tail-log T-SQL to the clipboard and to a file, whole."""
        text = getattr(self, "tsql", "")
        if not text:
            self.notify("The T-SQL is still being written; press Ctrl+Y again.", timeout=5)
            return
        from screens.copying import copy_out

        copy_out(self, "Tail-log T-SQL", text, file_name=f"{self.planned_name}.sql")

    # ------------------------------------------------------------------ state

    @property
    def tail_file(self) -> str:
        return self.tail.file if self.tail is not None else ""

    @property
    def blockers(self) -> list[str]:
        return cutover_blockers(self.detail, self.tail_file)

    @property
    def stopped(self) -> bool:
        return self.query_one("#stopped", Checkbox).value

    @property
    def name_ok(self) -> bool:
        return self.query_one("#confirm-name", Input).value == self.detail.target_database

    def why_disabled(self) -> str:
        """Why Cut over can't be pressed now ("" when it can)."""
        if self.sent:
            return "Cutover requested: close this dialog and follow it on the monitor."
        if self.sending:
            return "Sending the cutover request… (Esc closes; the monitor keeps following)"
        if not self.stopped:
            return "Cut over is disabled: tick step 1 when application traffic is stopped."
        if not self.tail_file:
            return "Cut over is disabled: step 2, the tail-log backup, is not done."
        if self.blockers:
            if not tail_log_restored(self.detail, self.tail_file):
                return f"Cut over is disabled: waiting for DMS to restore {self.tail_file}."
            return f"Cut over is disabled: {self.blockers[0]}"
        if not self.name_ok:
            return f"Cut over is disabled: type {self.detail.target_database} above."
        return "Ready: Enter (or the Cut over button) sends the cutover request once."

    def show_detail(self, detail: MigrationDetail) -> None:
        """Fresh state from the monitor's poll."""
        self.detail = detail
        tail = self.tail
        if tail is not None:
            step2 = f"[x] 2. Tail-log backup: {tail.file} ({tail.origin})"
        else:
            step2 = (
                "[ ] 2. Take the tail-log backup: ctrl+t here; or run the T-SQL below "
                "and press ctrl+r to read it from the source's backup history; or "
                "type its file name:"
            )
        self.query_one("#step-tail", Static).update(step2)
        pending = "?" if detail.pending_log_backups is None else str(detail.pending_log_backups)
        facts = (
            f"pending log backups {pending}, restoring {detail.restoring_now or 'nothing'}, "
            f"last restored {detail.last_restored_filename or '—'}"
        )
        ok = not self.blockers
        if ok:
            step3 = f"[x] 3. DMS restored {self.tail_file}: {facts}"
        elif tail is not None:
            step3 = f"[ ] 3. {waiting_text(detail, tail.file) or 'Wait'} — {facts}"
        else:
            step3 = f"[ ] 3. Wait until DMS restores the tail-log backup — {facts}"
        self.query_one("#step-wait", Static).update(step3)
        text = (
            "Ready for cutover."
            if ok
            else "Not ready:\n" + "\n".join(f"• {r}" for r in self.blockers)
        )
        b = self.query_one("#cutover-blockers", Static)
        if not self.sending and not self.sent:
            b.update(text)
            b.set_class(not ok, "-blocked")
        self._update_button()

    def _update_button(self) -> None:
        why = self.why_disabled()
        ready = why.startswith("Ready")
        self.query_one("#cutover-confirm", Button).disabled = not ready
        w = self.query_one("#cutover-why", Static)
        w.update(why)
        w.set_class(not ready, "-blocked")

    def _set_tail(self, tail: TailLog | None) -> None:
        key = self.migration_id.lower()
        self.tail = tail
        if tail is None:
            self.app.context.tail_logs.pop(key, None)
        else:
            self.app.context.tail_logs[key] = tail
            box = self.query_one("#tail-file", Input)
            if box.value.strip() != tail.file:
                box.value = tail.file
        self.show_detail(self.detail)

    @on(Input.Changed, "#confirm-name")
    @on(Checkbox.Changed, "#stopped")
    def _changed(self) -> None:
        self._update_button()

    @on(Input.Changed, "#tail-file")
    def _tail_typed(self, event: Input.Changed) -> None:
        name = event.value.strip()
        if name == self.tail_file:
            return  # set by the tool (taken here, or read from the history)
        self._set_tail(TailLog(name, TYPED) if file_name_of(name) else None)

    # ------------------------------------------------------------------ close

    @on(Button.Pressed, "#cutover-cancel")
    def action_scroll_steps(self, pages: int) -> None:
        """PgDn/PgUp from the name field: the steps above it scroll (the cue says when)."""
        steps = self.query_one("#cutover-steps", VerticalScroll)
        (steps.scroll_page_down if pages > 0 else steps.scroll_page_up)(animate=False)

    def action_close(self) -> None:
        """Always closes, also while the request is on its way."""
        if self.sending and not self.sent and not self.outcome:
            self.outcome = (
                "The cutover request was still on its way when the dialog "
                "closed: the monitor keeps following the migration."
            )
        self.dismiss(CutoverOutcome(self.outcome))

    # ------------------------------------------------------------------ tail-log backup

    @on(Button.Pressed, "#cutover-tail")
    def action_tail_backup(self) -> None:
        from tui.log_backup import is_running

        db = self.detail.source_database
        if self.backup_taken:
            self.notify(f"The tail-log backup was already taken: {self.tail_file}.", markup=False)
            return
        if not self.stopped:
            self._warn(
                "Tick step 1 first: the tail-log backup leaves the source database "
                "RESTORING, so application traffic must be stopped before it."
            )
            return
        if self.backup_running or is_running(db):
            self._warn(f"A backup of {db} is running: wait until it has finished.")
            return
        from widgets.confirm import ConfirmModal

        server = getattr(self.source, "server", "") or self.detail.source_server or "the source"
        self.app.push_screen(
            ConfirmModal(
                f"Take the tail-log backup of {db} on {server} now, for the cutover "
                f"{route(self.detail)}?\n\nFile: {self.planned_name}\n\n"
                f"BACKUP LOG … WITH NORECOVERY leaves {db} RESTORING: no application can use it "
                "any more. Cut over once DMS has restored this file.",
                yes="Take tail-log",
                no="Not now",
            ),
            self._tail_confirmed,
        )

    def _warn(self, text: str) -> None:
        w = self.query_one("#cutover-why", Static)
        w.update(text)
        w.add_class("-blocked")
        self.notify(text, severity="warning", markup=False)

    def _tail_confirmed(self, yes: bool | None) -> None:
        if not yes or self.backup_taken or self.backup_running:
            return
        self.backup_running = True
        self.query_one("#cutover-tail", Button).disabled = True
        self.query_one("#cutover-warning", Static).update(
            f"Taking the tail-log backup {self.planned_name}…\n\n{WARNING}"
        )
        self._tail_backup(self.planned_name)

    def _tail_backup(self, name: str) -> None:
        from tui.tail_backup import take_tail_backup

        self.run_blocking(
            take_tail_backup,
            self.app.context,
            self.detail,
            self.source,
            name,
            self._now(),
            on_done=self._backup_done,
            on_error=lambda error: self._backup_done(BackupDone(error.full_text, False)),
            group="cutover-backup",
        )

    def _backup_done(self, message: BackupDone) -> None:
        self.backup_running = False
        if message.counts is not None:
            # kept for this session: validation uses them for the source side
            self.app.context.source_counts[self.migration_id.lower()] = message.counts
        text = message.text
        if message.ok:
            self.app.context.tail_log_plans.pop(self.migration_id.lower(), None)
            self._set_tail(TailLog(message.file, TAKEN_HERE))
        else:
            self.query_one("#cutover-tail", Button).disabled = False
            if message.statement:
                text += (
                    f"\nRun this on the source yourself, then press ctrl+r:\n{message.statement}"
                )
        self.query_one("#cutover-warning", Static).update(f"{text}\n\n{WARNING}")
        self.show_detail(self.detail)

    # ------------------------------------------------------------------ from the history

    @on(Button.Pressed, "#cutover-history")
    def action_read_history(self) -> None:
        if self.backup_running:
            self._warn("The tail-log backup is still running here.")
            return
        self.query_one("#cutover-history", Button).disabled = True
        self._read_history()

    def _read_history(self) -> None:
        from tui.log_backup import newest_log_backup

        self.run_blocking(
            newest_log_backup,
            self.app.context,
            self.source,
            self.detail.source_database,
            on_done=lambda answer: self._history_read(*answer),
            on_error=lambda error: self._history_read(None, "", error),
            group="cutover-history",
        )

    def _history_read(
        self, rec: BackupRecord | None, state: str, error: DmsTuiError | None = None
    ) -> None:
        self.query_one("#cutover-history", Button).disabled = False
        db = self.detail.source_database
        if rec is None:
            self._warn(
                f"Could not read the backup history: "
                f"{error.full_text if error else 'no answer'} — type the file name."
            )
            return
        name = file_name_of(rec.device)
        when = f", finished {rec.finish:%H:%M:%S}" if rec.finish else ""
        self._set_tail(TailLog(name, f"{FROM_HISTORY}{when}"))
        note = f"Tail-log from the source's backup history: {name}{when}."
        if (state or "").upper() != "RESTORING":
            note += (
                f"\n{db} is still {state or 'not RESTORING'} on the source: this "
                "newest log backup is not a tail-log (WITH NORECOVERY). Transactions "
                "written after it are lost at cutover."
            )
        self.query_one("#cutover-warning", Static).update(f"{note}\n\n{WARNING}")

    # ------------------------------------------------------------------ the request

    @on(Input.Submitted, "#confirm-name")
    def _submitted(self) -> None:
        if self.query_one("#cutover-confirm", Button).disabled:
            self._warn(self.why_disabled())
            return
        self.confirm()

    @on(Button.Pressed, "#cutover-confirm")
    def confirm(self) -> None:
        if self.sending or self.sent:
            return  # a second press never sends a second request
        if not self.why_disabled().startswith("Ready"):
            self._update_button()
            return
        self.sending = True
        self.query_one("#cutover-blockers", Static).update("Sending the cutover request…")
        self._update_button()
        self.requests += 1
        self._send(self.tail_file)

    def _send(self, tail_file: str) -> None:
        self.run_blocking(
            self.app.context.azure.cutover,
            self.migration_id,
            tail_log_file=tail_file,
            on_done=self._on_sent,
            on_error=self._on_refused,
            group="cutover-send",
        )

    def _on_sent(self, detail: MigrationDetail) -> None:
        from tui.writes import accepted_text

        self.sent = True
        self.detail = detail
        self.outcome = accepted_text(
            f"the cutover of {detail.target_database}", f"{route(detail)} is {detail.status}"
        )
        self.dismiss(CutoverOutcome(self.outcome, detail))

    def _on_refused(self, err: DmsTuiError) -> None:
        from tui.controller import CutoverAlreadyRequested, CutoverNotReady
        from tui.writes import WriteFailed

        b = self.query_one("#cutover-blockers", Static)
        b.add_class("-blocked")
        if isinstance(err, CutoverNotReady):
            # nothing was sent: the DBA may try again once it is ready
            if err.detail is not None:
                self.detail = err.detail
            self.sending = False
            self.show_detail(self.detail)
            b.update(
                "Azure says not ready — cutover refused, nothing sent:\n"
                + "\n".join(f"• {r}" for r in err.reasons)
            )
            return
        accepted = err.accepted if isinstance(err, WriteFailed) else False
        if isinstance(err, CutoverAlreadyRequested) or accepted is not False:
            self.sent = True  # Azure took it, or may have: never a second one from here
            self.outcome = err.message
        self.sending = False
        b.update(
            err.full_text
            + ("\nClose this dialog and follow the migration on the monitor." if self.sent else "")
        )
        self._update_button()
