"""The managed-instance / SQL VM detail: restore facts (with the file in flight, its percent
and estimate), the problem or the stall in plain words with the fix, the files."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.models import BackupFile, MigrationDetail
from tui.monitoring.problem import problem_text
from tui.monitoring.restore import (
    BACKUP_COLUMNS,
    BACKUP_WIDTHS,
    FileProgress,
    backup_cells,
    backup_columns,
    name_room,
    restore_summary,
)
from widgets.progress_table import KeyedTable
from widgets.quiet_text import write_text


class BackupPane(Vertical):
    DEFAULT_CSS = """
    BackupPane {
        height: 1fr;
    }
    BackupPane > .facts {
        height: auto;
        padding: 0 1;
    }
    BackupPane > .problem {
        height: auto;
        padding: 0 1;
        color: $error;
        text-style: bold;
    }
    BackupPane > .problem.-empty {
        display: none;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._files: dict[str, BackupFile] = {}
        self._restored: dict[str, datetime | None] = {}
        self._texts: dict[str, str] = {}
        self._room: int | None = None  # cells a file name may take (narrow terminals)

    def compose(self) -> ComposeResult:
        yield Static("", classes="facts", markup=False)
        yield Static("", classes="problem -empty", markup=False)
        yield KeyedTable(
            BACKUP_COLUMNS, widths=BACKUP_WIDTHS, sort_value=self._sort_value, id="backup-files"
        )

    def _sort_value(self, key: str, col: int):
        f = self._files.get(key)
        if f is None:
            return None
        if col == 3:
            return f.total_size or 0
        if col in (4, 5):
            lsn = getattr(f, "first_lsn" if col == 4 else "last_lsn") or ""
            return int(lsn) if lsn.isascii() and lsn.isdigit() else 0
        if col == 6:
            return f.backup_finished.timestamp() if f.backup_finished else 0.0
        if col == 7:
            when = self._restored.get(key)
            return when.timestamp() if when else 0.0
        return backup_cells(f)[col].lower()

    def show(
        self,
        detail: MigrationDetail,
        restore_times: dict[str, tuple[datetime | None, datetime | None]] | None = None,
        *,
        stall: str = "",
        progress: FileProgress | None = None,
    ) -> None:
        """``restore_times``: ``{file name (lower case): (seen Restoring, seen Restored)}``
        as this session observed them; ``stall``: the stall detector's words;
        ``progress``: the file in flight."""
        facts = restore_summary(detail, in_flight=progress is not None)
        if progress is not None:
            facts.append(progress.text())
        self._text(".facts", "\n".join(facts))
        problem = problem_text(detail) if detail.error is not None or not stall else stall
        self._text(".problem", problem)
        self.query_one(".problem", Static).set_class(not problem, "-empty")
        times = restore_times or {}
        rows: dict[str, tuple[str, ...]] = {}
        self._files = {}
        self._restored = {}
        for s in detail.backup_sets:
            for f in s.files:
                key = f"{s.backup_set_id}/{f.name}"
                self._files[key] = f
                restored = times.get(f.name.lower(), (None, None))[1]
                self._restored[key] = restored
                rows[key] = backup_cells(f, restored, self._room)
        self.query_one(KeyedTable).sync(rows)

    def _text(self, selector: str, text: str) -> None:
        """Write ``text`` only when it differs (a rewrite costs a layout and a frame)."""
        old = self._texts.get(selector)
        if old != text:
            self._texts[selector] = text
            write_text(self.query_one(selector, Static), old, text)

    def set_width(self, width: int) -> None:
        """Narrow terminals: the compact columns, and file names shortened to fit beside
        them (from the next ``show``)."""
        room = name_room(width)
        table = self.query_one(KeyedTable)
        if room != self._room and self._files:
            # the names as they fit now, before the columns are rebuilt and measured
            table.sync(
                {k: backup_cells(f, self._restored.get(k), room) for k, f in self._files.items()}
            )
        self._room = room
        table.show_columns(backup_columns(width))
