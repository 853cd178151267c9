"""The monitor's backup-folder preflight: ``b`` checks the highlighted migration's folder now
(its own container and folder, read from Azure, against the source's backup history) and
shows what DMS would stumble on. ``preflight(detail, then)`` is the same check for any other
caller — a stall detector hands its own ``then`` — one check per migration at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding

from tui.models import MigrationDetail, TargetKind
from tui.preflight import FolderCheck


class MonitorPreflight:
    """Mixed into the monitor screen, which gives ``_need_selected``, ``with_source``,
    ``note``, ``context`` and ``app``."""

    # not in the footer: on an 80-column terminal it would push Cancel out of sight
    PREFLIGHT_BINDING = Binding(
        "b",
        "backup_preflight",
        "Folder",
        id="monitor.preflight",
        tooltip="Preflight the backup folder: check the selected migration's folder now",
        show=False,
    )

    def action_backup_preflight(self: Any) -> None:
        d = self._need_selected()
        if d is None:
            return
        if d.kind == TargetKind.SQL_DB:
            self.note(
                "The backup-folder check is for managed instance and SQL VM migrations: "
                "Azure SQL Database migrations copy tables, not backups."
            )
            return
        self.preflight(d)

    def preflight(
        self: Any,
        detail: MigrationDetail,
        then: Callable[[FolderCheck], None] | None = None,
    ) -> bool:
        """Check ``detail``'s backup folder in a worker, then call ``then`` with the
        ``FolderCheck`` on the event loop (default: show it in a dialog). ``False`` when a
        check of that migration is already running."""
        running: set[str] = self.__dict__.setdefault("_preflights", set())
        key = detail.id.lower()
        if key in running:
            self.note(f"The backup folder of {detail.source_database} is being checked already.")
            return False

        def go(params: Any) -> None:
            if key in running:
                return
            running.add(key)
            self.note(f"Checking the backup folder of {detail.source_database}…")
            self._preflight_worker(detail, params, then)

        self.with_source(detail, go)
        return True

    def _preflight_worker(
        self: Any, detail: MigrationDetail, params: Any, then: Callable | None
    ) -> None:
        from tui.preflight import check_migration

        self.run_blocking(
            check_migration,
            self.context,
            detail,
            params,
            on_done=lambda check: self._preflight_done(detail, check, then),
            on_error=lambda error: self._preflight_failed(detail, error),
            group="monitor-preflight",
            exclusive=False,
        )

    def _preflight_done(
        self: Any, detail: MigrationDetail, check: FolderCheck, then: Callable | None
    ) -> None:
        self.__dict__.setdefault("_preflights", set()).discard(detail.id.lower())
        self.note(check.summary)
        if then is not None:
            then(check)
            return
        if self.is_attached and self.app.screen is self:
            from screens.preflight_findings import PreflightScreen
            from tui.cutover import route

            self.app.push_screen(PreflightScreen(check, route(detail)))

    def _preflight_failed(self: Any, detail: MigrationDetail, error: Any) -> None:
        self.__dict__.setdefault("_preflights", set()).discard(detail.id.lower())
        text = f"Backup folder of {detail.source_database} not checked: {error.full_text}"
        self.note(text)
        self.app.notify(text, title="Not checked", severity="error", timeout=15, markup=False)
