"""Saved migration projects: a named plan on the jump box that any later run resumes.

Azure has no project resource any more, so the project file holds the DBA's choices and
the ids of what was created — never a password, key or token. TOML under the user's
config dir (``platformdirs``); ``DMS_TUI_HOME`` overrides it (tests, shared jump boxes).

A project is the file ``<projects>/<name>.toml``; names never leave that folder. Writes are
atomic, 0600 in a 0700 folder, under the project's lock (``tui.project_lock``), and merge
``migration_ids`` with what the file already holds, so no migration id is ever dropped by a
stale copy. Reading never trusts a file: a damaged one is reported, never raised through.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from tui import project_schema as schema
from tui.errors import DmsTuiError
from tui.home import home
from tui.private_files import private_dir, temp_prefix, write_atomically
from tui.project_lock import ProjectLock, ProjectLocked, held_here, holder_of
from tui.project_settings import MigrationSettings, SourceSettings

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_RULE = "use letters, digits, '.', '_' or '-' (up to 64, starting with a letter or digit)"
TEMP_STALE_AFTER = 60.0  # seconds: a save takes milliseconds; older temp files are leftovers

# Keys that must never be written, wherever they appear in a project's settings.
SECRET_KEYS = {
    "password",
    "account_key",
    "accountkey",
    "auth_key1",
    "auth_key2",
    "token",
    "access_token",
    "secret",
    "client_secret",
    "sas",
    "sas_token",
}

_saving = threading.RLock()  # the UI thread and a monitor worker may both save


def projects_dir() -> Path:
    return home() / "projects"


def validate_name(name: str) -> str | None:
    """``None`` when ``name`` is a valid project name, else the message to show."""
    if not name:
        return "Project name: type a name, e.g. payroll-to-mi."
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return f"Project name: remove the control character (a newline, tab or NUL) — {NAME_RULE}."
    if not NAME_RE.fullmatch(name):
        return f"Project name: {NAME_RULE}."
    return None


def project_path(name: str) -> Path:
    """The file of project ``name``, always directly inside the projects folder."""
    error = validate_name(name)
    if error:
        raise DmsTuiError(
            error,
            code="InvalidProjectName",
            hint=f"Saved projects are the .toml files in {projects_dir()}.",
        )
    folder = projects_dir()
    path = folder / f"{name}.toml"
    if path.parent.resolve() != folder.resolve():  # belt and braces: the name rule forbids it
        raise DmsTuiError(
            f"Project name {name!r} points outside {folder}.", code="InvalidProjectName"
        )
    return path


@dataclass
class Project:
    """Every choice of the wizard, and the ids of what was created in Azure."""

    name: str
    step: int = 1  # the furthest wizard step reached (1..9); going Back never lowers it
    resume_step: int = 0  # the step on screen when last saved: reopening goes there (0: step)
    sandbox: bool = False
    sign_in: str = ""  # SignInMethod value
    tenant_id: str = ""
    subscription_id: str = ""
    resource_group: str = ""
    location: str = ""
    service_id: str = ""  # the DMS instance (sqlMigrationServices id)
    source: SourceSettings = field(default_factory=SourceSettings)  # step 4
    target_kind: str = ""  # TargetKind value
    target_id: str = ""
    databases: list[str] = field(default_factory=list)  # source databases chosen
    settings: MigrationSettings = field(default_factory=MigrationSettings)  # steps 5 and 7
    migration_ids: list[str] = field(default_factory=list)  # databaseMigrations created
    # cutover waves: a name → the source databases cut over together
    waves: dict[str, list[str]] = field(default_factory=dict)
    created: str = ""
    updated: str = ""

    def __setattr__(self, name: str, value: Any) -> None:
        # a file's (or any caller's) tables always become the typed settings
        if name == "source":
            value = SourceSettings.from_table(value)
        elif name == "settings":
            value = MigrationSettings.from_table(value)
        super().__setattr__(name, value)

    @property
    def path(self) -> Path:
        return project_path(self.name)

    def to_table(self) -> dict[str, Any]:
        """What the project file holds (before secrets are stripped)."""
        data = asdict(self)
        data["source"] = self.source.to_table()
        data["settings"] = self.settings.to_table()
        return data

    @property
    def resume_at(self) -> int:
        """The step reopening the project shows."""
        return min(self.resume_step or self.step, self.step)

    def reach(self, step: int) -> None:
        """The DBA is on ``step`` now: remember it, and how far the wizard has got."""
        self.resume_step = step
        self.step = max(self.step, step)


@dataclass(frozen=True)
class ProjectFile:
    """One ``.toml`` file of the projects folder, as the start screen lists it."""

    path: Path
    project: Project | None  # None: damaged, can't be opened
    problem: str = ""  # why it is damaged, in plain words
    notes: tuple[str, ...] = ()  # e.g. another file carries the same name

    @property
    def name(self) -> str:
        return self.project.name if self.project else self.path.stem


def _strip_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip_secrets(v)
            for k, v in value.items()
            if k.lower() not in SECRET_KEYS and v is not None
        }
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value if v is not None]
    return value


# ---------------------------------------------------------------- reading


def _parse(path: Path) -> Project:
    """The project in ``path``; ``schema.Damaged`` says why it can't be one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise schema.Damaged(f"it can't be read ({exc.strerror or exc}).") from None
    data = schema.check(schema.decode(raw))
    if validate_name(data["name"]):
        raise schema.Damaged(f"its name {data['name']!r} is not a valid project name.")
    if data["name"] != path.stem:
        raise schema.Damaged(
            f"it says name = {data['name']!r} but the file is {path.name}: "
            f"rename the file to {data['name']}.toml or set "
            f"name = {path.stem!r} inside it."
        )
    project = Project(**data)
    project.resume_step = project.resume_step or project.step
    return project


