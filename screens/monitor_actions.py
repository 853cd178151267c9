"""The monitor's actions on the highlighted migration: cutover, log backup, validation,
export, cancel, retry and delete — each only where Azure allows it, each state-changing
request sent once, and what Azure answers shown at once (``apply_detail``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.context import SourceParams
from tui.errors import DmsTuiError
from tui.models import BackupResult, MigrationDetail, TargetKind
from tui.monitoring.actions import can_cancel, can_delete, can_open_cutover, can_retry
from tui.monitoring.history import History
from tui.monitoring.rows import MigrationRow

if TYPE_CHECKING:
    from screens.base import BaseScreen as _Base
else:
    _Base = object


class MonitorActions(_Base):
    """Mixed into ``MonitorScreen``: the keys that act on a migration."""

    project: Any
    migration_ids: tuple[str, ...]
    rows: dict[str, MigrationRow]
    details: dict[str, MigrationDetail]
    selected_id: str
    history: History
    notes: list[str]
    last_note: str
    export_folder: Any
    _visible: set[str]
    _busy: set[str]
    _stale: set[str]
    _source_password: str

    if TYPE_CHECKING:  # the screen's own (and MonitorPolling's)

        @property
        def selected(self) -> MigrationDetail | None: ...
        def now(self) -> Any: ...
        def note(self, text: str) -> None: ...
        def _hidden_text(self) -> str: ...
        def _render_list(self, now: Any = None) -> None: ...
        def action_refresh_now(self) -> None: ...
        def apply_detail(self, detail: MigrationDetail) -> None: ...

    def _need_selected(self) -> MigrationDetail | None:
        """The highlighted, visible migration an action applies to; None (and why) else."""
        d = self.selected
        if d is None:
            if self.rows and not self._visible:
                self.note(f"Nothing done. {self._hidden_text()}")
            elif not self.rows:
                self.note("Nothing done: no migration to act on yet.")
            else:
                self.note(
                    "Nothing done: select a migration first (its detail may still be loading)."
                )
        return d

    def action_cutover(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = can_open_cutover(d)
        if not allowed.ok:
            self.note(f"Cutover not possible: {allowed.reason}")
            return
        from screens.cutover import CutoverOutcome, CutoverScreen

        def done(outcome: CutoverOutcome | None) -> None:
            if outcome is None:
                return
            if outcome.detail is not None:
                self.apply_detail(outcome.detail)  # Completing, as Azure answered
            if outcome.text:
                self.notes.append(outcome.text)
                self.note(outcome.text)
                if outcome.detail is None:
                    self.action_refresh_now()  # the answer did not come: read what Azure holds

        self.app.push_screen(CutoverScreen(d, source=self.source_params(d), clock=self.now), done)

    def _forward_to_dialog(self) -> None:
        from screens.cutover import CutoverScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, CutoverScreen):
                d = self.details.get(screen.migration_id.lower())
                if d is not None:
                    screen.show_detail(d)

    def source_params(self, detail: MigrationDetail) -> SourceParams:
        src = getattr(self.project, "source", None)
        if src is not None and src.server:
            return src.params(self._source_password)
        sandbox = getattr(self.context, "sandbox", None)
        if sandbox is not None and getattr(sandbox, "source_address", None):
            return SourceParams(server=sandbox.source_address)
        return SourceParams(server=detail.source_server, authentication="windows")

    def with_source(self, detail: MigrationDetail, then: Callable[[SourceParams], None]) -> None:
        """Call ``then`` with the source's connection, asking for the password first when
        SQL authentication needs one this session."""
        params = self.source_params(detail)
        if (
            getattr(self.context, "sandbox", None) is not None
            or params.authentication != "sql"
            or params.password
        ):
            then(params)
            return
        from widgets.secrets_prompt import SecretsPrompt

        def got(values: dict | None) -> None:
            if values and values.get("source_password"):
                self._source_password = values["source_password"]
                then(self.source_params(detail))
            else:
                self.note(
                    "No password: run the T-SQL on the source yourself (shown in the "
                    "cutover dialog), or press the key again."
                )

        self.app.push_screen(
            SecretsPrompt(["source_password"], {"source_password": params.server}), got
        )

    def action_log_backup(self) -> None:
        from tui.log_backup import is_running, new_file_name

        d = self._need_selected()
        if d is None:
            return
        if d.kind == TargetKind.SQL_DB or not d.online or d.status.is_final:
            self.note("Log backups matter only for online MI/VM migrations still in progress.")
            return
        if is_running(d.source_database):
            self.note(
                f"A log backup of {d.source_database} is already running: wait until it "
                "has finished."
            )
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        name = new_file_name(d.source_database, self.now())

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.with_source(d, lambda params: go(params))

        def go(params: SourceParams) -> None:
            if is_running(d.source_database):
                self.note(f"A log backup of {d.source_database} is already running.")
                return
            self.note(f"Taking a log backup of {d.source_database} into {name}…")
            self._take_backup(d, params, name)

        self.app.push_screen(
            ConfirmModal(
                f"Take a log backup of {d.source_database} (migration {route(d)}) now?\n\n"
                f"File: {name}\n\nThe database stays online; DMS restores the file once it has "
                "listed it.",
                yes="Take backup",
            ),
            confirmed,
        )

    def _take_backup(self, detail: MigrationDetail, params: SourceParams, name: str) -> None:
        from tui.log_backup import manual_statement, take_log_backup

        context = self.context

        def taken(result: BackupResult) -> None:
            where, _, file = result.url.replace("\\", "/").rpartition("/")
            self._done(
                f"Log backup of {detail.source_database} taken: {file} (in …/"
                f"{'/'.join(where.rsplit('/', 2)[-2:])})"
            )
            self.action_refresh_now()

        def failed(err: DmsTuiError) -> None:
            self.run_blocking(  # the T-SQL to run by hand (it reads the backup location)
                lambda: (
                    ""
                    if err.code == "LogBackupRunning"
                    else manual_statement(context, detail, name)
                ),
                on_done=lambda extra: self._failed(err, extra),
                on_error=lambda _other: self._failed(err),
                group="monitor-backup-tsql",
            )

        self.run_blocking(
            take_log_backup,
            context,
            detail,
            params,
            name,
            on_done=taken,
            on_error=failed,
            group="monitor-backup",
            exclusive=False,
        )

    def action_validate(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        from screens.validation import ValidationScreen

        counts = self.context.source_counts.get(d.id.lower())

        def count(params: SourceParams) -> None:
            self.ask_target_login(
                d,
                params,
                lambda login: self.app.push_screen(
                    ValidationScreen(
                        d,
                        params,
                        export_folder=self.export_folder,
                        target_login=login,
                        source_counts=counts,
                    )
                ),
            )

        if counts is not None:
            count(self.source_params(d))  # counted before the tail-log: not read again
        else:
            self.with_source(d, count)

    def ask_target_login(
        self,
        detail: MigrationDetail,
        source: SourceParams,
        then: Callable[[SourceParams], object],
        *,
        purpose: str = "Count rows on",
    ) -> None:
        """Ask which login counts rows on the target (Enter accepts what is shown: the
        login typed earlier this session, else the source's user); kept in memory only."""
        from screens.target_login import TargetLoginScreen

        logins = self.context.target_logins
        key = (detail.target_id or detail.target_name).lower()
        shown = logins.get(key) or SourceParams(
            server="",
            user=source.user,
            authentication="entra" if source.authentication == "entra" else "sql",
        )
        entra = getattr(self.context, "credential", None) is not None

        def got(login: SourceParams | None) -> None:
            if login is None:
                self.note(f"{purpose} the target: not started, no target login.")
                return
            logins[key] = login
            then(login)

        self.app.push_screen(
            TargetLoginScreen(
                detail.target_name or "the target", shown, entra=entra, purpose=purpose
            ),
            got,
        )

    def action_logins(self) -> None:
        """Move the source's logins to the highlighted migration's target."""
        d = self._need_selected()
        if d is None:
            return
        if d.kind is TargetKind.SQL_DB:
            self.note(
                "Azure SQL Database has no server logins to move: create contained database "
                "users there instead."
            )
            return
        from screens.logins import LoginsScreen

        def open_logins(params: SourceParams) -> None:
            self.ask_target_login(
                d,
                params,
                lambda login: self.app.push_screen(
                    LoginsScreen(d, params, login, export_folder=self.export_folder)
                ),
                purpose="Create logins on",
            )

        self.with_source(d, open_logins)

    def action_export(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        self._export(
            d,
            self.now().strftime("%Y%m%d-%H%M%S"),
            list(self.notes),
            self.history.restore_times(d.id),
        )

    def _export(
        self, detail: MigrationDetail, stamp: str, notes: list[str], restore_times: dict
    ) -> None:
        from tui.export import export_migration

        folder = self.export_folder

        def write() -> list[Any]:
            try:
                return export_migration(
                    detail, folder=folder, stamp=stamp, notes=notes, restore_times=restore_times
                )
            except OSError as exc:
                raise DmsTuiError(
                    f"Could not write the export: {exc}",
                    code="ExportFailed",
                    hint="Check the folder exists and is writable.",
                ) from exc

        self.run_blocking(
            write,
            on_done=lambda paths: self._done(
                f"Exported {', '.join(p.name for p in paths)} to {paths[0].parent}"
            ),
            on_error=self._failed,
            group="monitor-export",
        )

    def action_cancel_migration(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = can_cancel(d)
        if not allowed.ok:
            self.note(f"Can't cancel: {allowed.reason}")
            return
        from screens.cancel_migration import CancelMigrationScreen
        from tui.cutover import route

        def done(reason: str | None) -> None:
            if reason is not None:
                self.notes.append(f"Cancel of {route(d)} asked: {reason}")
                self.note(f"Canceling {route(d)}…")
                self._run_action("cancel", d.id, reason)

        self.app.push_screen(CancelMigrationScreen(route(d)), done)

    def action_retry(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = can_retry(d)
        if not allowed.ok:
            self.note(f"Can't retry: {allowed.reason}")
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                self.note(f"Retrying {route(d)}…")
                self._run_action("retry", d.id, "")

        self.app.push_screen(
            ConfirmModal(
                f"Retry the migration {route(d)}? Azure copies again the tables that did not "
                "finish; the finished ones stay.",
                yes="Retry",
            ),
            done,
        )

    def action_delete(self) -> None:
        d = self._need_selected()
        if d is None:
            return
        allowed = can_delete(d)
        if not allowed.ok:
            self.note(f"Can't delete: {allowed.reason}")
            return
        from tui.cutover import route
        from widgets.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                self._run_action("delete", d.id, "")

        self.app.push_screen(
            ConfirmModal(
                f"Delete the migration record {route(d)} ({d.status})? The database on the "
                "target stays; only the migration's history in Azure goes.",
                yes="Delete",
            ),
            done,
        )

    def _run_action(self, what: str, migration_id: str, reason: str) -> None:
        """Send one cancel, retry or delete; what Azure answers is shown at once."""
        if what in self._busy:
            self.note(f"{what.title()} is already running.")
            return
        from tui.cutover import route
        from tui.writes import WriteFailed, accepted_text

        c = self.context.azure
        name = migration_id.rsplit("/", 1)[-1]
        self._busy.add(what)

        def answered(d: MigrationDetail | None) -> None:
            self._busy.discard(what)
            if what == "delete":
                self._forget(migration_id)
                self._done(
                    accepted_text(f"the deletion of {name}", "the migration no longer exists")
                )
                return
            assert d is not None
            text = accepted_text(f"the {what} of {name}", f"{route(d)} is {d.status}")
            if reason:
                text += f" Reason: {reason}."
            if what == "retry":  # a final migration that changed: read it until it moves
                self._stale.add(migration_id.lower())
            self.apply_detail(d)  # Canceling / retried, as Azure answered
            self._done(text)

        def refused(err: DmsTuiError) -> None:
            self._busy.discard(what)
            if isinstance(err, WriteFailed) and err.accepted is not False:
                self._stale.add(migration_id.lower())  # Azure may have acted: read it again
            self._failed(err)

        send = getattr(
            c,
            {"cancel": "cancel_migration", "retry": "retry_migration"}.get(
                what, "delete_migration"
            ),
        )
        self.run_blocking(
            send,
            migration_id,
            on_done=answered,
            on_error=refused,
            group="monitor-action",
            exclusive=False,
        )

    def _forget(self, migration_id: str) -> None:
        key = migration_id.lower()
        self.migration_ids = tuple(i for i in self.migration_ids if i.lower() != key)
        self.rows.pop(key, None)
        self.details.pop(key, None)
        if self.selected_id == key:
            self.selected_id = ""
        self._render_list()
        project = self.project
        ids = list(getattr(project, "migration_ids", None) or [])
        if project is not None and any(i.lower() == key for i in ids):
            # saved too, so the deleted migration does not come back on the next run
            project.migration_ids = [i for i in ids if i.lower() != key]
            import copy

            self._save_project(
                copy.deepcopy(project), migration_id, getattr(self.app, "project_lock", None)
            )

    def _save_project(self, project: Any, deleted: str, lock: Any) -> None:
        from tui.projects import save_project

        def save() -> str:
            try:
                path = save_project(project, lock=lock, forget=(deleted,))
            except (OSError, DmsTuiError) as exc:
                raise DmsTuiError(
                    f"The project file could not be saved ({exc}); the deleted migration may "
                    "show again next time.",
                    code="ProjectNotSaved",
                ) from exc
            return f"Removed from the project ({path.name})."

        def not_saved(error: DmsTuiError) -> None:
            self.note(f"{self.last_note} {error.message}".strip())
            self.app.notify(
                error.message,
                title="Project not saved",
                severity="warning",
                timeout=15,
                markup=False,
            )

        self.run_blocking(
            save,
            on_done=lambda text: self.note(f"{self.last_note} {text}".strip()),
            on_error=not_saved,
            group="monitor-project",
        )

    def _done(self, text: str) -> None:
        self.note(text)

    def _failed(self, error: DmsTuiError, extra: str = "") -> None:
        """A failed action: said on the status line and in a notification, and what Azure
        holds now read again."""
        text = error.full_text
        if extra:
            text += f"\nRun it yourself on the source:\n{extra}"
        accepted = getattr(error, "accepted", False)
        title = {None: "Outcome unknown", True: "Accepted, not read back"}.get(accepted, "Not done")
        self.note(text)
        self.app.notify(text, title=title, severity="error", timeout=15, markup=False)
        self.action_refresh_now()  # show what Azure holds now
