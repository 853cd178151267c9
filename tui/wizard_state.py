"""The wizard's state, outside Textual: the saved project plus what lives in memory only.

``Project`` (tui.projects) holds the choices and ids and is written to disk; ``Secrets`` holds
passwords and keys and is never written. The screens read and change a ``WizardState``;
``build_specs`` turns it into the ``MigrationSpec`` list the summary step creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui import models as m
from tui import readiness as r
from tui import validation as v
from tui.context import SourceParams
from tui.errors import DmsTuiError
from tui.project_lock import ProjectLock
from tui.project_settings import MigrationSettings
from tui.projects import (
    Project,
    ProjectExists,
    lock_project,
    project_path,
    rename_project,
    save_project,
    validate_name,
)
from tui.steps import STEPS as STEPS  # the names widgets and tests know them by
from tui.steps import step_label as step_label


@dataclass
class Secrets:
    """Typed in masked fields, kept in memory for this run only. Never in repr."""

    source_password: str = field(default="", repr=False)
    target_password: str = field(default="", repr=False)
    share_password: str = field(default="", repr=False)


@dataclass
class WizardState:
    project: Project
    secrets: Secrets = field(default_factory=Secrets)
    source: Any = None  # an open tui.source.base.Source, once tested
    service: m.MigrationService | None = None
    target: m.Target | None = None
    inventory: dict[str, m.DatabaseInventory] = field(default_factory=dict)
    readiness: dict[str, r.Readiness] = field(default_factory=dict)  # read on step 6
    named: bool = False  # the project has been named (step 3) and is saved
    waits: dict[str, float] = field(default_factory=dict)  # long operation → started (clock)
    lock: ProjectLock | None = None  # this instance's hold on the project file
    _written: dict | None = field(default=None, repr=False)  # what the file holds, as we wrote it

    def __post_init__(self) -> None:
        if self.named:  # opened from its file: what is in memory is what the file holds
            self._written = self._content()

    # ---------------------------------------------------------------- persistence

    def save(self, at: int | None = None) -> bool:
        """Note that the DBA is on step ``at`` (Back never lowers the step reached) and
        write the project if it has a name. Skips the write when nothing changed since the
        last one. ``True`` when the file was written."""
        if at is not None:
            self.project.reach(at)
        if not self.named:
            return False
        now = self._content()
        if now == self._written:
            return False
        save_project(self.project, lock=self.lock)
        self._written = self._content()
        return True

    def _content(self) -> dict:
        data = self.project.to_table()
        data.pop("updated", None)
        return data

    def create(self, name: str) -> None:
        """Step 3 on a new project: take ``name`` and write the file — refused, never
        overwriting, when a project of that name exists or is being created elsewhere."""
        error = validate_name(name)
        if error:
            raise DmsTuiError(error, code="InvalidProjectName")
        if project_path(name).exists():
            raise ProjectExists(name)
        lock = lock_project(name)
        self.project.name = name
        try:
            save_project(self.project, lock=lock, create=True)
        except BaseException:
            self.project.name = ""
            lock.release(remove=not project_path(name).exists())
            raise
        self.lock, self.named = lock, True
        self._written = self._content()

    def rename(self, name: str) -> None:
        """The explicit rename of a saved project (step 3's Ctrl+R)."""
        if self.lock is None:
            raise DmsTuiError(
                "This project is open read-only here: it can't be renamed.", code="ProjectReadOnly"
            )
        self.lock = rename_project(self.project, name, self.lock)
        self._written = self._content()

    def close(self) -> None:
        """Leave the project: another instance may open it for writing now."""
        if self.lock is not None:
            self.lock.release()

    # ---------------------------------------------------------------- typed views

    @property
    def kind(self) -> m.TargetKind | None:
        return m.TargetKind.parse(self.project.target_kind)

    @property
    def settings(self) -> MigrationSettings:
        return self.project.settings

    @property
    def online(self) -> bool:
        return self.kind != m.TargetKind.SQL_DB and self.settings.online

    def findings(self, database: str) -> list[m.Finding]:
        """Step 6's findings for ``database`` in the mode now chosen, the TDE blocker
        cleared once its certificate is on this target; [] when step 6 has not read it."""
        return r.findings(
            self.readiness.get(database),
            online=self.online,
            kind=self.kind,
            target_id=self.project.target_id,
            certified_for=self.settings.tde_certificates.get(database, ""),
        )

    def certificate_on_target(self, database: str) -> None:
        """Record that ``database``'s TDE certificate is on the chosen target."""
        self.settings.tde_certificates[database] = self.project.target_id

    def source_params(self) -> SourceParams:
        return self.project.source.params(self.secrets.source_password)

    def target_names(self) -> dict[str, str]:
        names = self.settings.target_names
        return {db: names.get(db, db) for db in self.project.databases}

    def missing_secrets(self, step: int) -> list[str]:
        """Which secrets the steps before ``step`` need but memory no longer holds."""
        missing = []
        src = self.project.source
        if (
            step > 4
            and src.server
            and src.authentication in ("sql", "windows")
            and not self.secrets.source_password
        ):
            missing.append("source_password")
        if step > 5 and self.kind == m.TargetKind.SQL_DB and not self.secrets.target_password:
            missing.append("target_password")
        if step > 7 and self.settings.backup == "share" and not self.secrets.share_password:
            missing.append("share_password")
        return missing

    # ---------------------------------------------------------------- final checks

    def problems(self) -> list[str]:
        """Every reason the migrations can't be created yet, each naming the fix. The
        settings of step 7 are checked by the same rules as on step 7 itself."""
        p = self.project
        out: list[str] = []
        if not p.service_id:
            out.append("DMS instance: none chosen — go back to step 2 and pick or create one.")
        if not p.source.server:
            out.append("Source: no server — go back to step 4.")
        if p.source.authentication == "entra":
            out.append(
                "Source authentication: DMS signs in to the source with a SQL login or "
                "a Windows account, not Microsoft Entra — go back to step 4 and choose "
                "one of those."
            )
        if not p.target_id or self.kind is None:
            out.append("Target: none chosen — go back to step 5.")
        if not p.databases:
            out.append("Databases: none selected — go back to step 6.")
        for name in p.databases:
            out += self._readiness_problems(name)
        for name in self.missing_secrets(8):  # the share's password is a step-7 rule
            out.append(
                {
                    "source_password": "Source password: not in memory — type it again.",
                    "target_password": "Target password: not in memory — type it again.",
                }[name]
            )
        if self.kind == m.TargetKind.SQL_DB:
            return out
        runtime = self.service.integration_runtime_state if self.service is not None else None
        out += [
            f"Step 7 · {problem}"
            for problem in v.migration_settings(
                self.settings,
                p.databases,
                share_password=bool(self.secrets.share_password),
                runtime_state=runtime,
            )
        ]
        return out

    def _readiness_problems(self, name: str) -> list[str]:
        """The blockers of ``name`` in the chosen mode, each with its fix — and, when the
        other mode has no such blocker, that choosing it is a way out."""
        mode, other = ("online", "offline") if self.online else ("offline", "online")
        readiness = self.readiness.get(name)
        out = []
        for f in r.blockers(self.findings(name)):
            way_out = "Or leave it out on step 6."
            if readiness is not None and self.kind != m.TargetKind.SQL_DB:
                there = readiness.for_mode(not self.online)
                if not any(g.rule_id == f.rule_id and g.severity is f.severity for g in there):
                    way_out = f"Or choose {other} on step 7, or leave it out on step 6."
            out.append(
                f"Databases: {name} can't be migrated {mode} — {f.message} "
                f"Fix: {f.fix or 'see step 6'} {way_out}"
            )
        return out

    # ---------------------------------------------------------------- what gets created

    def build_specs(self, account_key: str = "") -> list[m.MigrationSpec]:
        p, s = self.project, self.settings
        kind = self.kind
        assert kind is not None
        params = self.source_params()
        data_source = params.server if params.port == 1433 else f"{params.server},{params.port}"
        auth = (
            "WindowsAuthentication" if params.authentication == "windows" else "SqlAuthentication"
        )
        source = m.SourceConnection(
            data_source=data_source,
            authentication=auth,
            user_name=params.user,
            password=params.password,
            encrypt_connection=params.encrypt,
            trust_server_certificate=params.trust_server_certificate,
        )
        names = self.target_names()
        specs = []
        for db in p.databases:
            common: dict[str, Any] = dict(
                kind=kind,
                target_id=p.target_id,
                target_database=names[db],
                source_database=db,
                migration_service_id=p.service_id,
                source=source,
            )
            if kind == m.TargetKind.SQL_DB:
                fqdn = self.target.fqdn if self.target else s.target_fqdn
                target_sql = m.TargetSqlConnection(
                    data_source=fqdn,
                    user_name=s.target_user,
                    password=self.secrets.target_password,
                )
                tables = tuple(s.tables.get(db, []))
                specs.append(
                    m.MigrationSpec(**common, online=False, target_sql=target_sql, tables=tables)
                )
                continue
            blob = share = None
            if s.backup == "blob":
                managed = s.managed_identity
                blob = m.BlobBackupSource(
                    storage_account_id=s.storage_account_id,
                    container=s.container,
                    folder=db,
                    auth_type="ManagedIdentity" if managed else "AccountKey",
                    account_key="" if managed else account_key,
                )
            else:
                share = m.ShareBackupSource(
                    path=s.share_path,
                    user_name=s.share_user,
                    password=self.secrets.share_password,
                    storage_account_id=s.storage_account_id,
                    account_key=account_key,
                )
            last = "" if self.online else s.last_backup.get(db, "")
            specs.append(
                m.MigrationSpec(
                    **common, online=self.online, blob=blob, share=share, last_backup_name=last
                )
            )
        return specs

    def describe(self) -> list[str]:
        """The summary, one line per thing that will be created."""
        p, s = self.project, self.settings
        kind = self.kind
        lines = []
        target = self.target.name if self.target else p.target_id.rsplit("/", 1)[-1]
        svc = p.service_id.rsplit("/", 1)[-1]
        mode = "online" if self.online else "offline"
        for db, tname in self.target_names().items():
            where = ""
            if kind == m.TargetKind.SQL_DB:
                tables = s.tables.get(db, [])
                where = f"tables: {len(tables) if tables else 'all'}"
            elif s.backup == "blob":
                acct = s.storage_account_id.rsplit("/", 1)[-1]
                where = f"backups: blob {acct}/{s.container}/{db}/ ({s.blob_auth})"
            else:
                where = f"backups: share {s.share_path}"
            if not self.online and kind != m.TargetKind.SQL_DB:
                where += f", last file {s.last_backup.get(db, '')}"
            lines.append(f"{db} → {target}/{tname} · {mode} via {svc} · {where}")
        return lines