def load_project(name: str) -> Project:
    path = project_path(name)
    if not path.is_file():
        raise DmsTuiError(
            f"No saved project named {name!r}.",
            code="ProjectNotFound",
            hint=f"Saved projects are in {projects_dir()}; start a new one.",
        )
    try:
        return _parse(path)
    except schema.Damaged as exc:
        raise DmsTuiError(
            f"The project file {path} can't be used: {exc}",
            code="ProjectDamaged",
            hint="Fix or move the file away, then open the project again.",
        ) from None


def scan_projects() -> list[ProjectFile]:
    """Every project file: the good ones newest first, then the damaged ones. Two files
    carrying one name show once, under the file named after it, with a note."""
    folder = projects_dir()
    if not folder.is_dir():
        return []
    _clean_leftovers(folder)
    good: list[tuple[Path, Project]] = []
    damaged: list[ProjectFile] = []
    strays: dict[str, list[str]] = {}  # name carried → other files carrying it
    for path in sorted(folder.glob("*.toml")):
        try:
            good.append((path, _parse(path)))
        except schema.Damaged as exc:
            carried = _carried_name(path)
            if carried and carried != path.stem and (folder / f"{carried}.toml").is_file():
                strays.setdefault(carried, []).append(path.name)
                continue
            damaged.append(ProjectFile(path, None, str(exc)))
    out = []
    for path, project in sorted(good, key=lambda e: e[1].updated, reverse=True):
        copies = strays.pop(project.name, [])
        notes = tuple(
            f"{c} also says name = {project.name!r}: not opened (a copy?)" for c in copies
        )
        out.append(ProjectFile(path, project, notes=notes))
    for name, copies in strays.items():  # the file named after them is itself damaged
        damaged.extend(
            ProjectFile(
                folder / c, None, f"it says name = {name!r}, a project whose own file is damaged"
            )
            for c in copies
        )
    return out + sorted(damaged, key=lambda e: e.path.name)


def _carried_name(path: Path) -> str:
    try:
        name = schema.decode(path.read_bytes()).get("name")
    except (OSError, schema.Damaged):
        return ""
    return name if isinstance(name, str) else ""


def list_projects() -> list[Project]:
    """The projects that can be opened, newest first."""
    return [e.project for e in scan_projects() if e.project is not None]


# ---------------------------------------------------------------- writing


def lock_project(name: str) -> ProjectLock:
    """Take project ``name``'s lock (``ProjectLocked`` names the holder), and clear the temp
    files its interrupted saves left behind — nobody else can be writing them now."""
    path = project_path(name)
    private_dir(path.parent)
    lock = ProjectLock.acquire(name, path)
    clean_temp_files(name)
    return lock


def clean_temp_files(name: str, *, now: float | None = None) -> list[Path]:
    """Delete ``.NAME.XXXXXXXX.tmp`` files older than ``TEMP_STALE_AFTER`` — only that exact
    pattern, only regular files; call it while holding the project's lock."""
    folder = projects_dir()
    pattern = re.compile(re.escape(temp_prefix(name)) + r"[a-z0-9_]{8}\.tmp")
    now = time.time() if now is None else now
    removed = []
    for path in folder.glob(f".{name}.*.tmp"):
        try:
            st = path.lstat()
        except OSError:
            continue
        if (
            pattern.fullmatch(path.name)
            and path.is_file()
            and not path.is_symlink()
            and now - st.st_mtime > TEMP_STALE_AFTER
        ):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _clean_leftovers(folder: Path) -> None:
    """Temp files of every project nobody has open (their own lock tells)."""
    names = {
        m.group(1)
        for p in folder.glob(".*.tmp")
        if (m := re.fullmatch(r"\.(.+)\.[a-z0-9_]{8}\.tmp", p.name))
        and not validate_name(m.group(1))
    }
    for name in names:
        if held_here(project_path(name)):
            clean_temp_files(name)  # ours: nobody else writes it
            continue
        try:
            lock = lock_project(name)
        except (ProjectLocked, OSError):
            continue  # open in some dms-tui: that one cleans up when it can
        lock.release(remove=not project_path(name).exists())


