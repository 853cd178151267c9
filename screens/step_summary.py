"""Step 8: exactly what will be created, a final check, and Start."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.azure_ids import migration_id_for
from tui.errors import DmsTuiError
from tui.models import TargetKind
from widgets.confirm import ConfirmModal
from widgets.preflight_view import PreflightView

FOLDER_PROBLEM = "Backup folder of "


class SummaryStep(WizardStep):
    STEP = 8
    BINDINGS = [
        Binding("ctrl+n", "start_migrations", "Start", id="wizard.next", priority=True),
        Binding("s", "start_migrations", "Start", show=False, id="summary.start"),
        Binding("ctrl+r", "recheck", "Check again", id="summary.recheck"),
    ]

    @dataclass
    class Checked(Message):
        problems: list[str]
        folders: list = field(default_factory=list)  # tui.preflight.FolderCheck per database
        folders_note: str = ""  # what the backup-folder check did not look at, and why

    @dataclass
    class Created(Message):
        migration_id: str
        database: str

    @dataclass
    class Finished(Message):
        error: DmsTuiError | None

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] | None = None
        self.creating = False

    def compose_step(self) -> ComposeResult:
        p = self.state.project
        kind = self.state.kind
        src = p.source
        yield Static(
            "Review: nothing has been created yet. Ctrl+N (or s) starts the "
            "migrations, one per database, then opens the monitor.",
            classes="lead",
        )
        yield Static(
            f"Subscription {p.subscription_id}, resource group {p.resource_group}\n"
            f"DMS instance  {p.service_id.rsplit('/', 1)[-1]}\n"
            f"Source        {src.get('server', '')},{src.get('port', 1433)} as "
            f"{src.get('user', '') or src.get('authentication', '')} "
            f"(encrypt {'on' if src.get('encrypt', True) else 'OFF'}"
            f"{', trust certificate' if src.get('trust_server_certificate') else ''})\n"
            f"Target        {kind.label if kind else '?'} {p.target_id.rsplit('/', 1)[-1]}",
            id="summary-scope",
        )
        yield Static("Will create:", classes="label")
        yield Static(
            "\n".join(f"• {line}" for line in self.state.describe()), id="summary-migrations"
        )
        yield Static("Checking…", id="summary-checks", markup=False)
        yield PreflightView(id="summary-preflight")

    def start(self) -> None:
        self.verify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary-check")
    def verify(self) -> None:
        problems = list(self.state.problems())
        p = self.state.project
        controller = self.app.context.azure
        try:
            if p.service_id:
                service = controller.get_migration_service(p.service_id)
                self.state.service = service
                if not service.ready:
                    problems.append(
                        f"DMS instance {service.name}: it is "
                        f"{service.provisioning_state}, not ready — wait for it."
                    )
            if p.target_id:
                existing = controller.target_databases(p.target_id)
                created = {i.rsplit("/", 1)[-1].lower() for i in p.migration_ids}
                names = {
                    db: n for db, n in self.state.target_names().items() if n.lower() not in created
                }
                if self.state.kind != TargetKind.SQL_DB:
                    existing = self._without_our_running(controller, p.target_id, names, existing)
                error = v.target_names(
                    names, existing, must_exist=self.state.kind == TargetKind.SQL_DB
                )
                if error:
                    problems.append(error)
        except DmsTuiError as exc:
            problems.append(exc.full_text)
        from tui.preflight.wizard import check_plan

        folders, note = check_plan(self.app.context, self.state)
        problems += [
            f"{FOLDER_PROBLEM}{f.database}: {f.message} Fix: {f.fix}"
            for check in folders
            for f in check.blockers
        ]
        self.post_message(self.Checked(problems, folders, note))

    @staticmethod
    def _without_our_running(
        controller, target_id: str, names: dict[str, str], existing: list[str]
    ) -> list[str]:
        """A target database that exists because this project's migration of it already runs
        (its create answer was lost) is no clash: Start keeps that migration. Blocking."""
        taken = {e.lower() for e in existing}
        ours: set[str] = set()
        for source, target in names.items():
            if target.lower() not in taken:
                continue
            try:
                d = controller.get_migration(migration_id_for(target_id, target))
            except DmsTuiError:
                continue
            if d.source_database.lower() == source.lower() and not d.status.is_final:
                ours.add(target.lower())
        return [e for e in existing if e.lower() not in ours]

    @on(Checked)
    def checked_done(self, message: Checked) -> None:
        self.checked = message.problems
        box = self.query_one("#summary-checks", Static)
        folder_blockers = sum(len(c.blockers) for c in message.folders)
        shown = [m for m in message.problems if not m.startswith(FOLDER_PROBLEM)]
        if folder_blockers:
            shown.append(
                f"Backup folders: {folder_blockers} blocker(s) — DMS would stop on them; see below."
            )
        if message.problems:
            box.update("Fix before starting:\n" + "\n".join(f"✗ {m}" for m in shown))
        else:
            warned = sum(len(c.findings) for c in message.folders)
            box.update(
                "All checks passed ✓"
                + (f" ({warned} warning(s) on the backup folders, below)" if warned else "")
                + " — press Ctrl+N to start."
            )
        heading = "Backup folders, against the source's backup history:" if message.folders else ""
        self.query_one(PreflightView).show(message.folders, heading=heading)
        if message.folders_note:
            self.query_one(PreflightView).update(message.folders_note)

    def action_recheck(self) -> None:
        """Run the final checks again (after fixing a backup folder, say)."""
        if self.creating or self.checked is None:
            return
        self.checked = None
        self.query_one("#summary-checks", Static).update("Checking…")
        self.query_one(PreflightView).update("")
        self.verify()

    def problem(self) -> str | None:
        if self.checked is None:
            return "Summary: the final checks are still running; wait a moment."
        if self.checked:
            return self.checked[0]
        return None

    def action_start_migrations(self) -> None:
        if self.creating:
            return
        message = self.problem()
        if message:
            self.show_error(message)
            return
        n = len(self.state.project.databases)
        self.app.push_screen(
            ConfirmModal(f"Create {n} migration{'s' if n != 1 else ''} in Azure now?", yes="Start"),
            self._confirmed,
        )

    def _confirmed(self, yes: bool | None) -> None:
        if not yes or self.creating:
            return
        self.creating = True
        self.show_error("")
        self.query_one("#summary-checks", Static).update("Creating the migrations…")
        self.create()

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary-create")
    def create(self) -> None:
        controller = self.app.context.azure
        s = self.state.settings
        try:
            key = ""
            if (
                self.state.kind != TargetKind.SQL_DB
                and s.get("storage_account_id")
                and (s.get("backup") == "share" or s.get("blob_auth") != "ManagedIdentity")
            ):
                key = controller.storage_account_key(s["storage_account_id"])
            done = {i.lower() for i in self.state.project.migration_ids}
            for spec in self.state.build_specs(account_key=key):
                mid = migration_id_for(spec.target_id, spec.target_database)
                if mid.lower() in done:
                    continue
                controller.create_migration(spec, wait=False)
                self.post_message(self.Created(mid, spec.source_database))
        except DmsTuiError as exc:
            self.post_message(self.Finished(exc))
            return
        self.post_message(self.Finished(None))

    @on(Created)
    def created(self, message: Created) -> None:
        self.state.project.migration_ids.append(message.migration_id)
        if not self.save_now(at=self.STEP):
            self.app.notify(
                f"Migration {message.migration_id} was created in Azure but the "
                "project file could not be saved: the monitor's list of all "
                "migrations (a) still shows it.",
                severity="error",
                timeout=30,
                markup=False,
            )
        self.query_one("#summary-checks", Static).update(
            f"Created the migration of {message.database}…"
        )

    @on(Finished)
    def finished(self, message: Finished) -> None:
        self.creating = False
        if message.error is not None:
            self.show_failure(message.error)
            self.query_one("#summary-checks", Static).update(
                f"{len(self.state.project.migration_ids)} of "
                f"{len(self.state.project.databases)} created; press Ctrl+N to retry the "
                "rest: each migration is read from Azure first, and one that already runs "
                "is kept, never created twice."
            )
            return
        self.save_now(at=9)
        self.app.goto_step(9)
