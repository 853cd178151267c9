"""The managed-instance / SQL VM detail: restore facts, the problem in plain words, the files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.models import MigrationDetail
from tui.monitoring import BACKUP_COLUMNS, backup_cells, problem_text, restore_summary
from widgets.progress_table import KeyedTable

_SORT = {3: "size"}


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
        self._files: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Static("", classes="facts", markup=False)
        yield Static("", classes="problem -empty", markup=False)
        yield KeyedTable(BACKUP_COLUMNS, widths=(None, 16, 10, 9, None, None, 11, 11),
                         sort_value=self._sort_value, id="backup-files")

    def _sort_value(self, key: str, col: int):
        f = self._files.get(key)
        if f is None:
            return None
        if col == 3:
            return f.total_size or 0
        if col in (4, 5):
            return int(getattr(f, "first_lsn" if col == 4 else "last_lsn") or 0) \
                if (getattr(f, "first_lsn" if col == 4 else "last_lsn") or "").isdigit() else 0
        if col in (6, 7):
            when = f.restore_started if col == 6 else f.restore_finished
            return when.timestamp() if when else 0.0
        return backup_cells(f)[col].lower()

    def show(self, detail: MigrationDetail) -> None:
        self.query_one(".facts", Static).update("\n".join(restore_summary(detail)))
        problem = problem_text(detail)
        p = self.query_one(".problem", Static)
        p.update(problem)
        p.set_class(not problem, "-empty")
        rows: dict[str, tuple[str, ...]] = {}
        self._files = {}
        for s in detail.backup_sets:
            for f in s.files:
                key = f"{s.backup_set_id}/{f.name}"
                self._files[key] = f
                rows[key] = backup_cells(f)
        self.query_one(KeyedTable).sync(rows)