def _serialize(project: Project) -> bytes:
    import tomli_w

    return tomli_w.dumps(_strip_secrets(project.to_table())).encode("utf-8")


_written: dict[Path, tuple[tuple, list[str]]] = {}  # file → (its stat when we wrote it, ids)


def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _ids_on_disk(path: Path) -> list[str]:
    """The migration ids the file holds now — re-read only when someone else wrote it since
    this process did (parsing TOML on every keystroke's save would be wasted time)."""
    try:
        key = _stat_key(path)
    except OSError:
        return []
    cached = _written.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        return list(schema.check(schema.decode(path.read_bytes())).get("migration_ids", []))
    except (OSError, schema.Damaged):
        return []


def _merge_ids(mine: list[str], theirs: Iterable[str], forget: Iterable[str]) -> list[str]:
    dropped = {i.lower() for i in forget}
    merged = [i for i in mine if i.lower() not in dropped]
    seen = {i.lower() for i in merged}
    for i in theirs:
        if i.lower() not in seen and i.lower() not in dropped:
            merged.append(i)
            seen.add(i.lower())
    return merged


def save_project(
    project: Project,
    *,
    lock: ProjectLock | None = None,
    forget: Iterable[str] = (),
    create: bool = False,
) -> Path:
    """Write ``project`` atomically under its lock — ``lock`` when this caller holds it, else
    taken for the write (``ProjectLocked`` when another instance has the project open).

    ``migration_ids`` already in the file are kept (the file is re-read under the lock);
    only the ids in ``forget`` — migrations deleted in Azure — are dropped. ``create``
    refuses to replace an existing file (``ProjectExists``)."""
    from datetime import datetime

    path = project_path(project.name)
    private_dir(path.parent)
    with _saving:
        own = lock if lock is not None and lock.held and lock.name == project.name else None
        temporary = None if own else ProjectLock.acquire(project.name, path)
        try:
            if create and path.exists():
                raise ProjectExists(project.name)
            project.migration_ids = _merge_ids(project.migration_ids, _ids_on_disk(path), forget)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            project.created = project.created or now
            project.updated = now
            try:
                write_atomically(path, _serialize(project), exclusive=create)
            except FileExistsError:
                raise ProjectExists(project.name) from None
            _written[path] = (_stat_key(path), list(project.migration_ids))
        finally:
            if temporary is not None:
                temporary.release()
    return path


class ProjectExists(DmsTuiError):
    def __init__(self, name: str):
        super().__init__(
            f"Project name: {name} is already a saved project — open it from "
            "the start screen, or type another name.",
            code="ProjectExists",
        )


def rename_project(project: Project, new: str, lock: ProjectLock) -> ProjectLock:
    """Give the project (held through ``lock``) the name ``new``: refused when ``new`` is
    taken or open elsewhere. Returns the lock of the new name; the old file goes last."""
    error = validate_name(new)
    if error:
        raise DmsTuiError(error, code="InvalidProjectName")
    if project_path(new).exists():
        raise ProjectExists(new)
    old = project.name
    new_lock = lock_project(new)
    try:
        project.name = new
        save_project(project, lock=new_lock, create=True)
    except BaseException:
        project.name = old
        new_lock.release()
        raise
    project_path(old).unlink(missing_ok=True)
    lock.release(remove=True)
    return new_lock


def delete_project(name: str) -> None:
    """Delete project ``name``'s file — only ever a file inside the projects folder."""
    path = project_path(name)
    with lock_project(name) as lock:
        path.unlink(missing_ok=True)
        lock.release(remove=True)


__all__ = [
    "Project",
    "ProjectFile",
    "ProjectExists",
    "ProjectLock",
    "ProjectLocked",
    "clean_temp_files",
    "delete_project",
    "holder_of",
    "home",
    "list_projects",
    "load_project",
    "lock_project",
    "project_path",
    "projects_dir",
    "rename_project",
    "save_project",
    "scan_projects",
    "validate_name",
]
