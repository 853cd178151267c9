"""Step 7: online or offline, where the backups are, target names, last backup, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, RadioButton, RadioSet, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.models import MigrationService, StorageAccount, TargetKind
from tui.project_settings import MigrationSettings
from widgets.toggles import MarkedRadioButton


def _index(widget: Widget) -> int:
    """The database a per-database widget belongs to: ``i`` in its id ``tables-<i>``."""
    return int((widget.id or "").split("-")[1])


def _file_name(device: str) -> str:
    return device.replace("\\", "/").rsplit("/", 1)[-1]


class SettingsStep(WizardStep):
    STEP = 7

    @dataclass
    class Loaded:
        """What the step reads before it can check anything (a worker's answer)."""

        existing: list[str]
        accounts: list[StorageAccount]
        service: MigrationService | None
        source: Any  # the open source (opened here when the step had none)
        inventory: dict = field(default_factory=dict)
        tables: dict[str, list[str]] = field(default_factory=dict)

    def __init__(self) -> None:
        super().__init__()
        self.existing: list[str] | None = None
        self.accounts: list[StorageAccount] = []
        self.tables: dict[str, list[str]] = {}
        self.table_choice: dict[str, dict[str, bool]] = {}
        self._runtime_timer: Timer | None = None

    @property
    def is_sqldb(self) -> bool:
        return self.state.kind == TargetKind.SQL_DB

    @property
    def dbs(self) -> list[str]:
        return self.state.project.databases

    # ---------------------------------------------------------------- layout

    def compose_step(self) -> ComposeResult:
        s = self.state.settings
        if self.is_sqldb:
            yield Static(
                "Azure SQL Database migrations are offline only: DMS copies the "
                "tables you choose; the schema must already exist on the target.",
                classes="lead",
            )
        else:
            yield Static("Mode", classes="label")
            with RadioSet(id="mode"):
                yield MarkedRadioButton(
                    "Online — log backups keep being restored until you cut over",
                    s.online,
                    id="mode-online",
                )
                yield MarkedRadioButton(
                    "Offline — DMS restores up to the last backup file and finishes",
                    not s.online,
                    id="mode-offline",
                )
            yield Static("Backups are in", classes="label")
            with RadioSet(id="backup"):
                yield MarkedRadioButton(
                    "an Azure Blob container (one folder per database)",
                    s.backup != "share",
                    id="backup-blob",
                )
                yield MarkedRadioButton(
                    "an SMB share (needs an online self-hosted integration runtime)",
                    s.backup == "share",
                    id="backup-share",
                )
            yield Static("Storage account", classes="label")
            yield Select([], prompt="(loading…)", id="account")
            with Vertical(id="blob-fields"):
                yield Static("Container", classes="label")
                yield Select([], prompt="(pick the storage account first)", id="container")
                yield Static("DMS reads the blobs with", classes="label")
                with RadioSet(id="blob-auth"):
                    yield MarkedRadioButton(
                        "the account key (fetched through Azure, never saved)",
                        not s.managed_identity,
                        id="auth-key",
                    )
                    yield MarkedRadioButton(
                        "the managed identity of the target",
                        s.managed_identity,
                        id="auth-mi",
                    )
            with Vertical(id="share-fields"):
                yield Static("Share path", classes="label")
                yield Input(s.share_path, placeholder="\\\\fs01\\sqlbackups", id="share-path")
                yield Static("Windows user with read access to the share", classes="label")
                yield Input(s.share_user, placeholder="CONTOSO\\svc-backup", id="share-user")
                yield Static("Its password (kept in memory only)", classes="label")
                yield Input(self.state.secrets.share_password, password=True, id="share-password")
        yield Static(
            "Per database: the name on the target"
            + ("" if self.is_sqldb else " (and, offline, the last backup file)")
            + (" and the tables to copy" if self.is_sqldb else ""),
            classes="label",
        )
        names = self.state.target_names()
        last = s.last_backup
        for i, db in enumerate(self.dbs):
            with Vertical(classes="db-settings"):
                with Horizontal(classes="form-row"):
                    yield Static(f"{db[:18]:<18} →", classes="db-label", markup=False)
                    yield Input(names[db], id=f"name-{i}", classes="target-name")
                if not self.is_sqldb:
                    with Horizontal(classes="form-row last-backup"):
                        yield Static("  last backup file", classes="db-label")
                        yield Input(
                            last.get(db, ""), id=f"last-{i}", placeholder=f"{db}_log_042.trn"
                        )
                else:
                    yield Input(
                        placeholder=f"filter {db}'s tables",
                        id=f"tfilter-{i}",
                        classes="table-filter",
                    )
                    yield SelectionList[str](id=f"tables-{i}", classes="tables")
                    yield Static("", id=f"tcount-{i}", classes="hint")
        yield Static("", id="settings-status", classes="hint", markup=False)

    def start(self) -> None:
        self._toggle()
        first = self.query("#mode, #name-0").first()
        first.focus()
        self.load()

    # ---------------------------------------------------------------- loading

    def load(self) -> None:
        context, p, sqldb = self.app.context, self.state.project, self.is_sqldb
        service, inventory, source = self.state.service, self.state.inventory, self.state.source
        params = self.state.source_params()

        def read() -> SettingsStep.Loaded:
            """Blocking; reads only what was captured above, writes nothing shared."""
            controller = context.azure
            existing = controller.target_databases(p.target_id)
            accounts = [] if sqldb else controller.list_storage_accounts()
            fresh = service
            if p.service_id and not sqldb:  # fresh: a runtime node may have registered
                fresh = controller.get_migration_service(p.service_id)
            opened = source
            if (sqldb or not inventory) and opened is None:
                opened = context.open_source(params)
            found = inventory or {d.name: d for d in opened.databases() if not d.is_system}
            tables = (
                {db: [t.full_name for t in opened.row_counts(db)] for db in p.databases}
                if sqldb
                else {}
            )
            return self.Loaded(existing, accounts, fresh, opened, found, tables)

        self.run_blocking(read, on_done=self.loaded, on_error=self.show_failure, group="settings")

    def load_containers(self, account_id: str) -> None:
        self.run_blocking(
            self.app.context.azure.list_containers,
            account_id,
            on_done=self.got_containers,
            on_error=self.show_failure,
            group="settings-containers",
        )

    def reread_service(self, service_id: str) -> None:
        self.run_blocking(
            self.app.context.azure.get_migration_service,
            service_id,
            on_done=self.service_read,
            on_error=self.show_failure,
            group="settings-runtime",
        )

    # ---------------------------------------------------------------- runtime (SMB share)

    def _runtime_state(self) -> str:
        svc = self.state.service
        return (svc.integration_runtime_state if svc else "") or "not set up"

    def _runtime_online(self) -> bool:
        return self._runtime_state().lower() == "online"

    def _watch_runtime(self) -> None:
        """While backups are on a share and the runtime is not Online, re-read the DMS instance
        now and then, so registering a node (with an auth key from step 2) shows up here."""
        if (
            self.is_sqldb
            or self._runtime_timer is not None
            or self._backup() != "share"
            or self._runtime_online()
            or not self.state.project.service_id
        ):
            return

        def due() -> None:
            self._runtime_timer = None
            if self._backup() == "share" and not self._runtime_online():
                self.reread_service(self.state.project.service_id)

        self._runtime_timer = self.set_timer(self.app.poll_interval, due)

    def service_read(self, service: MigrationService) -> None:
        was_online = self._runtime_online()
        self.state.service = service
        self._show_status()
        if (
            self._runtime_online()
            and not was_online
            and "integration runtime" in str(self.query_one("#step-error", Static).render())
        ):
            self.show_error("")
        self._watch_runtime()

    def _show_status(self) -> None:
        if self.existing is None:
            return
        existing = ", ".join(self.existing) or "none"
        runtime = self._runtime_state()
        self.query_one("#settings-status", Static).update(
            f"Databases already on the target: {existing}."
            + (
                ""
                if self.is_sqldb
                else f" Integration runtime: {runtime}"
                + (" ✓." if runtime.lower() == "online" else ".")
            )
        )

    def loaded(self, message: Loaded) -> None:
        s = self.state.settings
        if self.state.source is None:
            self.state.source = message.source
        elif message.source is not None and message.source is not self.state.source:
            message.source.close()  # another step opened one meanwhile: keep that one
        self.existing = message.existing
        self.state.service = message.service or self.state.service
        self.state.inventory = message.inventory
        if not self.is_sqldb:
            self.accounts = message.accounts
            account = self.query_one("#account", Select)
            account.set_options(
                [(f"{a.name} ({a.resource_group})", a.id) for a in message.accounts]
            )
            chosen = s.storage_account_id
            if chosen in {a.id for a in message.accounts}:
                account.value = chosen
            else:  # the only account, or the only one in the project's resource group
                same = [
                    a
                    for a in message.accounts
                    if a.resource_group.lower() == self.state.project.resource_group.lower()
                ]
                pick = message.accounts if len(message.accounts) == 1 else same
                if len(pick) == 1:
                    account.value = pick[0].id
            for i, db in enumerate(self.dbs):
                box = self.query_one(f"#last-{i}", Input)
                inv = message.inventory.get(db)
                if not box.value and inv is not None:
                    record = inv.last_log or inv.last_full
                    if record is not None and record.device:
                        box.value = _file_name(record.device)
        chosen_tables = s.tables
        for i, db in enumerate(self.dbs):
            if not self.is_sqldb:
                continue
            names = message.tables.get(db, [])
            picked = set(chosen_tables.get(db, [])) or set(names)
            self.table_choice[db] = {n: n in picked for n in names}
            self._fill_tables(i, db)
        self._show_status()
        self._watch_runtime()

    @on(Select.Changed, "#account")
    def account_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#container", Select).set_options([])
            self.load_containers(event.value)

    def got_containers(self, names: list[str]) -> None:
        box = self.query_one("#container", Select)
        box.prompt = (
            "(pick the container that holds the backup folders)"
            if names
            else "(this account has no containers: create one in Azure first)"
        )
        box.set_options([(n, n) for n in names])
        chosen = self.state.settings.container
        if chosen in names:
            box.value = chosen
        else:
            usable = [n for n in names if not v.container(n)]
            if len(usable) == 1:
                box.value = usable[0]

    # ---------------------------------------------------------------- tables (SQL DB)

    def _fill_tables(self, i: int, db: str) -> None:
        needle = self.query_one(f"#tfilter-{i}", Input).value.strip().lower()
        sel = self.query_one(f"#tables-{i}", SelectionList)
        sel.clear_options()
        sel.add_options(
            [
                Selection(n, n, on)
                for n, on in self.table_choice[db].items()
                if not needle or needle in n.lower()
            ]
        )
        if sel.option_count:
            sel.highlighted = 0
        self._count_tables(i, db)

    def _count_tables(self, i: int, db: str) -> None:
        choice = self.table_choice[db]
        picked = sum(choice.values())
        self.query_one(f"#tcount-{i}", Static).update(
            f"{picked} of {len(choice)} tables selected"
            + (" (all)" if picked == len(choice) else "")
            + " — Space toggles"
        )

    @on(Input.Changed, ".table-filter")
    def table_filter(self, event: Input.Changed) -> None:
        i = _index(event.input)
        self._fill_tables(i, self.dbs[i])

    @on(SelectionList.SelectionToggled, ".tables")
    def table_toggled(self, event: SelectionList.SelectionToggled) -> None:
        i = _index(event.selection_list)
        db = self.dbs[i]
        name = event.selection.value
        self.table_choice[db][name] = name in event.selection_list.selected
        self._count_tables(i, db)

    # ---------------------------------------------------------------- visibility

    @on(RadioSet.Changed)
    def radio_changed(self) -> None:
        self._toggle()

    def _mode(self) -> str:
        if self.is_sqldb:
            return "offline"
        return "offline" if self.query_one("#mode-offline", RadioButton).value else "online"

    def _backup(self) -> str:
        return "share" if self.query_one("#backup-share", RadioButton).value else "blob"

    def _blob_auth(self) -> str:
        managed = self.query_one("#auth-mi", RadioButton).value
        return "ManagedIdentity" if managed else "AccountKey"

    def _toggle(self) -> None:
        if self.is_sqldb:
            return
        share = self._backup() == "share"
        self.query_one("#share-fields").display = share
        self.query_one("#blob-fields").display = not share
        for row in self.query(".last-backup"):
            row.display = self._mode() == "offline"
        if self.existing is not None:
            self._watch_runtime()

    # ---------------------------------------------------------------- validation

    def _names(self) -> dict[str, str]:
        return {
            db: self.query_one(f"#name-{i}", Input).value.strip() for i, db in enumerate(self.dbs)
        }

    def _on_screen(self) -> MigrationSettings:
        """The settings as the step shows them now (not saved: ``commit`` saves each
        choice that passes its own check)."""
        account = self.query_one("#account", Select).value
        container = self.query_one("#container", Select).value
        return MigrationSettings(
            mode=self._mode(),
            backup=self._backup(),
            storage_account_id=account if isinstance(account, str) else "",
            container=container if isinstance(container, str) else "",
            blob_auth=self._blob_auth(),
            share_path=self.query_one("#share-path", Input).value.strip(),
            share_user=self.query_one("#share-user", Input).value.strip(),
            target_names=self._names(),
            last_backup={
                db: self.query_one(f"#last-{i}", Input).value.strip()
                for i, db in enumerate(self.dbs)
            },
        )

    def problem(self) -> str | None:
        if self.existing is None:
            return "Settings: still reading the target and storage from Azure; wait a moment."
        error = v.target_names(self._names(), self.existing, must_exist=self.is_sqldb)
        if error:
            return error
        if self.is_sqldb:
            for db in self.dbs:
                if self.table_choice.get(db) and not any(self.table_choice[db].values()):
                    return f"Tables of {db}: select at least one table to copy (Space)."
            return None
        problems = v.migration_settings(
            self._on_screen(),
            self.dbs,
            share_password=bool(self.query_one("#share-password", Input).value),
            runtime_state=self._runtime_state(),
        )
        if problems and problems[0].startswith("Share: the integration runtime"):
            self._watch_runtime()
        return problems[0] if problems else None

    def commit(self) -> None:
        """Each choice that passes its own check; one that does not (a blank last backup
        file, a taken target name, a container DMS rejects) keeps its saved value."""
        s = self.state.settings
        s.mode = self._mode()
        saved = s.target_names
        names = {db: saved[db] for db in self.dbs if db in saved}
        for db, name in self._names().items():
            if not self._name_problem(db, name, names):
                names[db] = name
        s.target_names = names
        if self.is_sqldb:
            tables = dict(s.tables)
            for db, choice in self.table_choice.items():
                if any(choice.values()):
                    tables[db] = (
                        [] if all(choice.values()) else [n for n, on in choice.items() if on]
                    )
            s.tables = tables
            return
        shown = self._on_screen()
        s.backup = shown.backup
        if shown.storage_account_id:
            s.storage_account_id = shown.storage_account_id
        if shown.container and not v.container(shown.container):
            s.container = shown.container
        s.blob_auth = shown.blob_auth
        if not v.share_path(shown.share_path):
            s.share_path = shown.share_path
        if shown.share_user:
            s.share_user = shown.share_user
        self.state.secrets.share_password = self.query_one("#share-password", Input).value
        last = {db: s.last_backup[db] for db in self.dbs if db in s.last_backup}
        last.update({db: name for db, name in shown.last_backup.items() if name})
        s.last_backup = last

    def _name_problem(self, db: str, name: str, chosen: dict[str, str]) -> str | None:
        """``name`` for ``db`` alone: a valid name, free on the target (MI/VM) or existing
        (SQL DB) once the target's databases are known, and no other database's."""
        others = {n.lower() for d, n in chosen.items() if d != db}
        if name.lower() in others:
            return f"Target name {name}: used twice."
        return v.target_names(
            {db: name}, self.existing or [], must_exist=self.is_sqldb and self.existing is not None
        )
