"""Damaged project files, each with the reason the app gives for it, written into the
projects folder."""

from __future__ import annotations

from pathlib import Path

from tui.projects import projects_dir

DAMAGED = {
    "empty": (b"", "empty"),
    "no-name": (b"step = 3\nsandbox = true\n", "no name"),
    "not-utf8": (b'name = "not-utf8"\nlocation = "caf\xe9"\n', "not UTF-8"),
    "not-toml": (b'name = "not-toml"\nstep = [\n', "not valid TOML"),
    "ids-number": (
        b'name = "ids-number"\nmigration_ids = 7\n',
        "migration_ids should be a list of text, not a whole number",
    ),
    "source-text": (b'name = "source-text"\nsource = "x"\n', "source should be a table, not text"),
    "name-number": (b"name = 5\n", "name should be text, not a whole number"),
}


def write(name: str, data: bytes) -> Path:
    folder = projects_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_bytes(data)
    return path
