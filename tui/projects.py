"""Saved migration projects: a named plan on the jump box that any later run resumes.

Azure has no project resource any more, so the project file holds the DBA's choices and
the ids of what was created — never a password, key or token. TOML under the user's
config dir (``platformdirs``); ``DMS_TUI_HOME`` overrides it (tests, shared jump boxes).
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tui.errors import DmsTuiError

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

# Keys that must never be written, wherever they appear in a project's settings.
SECRET_KEYS = {"password", "account_key", "accountkey", "auth_key1", "auth_key2", "token",
               "access_token", "secret", "client_secret", "sas", "sas_token"}


def home() -> Path:
    override = os.environ.get("DMS_TUI_HOME")
    if override:
        return Path(override)
    from platformdirs import user_config_path
    return user_config_path("dms-tui", appauthor=False)


def projects_dir() -> Path:
    return home() / "projects"


def validate_name(name: str) -> str | None:
    """``None`` when ``name`` is a valid project name, else the message to show."""
    if not name:
        return "Project name: type a name, e.g. payroll-to-mi."
    if not NAME_RE.match(name):
        return ("Project name: use letters, digits, '.', '_' or '-' (up to 64, starting with a "
                "letter or digit).")
    return None


@dataclass
class Project:
    """Every choice of the wizard, and the ids of what was created in Azure."""

    name: str
    step: int = 1  # the wizard step to resume at (1..9)
    sandbox: bool = False
    sign_in: str = ""  # SignInMethod value
    tenant_id: str = ""
    subscription_id: str = ""
    resource_group: str = ""
    location: str = ""
    service_id: str = ""  # the DMS instance (sqlMigrationServices id)
    source: dict[str, Any] = field(default_factory=dict)  # server, port, authentication, user, encrypt, trust
    target_kind: str = ""  # TargetKind value
    target_id: str = ""
    databases: list[str] = field(default_factory=list)  # source databases chosen
    settings: dict[str, Any] = field(default_factory=dict)  # mode, backups, names, tables
    migration_ids: list[str] = field(default_factory=list)  # databaseMigrations created
    created: str = ""
    updated: str = ""

    @property
    def path(self) -> Path:
        return projects_dir() / f"{self.name}.toml"


def _strip_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_secrets(v) for k, v in value.items()
                if k.lower() not in SECRET_KEYS and v is not None}
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value if v is not None]
    return value


def save_project(project: Project) -> Path:
    """Write atomically (temp file + rename) so a dropped session never leaves half a file."""
    import tomli_w
    from datetime import datetime, timezone

    error = validate_name(project.name)
    if error:
        raise DmsTuiError(error, code="InvalidProjectName")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    project.created = project.created or now
    project.updated = now
    data = _strip_secrets(asdict(project))
    folder = projects_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{project.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(data, fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, project.path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return project.path


def load_project(name: str) -> Project:
    path = projects_dir() / f"{name}.toml"
    if not path.exists():
        raise DmsTuiError(f"No saved project named {name!r}.", code="ProjectNotFound",
                          hint=f"Saved projects are in {projects_dir()}; start a new one.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DmsTuiError(f"The project file {path} can't be read: {exc}",
                          code="ProjectUnreadable",
                          hint="Fix or delete the file, then open the project again.") from None
    known = {f.name for f in fields(Project)}
    project = Project(**{k: v for k, v in data.items() if k in known})
    if not isinstance(project.step, int) or not 1 <= project.step <= 9:
        project.step = 1
    return project


def list_projects() -> list[Project]:
    folder = projects_dir()
    if not folder.exists():
        return []
    result = []
    for path in sorted(folder.glob("*.toml")):
        try:
            result.append(load_project(path.stem))
        except DmsTuiError:
            continue
    return sorted(result, key=lambda p: p.updated, reverse=True)


def delete_project(name: str) -> None:
    (projects_dir() / f"{name}.toml").unlink(missing_ok=True)
