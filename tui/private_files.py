"""Files only their owner can read: 0600 files in 0700 folders, written whole or not at all.

Project names, server names and migration ids are nobody else's business on a shared jump
box, so everything the product writes goes through here.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(folder: Path, *, tighten: bool = True) -> Path:
    """Create ``folder`` (0700) if missing. ``tighten`` also takes group and others' access
    away from a folder that exists — only for folders the product owns, never one the DBA
    named."""
    folder = Path(folder)
    if not folder.is_dir():
        missing = [folder, *(p for p in folder.parents if not p.exists())]
        for path in reversed(missing):  # each one we create is ours: 0700, whatever the umask
            path.mkdir(exist_ok=True, mode=DIR_MODE)
            os.chmod(path, DIR_MODE)
    elif tighten and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        os.chmod(folder, stat.S_IMODE(folder.stat().st_mode) & ~0o077)
    return folder


def open_private(path: Path, mode: str = "w", **kw):
    """``open()`` for writing a new or existing file that ends up 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # an existing file keeps its old mode otherwise
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, mode, **kw)


def temp_prefix(name: str) -> str:
    """Temp files are ``.NAME.<8 random>.tmp`` (``tempfile.mkstemp``'s own 8 characters)."""
    return f".{name}."


def write_atomically(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to a 0600 temp file beside ``path`` and move it into place, so a killed
    process leaves the old file or the new one, never half of one.

    ``exclusive`` refuses (``FileExistsError``) when ``path`` already exists — checked and
    done in one step by the file system, so two writers can't both create it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path.stem), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            fh.write(data)
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
