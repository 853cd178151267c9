"""Text the DBA has to carry somewhere else whole — a T-SQL statement with its URL — written
to a file they can open or ``cat`` and select in one piece (a terminal copy of a wrapped line
arrives broken). Under ``<DMS_TUI_HOME>/exports`` (0700), the file 0600.

Never for secrets: auth keys, passwords and tokens are only copied to the clipboard."""

from __future__ import annotations

from pathlib import Path

from tui.export import export_dir
from tui.private_files import open_private, private_dir


def save_text(name: str, text: str, folder: Path | None = None) -> Path:
    """Write ``text`` to ``name`` (a plain file name) in the exports folder; its path."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "copied.txt"
    out = private_dir(export_dir(folder), tighten=folder is None) / safe
    with open_private(out, encoding="utf-8", newline="\n") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")
    return out
