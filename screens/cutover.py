"""The guarded cutover: a walk-through that can't be completed by accident.

Stop traffic → tail-log backup → wait until nothing is pending or restoring → type the
target database name → one cutover request. The live state comes from the monitor (which
keeps polling underneath); the Controller re-reads the migration and refuses
(``CutoverNotReady``) when it is not ready, and never sends twice.
Returns ``True`` when the cutover request was accepted, ``False`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from tui.cutover import cutover_blockers
from tui.errors import DmsTuiError
from tui.models import MigrationDetail

WARNING = ("Cutting over while backups are still unrestored loses every transaction in "
           "them: after cutover the target is read/write and no more backups can be applied.")


class CutoverScreen(ModalScreen[bool]):
    CSS_PATH = "cutover.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="cutover.close"),
        Binding("ctrl+t", "tail_backup", "Tail-log backup", id="cutover.tail_backup"),
    ]

    @dataclass
    class Sent(Message):
        detail: MigrationDetail

    @dataclass
    class Refused(Message):
        error: DmsTuiError

    @dataclass
    class BackupDone(Message):
        text: str
        ok: bool
        statement: str = ""
        counts: Any = None  # tui.row_validation.SourceCounts taken just before the backup

    def __init__(self, detail: MigrationDetail, *, source: Any = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.detail = detail
        self.migration_id = detail.id
        self.source = source
        self._clock = clock
        self.sending = False  # one request at most: set on the first press, never cleared
        self.sent = False     # ... unless the Controller refused before sending anything
        self.backup_taken = False
        self.requests = 0

    def compose(self) -> ComposeResult:
        d = self.detail
        with Vertical(id="cutover-dialog"):
            yield Static(f"Cut over {d.source_database} → {d.target_name}/{d.target_database}",
                         id="cutover-title", markup=False)
            with VerticalScroll(id="cutover-steps"):
                yield Checkbox("1. Application traffic to the source is stopped", id="stopped")
                yield Static("", id="step-tail", markup=False)
                yield Static("", id="step-wait", markup=False)
                yield Static("", id="cutover-blockers", markup=False)
                yield Static(WARNING, id="cutover-warning", markup=False)
                yield Static("", id="tail-tsql", markup=False)
            yield Static(f"4. Type the target database name ({d.target_database}) "
                         "to confirm:", id="step-type", markup=False)
            yield Input(placeholder="type the target database name here", id="confirm-name")
            with Horizontal(id="cutover-buttons"):
                yield Button("Close (Esc)", id="cutover-cancel", variant="primary")
                yield Button("Tail-log backup", id="cutover-tail")
                yield Button("Cut over", id="cutover-confirm", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#cutover-cancel", Button).focus()
        self.show_detail(self.detail)
        self._load_tsql()

    @dataclass
    class Tsql(Message):
        text: str

    @work(thread=True, exclusive=True, exit_on_error=False, group="cutover-tsql")
    def _load_tsql(self) -> None:
        from tui.log_backup import manual_statement

        when = self._clock() if self._clock else datetime.now()
        self.post_message(self.Tsql(manual_statement(self.app.context, self.detail, when,
                                                     tail=True)))

    @on(Tsql)
    def _show_tsql(self, message: Tsql) -> None:
        self.query_one("#tail-tsql", Static).update(
            "Tail-log backup T-SQL (run on the source if this tool can't):\n" + message.text)

    # ------------------------------------------------------------------ state

    @property
    def blockers(self) -> list[str]:
        return cutover_blockers(self.detail)

    @property
    def name_ok(self) -> bool:
        return self.query_one("#confirm-name", Input).value == self.detail.target_database

    def show_detail(self, detail: MigrationDetail) -> None:
        """Fresh state from the monitor's poll."""
        self.detail = detail
        pending = "?" if detail.pending_log_backups is None else str(detail.pending_log_backups)
        restoring = detail.current_restoring_filename \
            if detail.current_restoring_filename != detail.last_restored_filename else ""
        tick = "x" if self.backup_taken else " "
        self.query_one("#step-tail", Static).update(
            f"[{tick}] 2. Take the tail-log backup (ctrl+t here, or run the T-SQL below)")
        ok = not self.blockers
        self.query_one("#step-wait", Static).update(
            f"[{'x' if ok else ' '}] 3. Wait: pending log backups {pending}, restoring "
            f"{restoring or 'nothing'}, last restored {detail.last_restored_filename or '—'}")
        text = "Ready for cutover." if ok else "Not ready:\n" + "\n".join(
            f"• {r}" for r in self.blockers)
        b = self.query_one("#cutover-blockers", Static)
        b.update(text)
        b.set_class(not ok, "-blocked")
        self._update_button()

    def _update_button(self) -> None:
        ready = not self.blockers and self.name_ok and not self.sending and \
            self.query_one("#stopped", Checkbox).value
        self.query_one("#cutover-confirm", Button).disabled = not ready

    @on(Input.Changed, "#confirm-name")
    @on(Checkbox.Changed, "#stopped")
    def _changed(self) -> None:
        self._update_button()

    # ------------------------------------------------------------------ buttons

    @on(Button.Pressed, "#cutover-cancel")
    def action_close(self) -> None:
        if self.sending and not self.sent:
            return  # the request is in flight: its answer decides
        self.dismiss(self.sent)

    @on(Button.Pressed, "#cutover-tail")
    def action_tail_backup(self) -> None:
        if self.backup_taken:
            self.notify("The tail-log backup was already taken.")
            return
        self.query_one("#cutover-tail", Button).disabled = True
        self._tail_backup()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cutover-backup")
    def _tail_backup(self) -> None:
        from tui.log_backup import manual_statement, take_log_backup
        from tui.row_validation import SourceCounts, count_rows, source_error_text

        when = self._clock() if self._clock else datetime.now()
        ctx = self.app.context
        d = self.detail
        # Traffic is stopped, so these counts are final; after the tail-log backup the
        # source is RESTORING and can't be counted any more.
        counts = None
        try:
            counts = SourceCounts(d.id, d.source_database,
                                  count_rows(ctx, self.source, d.source_database), when)
            counted = (f"Source rows counted at {when:%H:%M:%S} ({len(counts.counts)} tables), "
                       "for the validation after cutover.")
        except Exception as exc:  # noqa: BLE001 - the backup matters more than the count
            counted = f"Source rows NOT counted: {source_error_text(exc)}"
        try:
            result = take_log_backup(ctx, d, self.source, when, tail=True)
        except Exception as exc:  # noqa: BLE001
            from tui.azure_errors import translate
            err = exc if isinstance(exc, DmsTuiError) else translate(exc)
            self.post_message(self.BackupDone(f"{err.full_text}\n{counted}", False,
                                              manual_statement(ctx, d, when, tail=True),
                                              counts=counts))
        else:
            self.post_message(self.BackupDone(
                f"Tail-log backup taken ({result.url.rsplit('/', 1)[-1]}); the source "
                f"database is now RESTORING.\n{counted}", True, result.statement,
                counts=counts))

    @on(BackupDone)
    def _backup_done(self, message: BackupDone) -> None:
        if message.counts is not None:
            # kept for this session: validation uses them for the source side
            self.app.context.source_counts[self.migration_id.lower()] = message.counts
        if message.ok:
            self.backup_taken = True
        else:
            self.query_one("#cutover-tail", Button).disabled = False
        text = message.text
        if not message.ok and message.statement:
            text += f"\nRun this on the source yourself:\n{message.statement}"
        self.query_one("#cutover-warning", Static).update(f"{text}\n\n{WARNING}")
        self.show_detail(self.detail)

    @on(Button.Pressed, "#cutover-confirm")
    def confirm(self) -> None:
        if self.sending or self.sent:
            return  # a second press never sends a second request
        if self.blockers or not self.name_ok:
            self._update_button()
            return
        self.sending = True
        self.query_one("#cutover-confirm", Button).disabled = True
        self.query_one("#cutover-blockers", Static).update("Sending the cutover request…")
        self.requests += 1
        self._send()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cutover-send")
    def _send(self) -> None:
        try:
            detail = self.app.context.controller.cutover(self.migration_id)
        except Exception as exc:  # noqa: BLE001
            from tui.azure_errors import translate
            self.post_message(self.Refused(exc if isinstance(exc, DmsTuiError)
                                           else translate(exc)))
        else:
            self.post_message(self.Sent(detail))

    @on(Sent)
    def _on_sent(self, message: Sent) -> None:
        self.sent = True
        self.dismiss(True)

    @on(Refused)
    def _on_refused(self, message: Refused) -> None:
        from tui.controller import CutoverAlreadyRequested, CutoverNotReady

        err = message.error
        b = self.query_one("#cutover-blockers", Static)
        b.add_class("-blocked")
        if isinstance(err, CutoverNotReady):
            # nothing was sent: the DBA may try again once it is ready
            if err.detail is not None:
                self.detail = err.detail
            self.sending = False
            self.show_detail(self.detail)
            b.update("Azure says not ready — cutover refused:\n" +
                     "\n".join(f"• {r}" for r in err.reasons))
            return
        if isinstance(err, CutoverAlreadyRequested):
            self.sent = True
        b.update(err.full_text + "\nClose this dialog and follow the migration on the monitor.")
