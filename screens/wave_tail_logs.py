"""The wave's tail-log backups: taken here (one confirmation naming every database, each
backup exactly as the single cutover takes one), or read from the source's backup history
after the DBA ran them. Mixed into ``WaveCutoverScreen``."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.cutover import TailLog, file_name_of
from tui.errors import DmsTuiError
from tui.models import BackupRecord
from tui.wave import Wave

if TYPE_CHECKING:
    from textual import getters
    from textual.screen import ModalScreen

    from screens.workers import Workers
    from tui.app import DmsTuiApp
    from tui.tail_backup import TailBackup

    class _Base(Workers, ModalScreen[Any]):
        app = getters.app(DmsTuiApp)

else:
    _Base = object

TAKEN_HERE = "taken here"
FROM_HISTORY = "from the source's backup history"


class WaveTailLogs(_Base):
    wave: Wave
    sources: dict[str, Any]
    backups_running: set[str]
    taking: dict[str, str]  # the "Taking…" note of each backup in flight
    notes: list[str]

    if TYPE_CHECKING:  # the dialog's own

        def _now(self) -> datetime: ...
        def _note(self, text: str) -> None: ...
        def _warn(self, text: str) -> None: ...
        def render_wave(self) -> None: ...

    def _source(self, key: str) -> Any:
        return self.sources.get(key)

    def action_tail_backups(self) -> None:
        from tui.cutover import route
        from tui.log_backup import new_file_name

        w = self.wave
        if w.stopped_at is None:
            self._warn(
                "Tick step 1 first: a tail-log backup leaves its source database RESTORING, "
                "so application traffic must be stopped before it."
            )
            return
        todo = [
            m for m in w.members.values() if m.tail is None and m.key not in self.backups_running
        ]
        if not todo:
            self.notify("Every database of the wave has its tail-log backup.", markup=False)
            return
        plans = self.app.context.tail_log_plans
        names = {}
        for m in todo:
            names[m.key] = plans.get(m.key) or new_file_name(m.database, self._now(), tail=True)
            plans[m.key] = names[m.key]
        from widgets.confirm import ConfirmModal

        listing = "\n".join(f"• {route(m.detail)}: {names[m.key]}" for m in todo)
        self.app.push_screen(
            ConfirmModal(
                f"Take the tail-log backups of {', '.join(m.database for m in todo)} now, for "
                f"the wave {w.name}?\n\n{listing}\n\nBACKUP LOG … WITH NORECOVERY leaves each "
                "database RESTORING: no application can use it any more.",
                yes="Take tail-logs",
                no="Not now",
            ),
            lambda yes: self._take(todo, names) if yes else None,
        )

    def _take(self, todo: list[Any], names: dict[str, str]) -> None:
        from tui.tail_backup import take_tail_backup

        for m in todo:
            if m.tail is not None or m.key in self.backups_running:
                continue
            self.backups_running.add(m.key)
            self.taking[m.key] = f"Taking the tail-log backup of {m.database} ({names[m.key]})…"
            self._note(self.taking[m.key])
            self.run_blocking(
                take_tail_backup,
                self.app.context,
                m.detail,
                self._source(m.key),
                names[m.key],
                self._now(),
                on_done=partial(self._tail_done, m.key),
                on_error=partial(self._tail_failed, m.key),
                group=f"wave-tail-{m.key}",
                exclusive=False,
            )

    def _taken(self, key: str) -> None:
        """The backup has answered: its "Taking…" note goes, the answer takes its place."""
        self.backups_running.discard(key)
        taking = self.taking.pop(key, "")
        if taking in self.notes:
            self.notes.remove(taking)

    def _tail_done(self, key: str, result: TailBackup) -> None:
        self._taken(key)
        ctx = self.app.context
        if result.counts is not None:
            ctx.source_counts[key] = result.counts  # the validation's source side
        m = self.wave.member(key)
        if result.ok:
            ctx.tail_log_plans.pop(key, None)
            tail = TailLog(result.file, TAKEN_HERE)
            ctx.tail_logs[key] = tail
            self.wave.set_tail(key, tail, self._now(), result.last_lsn)
            self._note(f"{m.database}: {result.text.splitlines()[0]}")
        else:
            self._note(
                f"{m.database}: {result.text}\nRun it yourself, then ctrl+r:\n{result.statement}"
            )
        self.render_wave()

    def _tail_failed(self, key: str, error: DmsTuiError) -> None:
        self._taken(key)
        self._note(f"{self.wave.member(key).database}: {error.full_text}")
        self.render_wave()

    def action_read_history(self) -> None:
        from tui.log_backup import newest_log_backup

        todo = [m for m in self.wave.members.values() if m.tail is None]
        if not todo:
            self.notify("Every database of the wave has its tail-log backup.", markup=False)
            return
        for m in todo:
            if m.key in self.backups_running:
                continue
            self.run_blocking(
                newest_log_backup,
                self.app.context,
                self._source(m.key),
                m.database,
                on_done=partial(self._history_read, m.key),
                on_error=partial(self._tail_failed, m.key),
                group=f"wave-history-{m.key}",
                exclusive=False,
            )

    def _history_read(self, key: str, answer: tuple[BackupRecord, str]) -> None:
        rec, state = answer
        m = self.wave.member(key)
        name = file_name_of(rec.device)
        when = f", finished {rec.finish:%H:%M:%S}" if rec.finish else ""
        tail = TailLog(name, f"{FROM_HISTORY}{when}")
        self.app.context.tail_logs[key] = tail
        self.wave.set_tail(key, tail, self._now(), rec.last_lsn)
        if (state or "").upper() != "RESTORING":
            self._note(
                f"{m.database} is still {state or 'not RESTORING'} on the source: {name} is not "
                "a tail-log (WITH NORECOVERY). Transactions written after it are lost at cutover."
            )
        self.render_wave()
