"""One writer per project: an advisory ``flock`` on ``.NAME.lock`` beside the project file.

The instance that opens a project in the wizard or the monitor holds the lock until it leaves
the project; the kernel drops it when the process dies (a lost SSH session included), so a
stale lock can't outlive its holder. The lock file says who holds it — process, host, user,
since when — so a second instance can tell the DBA who has the project open.

``flock`` locks belong to an open file description: two ``ProjectLock`` objects in one process
exclude each other just as two processes do. (Where ``flock`` is emulated with POSIX locks, as
on some NFS homes, closing any descriptor of the file drops the process's lock: so a lock file
this process holds is never opened a second time — ``held_here`` answers instead.)
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui.errors import DmsTuiError
from tui.private_files import FILE_MODE


@dataclass(frozen=True)
class Holder:
    """Who holds a project's lock, as the holder wrote it."""

    pid: int = 0
    host: str = ""
    user: str = ""
    since: str = ""

    def describe(self) -> str:
        if not self.pid:
            return "another dms-tui (it did not say which)"
        when = f" since {self.since[11:16]} UTC" if len(self.since) >= 16 else ""
        return f"dms-tui process {self.pid} of {self.user or '?'} on {self.host or '?'}{when}"


class ProjectLocked(DmsTuiError):
    """Another instance holds the project; ``holder`` says who."""

    def __init__(self, name: str, holder: Holder):
        super().__init__(
            f"Project {name} is open in {holder.describe()}.",
            code="ProjectLocked",
            hint="Only one dms-tui at a time can change a project: close it "
            "there first. Meanwhile its migrations can be watched here, "
            "read-only, in the monitor.",
        )
        self.name = name
        self.holder = holder


_held: dict[Path, Holder] = {}  # lock files this process holds → what it wrote in them


def held_here(project_file: Path) -> Holder | None:
    """This process's own hold on the project, if it has one."""
    return _held.get(lock_path(project_file))


def lock_path(project_file: Path) -> Path:
    return project_file.with_name(f".{project_file.stem}.lock")


def _read_holder(fd: int) -> Holder:
    try:
        raw = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        data = json.loads(raw) if raw.strip() else {}
        return Holder(
            pid=int(data.get("pid", 0)),
            host=str(data.get("host", "")),
            user=str(data.get("user", "")),
            since=str(data.get("since", "")),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Holder()


def _me() -> Holder:
    import getpass  # taking a lock only: the start screen reads locks, never takes one

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        user=user,
        since=datetime.now(UTC).isoformat(timespec="seconds"),
    )


class ProjectLock:
    """``acquire()`` takes the lock or raises ``ProjectLocked``; ``release()`` lets it go."""

    def __init__(self, name: str, project_file: Path) -> None:
        self.name = name
        self.path = lock_path(project_file)
        self._fd: int | None = None

    @classmethod
    def acquire(cls, name: str, project_file: Path) -> ProjectLock:
        lock = cls(name, project_file)
        mine = _held.get(lock.path)
        if mine is not None:
            raise ProjectLocked(name, mine)
        fd = os.open(lock.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise ProjectLocked(name, holder) from None
        except BaseException:
            os.close(fd)
            raise
        me = _me()
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
        lock._fd = fd
        _held[lock.path] = me
        return lock

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self, *, remove: bool = False) -> None:
        """Let go. ``remove`` also deletes the lock file (the project itself is gone)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _held.pop(self.path, None)
        try:
            if remove:
                self.path.unlink(missing_ok=True)
            else:
                os.ftruncate(fd, 0)  # nobody holds it: nothing to tell
        finally:
            os.close(fd)

    def __enter__(self) -> ProjectLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def holder_of(name: str, project_file: Path) -> Holder | None:
    """Who holds the project now, or ``None`` when nobody does. Looks with a shared lock,
    given back at once: never waits, never writes."""
    mine = held_here(project_file)
    if mine is not None:
        return mine
    try:
        fd = os.open(lock_path(project_file), os.O_RDONLY)
    except OSError:
        return None  # no lock file: never opened since it was made
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(fd)
    finally:
        os.close(fd)
    return None
