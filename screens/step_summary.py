"""Step 8: exactly what will be created, a final check, and Start."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.azure_ids import migration_id_for
from tui.errors import DmsTuiError
from tui.models import MigrationService, Severity, TargetKind
from widgets.confirm import ConfirmModal
from widgets.preflight_view import PreflightView

FOLDER_PROBLEM = "Backup folder of "


class SummaryStep(WizardStep):
    STEP = 8
    BINDINGS = [
        Binding(
            "ctrl+n",
            "start_migrations",
            "Start",
            id="wizard.next",
            tooltip="Start the migrations listed (asks first)",
            priority=True,
        ),
        Binding(
            "s",
            "start_migrations",
            "Start",
            show=False,
            id="summary.start",
            tooltip="Start the migrations listed (asks first)",
        ),
        Binding(
            "ctrl+r",
            "recheck",
            "Check again",
            id="summary.recheck",
            tooltip="Check the backup folders and the settings again",
        ),
    ]

    @dataclass
    class Checked:
        """The final checks' answer (a worker's)."""

        problems: list[str]
        service: MigrationService | None = None
        folders: list[Any] = field(default_factory=list)  # tui.preflight.FolderCheck each
        folders_note: str = ""  # what the backup-folder check did not look at, and why
        subscription_name: str = ""

    @dataclass
    class Created(Message):
        """One migration created (while the others are still being sent)."""

        migration_id: str
        database: str

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] | None = None
        self.creating = False

    def compose_step(self) -> ComposeResult:
        yield Static(
            "Review: nothing has been created yet. Ctrl+N (or s) starts the "
            "migrations, one per database, then opens the monitor.",
            classes="lead",
        )
        yield Static(self._scope_text(), id="summary-scope", markup=False)
        yield Static("Will create:", classes="label")
        yield Static(
            "\n".join(f"• {line}" for line in self.state.describe()),
            id="summary-migrations",
            markup=False,
        )
        yield Static(self._readiness_text(), id="summary-readiness", classes="hint", markup=False)
        yield Static("Checking…", id="summary-checks", markup=False)
        yield PreflightView(id="summary-preflight")

    def _scope_text(self, subscription_name: str = "") -> str:
        p = self.state.project
        kind = self.state.kind
        src = p.source
        sub = (
            f"{subscription_name} ({p.subscription_id})" if subscription_name else p.subscription_id
        )
        rows = [
            ("Subscription", sub),
            ("Resource group", p.resource_group),
            ("DMS instance", p.service_id.rsplit("/", 1)[-1]),
            (
                "Source",
                f"{src.server},{src.port} as {src.user or src.authentication} "
                f"(encrypt {'on' if src.encrypt else 'OFF'}"
                f"{', trust certificate' if src.trust_server_certificate else ''})",
            ),
            ("Target", f"{kind.label if kind else '?'} {p.target_id.rsplit('/', 1)[-1]}"),
        ]
        return "\n".join(f"{label:<15}{value}" for label, value in rows)

    def _readiness_text(self) -> str:
        """Step 6's findings for the chosen databases, repeated: a warning seen there must not
        be forgotten here."""
        chosen = self.state.project.databases
        if not self.state.readiness:
            return "Readiness (step 6): not assessed in this run — Esc back to step 6 to see it."
        lines = [
            f"⚠ {db}: {f.severity.value} — {f.message}"
            for db in chosen
            for f in self.state.findings(db)
            if f.severity != Severity.INFO
        ]
        if not lines:
            return "Readiness (step 6): no warnings for the chosen databases ✓"
        return "Readiness warnings from step 6:\n" + "\n".join(lines)

    def start(self) -> None:
        self.verify()

    def verify(self) -> None:
        problems = list(self.state.problems())
        p = self.state.project
        controller = self.app.context.azure
        kind = self.state.kind
        created = {i.rsplit("/", 1)[-1].lower() for i in p.migration_ids}
        names = {db: n for db, n in self.state.target_names().items() if n.lower() not in created}

        context, state = self.app.context, self.state

        def check() -> SummaryStep.Checked:
            """Blocking: what Azure and the backup folders say against the plan; reads the
            wizard's state, writes nothing shared."""
            from tui.preflight.wizard import check_plan

            found: list[str] = []
            service = None
            try:
                if p.service_id:
                    service = controller.get_migration_service(p.service_id)
                    if not service.ready:
                        found.append(
                            f"DMS instance {service.name}: it is "
                            f"{service.provisioning_state}, not ready — wait for it."
                        )
                if p.target_id:
                    existing = controller.target_databases(p.target_id)
                    if kind != TargetKind.SQL_DB:
                        existing = self._without_our_running(
                            controller, p.target_id, names, existing
                        )
                    error = v.target_names(names, existing, must_exist=kind == TargetKind.SQL_DB)
                    if error:
                        found.append(error)
            except DmsTuiError as exc:
                found.append(exc.full_text)
            sub_name = ""
            try:
                sub_name = next(
                    (
                        s.display_name
                        for s in controller.list_subscriptions()
                        if s.subscription_id == p.subscription_id
                    ),
                    "",
                )
            except DmsTuiError:
                pass  # the id alone is shown: the name is a courtesy, not a check
            folders, note = check_plan(context, state)
            found += [
                f"{FOLDER_PROBLEM}{f.database}: {f.message} Fix: {f.fix}"
                for c in folders
                for f in c.blockers
            ]
            return self.Checked(problems + found, service, folders, note, sub_name)

        def checked(answer: SummaryStep.Checked) -> None:
            if answer.service is not None:
                self.state.service = answer.service
            self.checked_done(answer)

        self.run_blocking(
            check,
            on_done=checked,
            on_error=lambda exc: self.checked_done(self.Checked([*problems, exc.full_text])),
            group="summary-check",
        )

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

    def checked_done(self, message: Checked) -> None:
        self.checked = message.problems
        if message.subscription_name:
            scope = self.query_one("#summary-scope", Static)
            scope.update(self._scope_text(message.subscription_name))
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

    def create(self) -> None:
        controller = self.app.context.azure
        s = self.state.settings
        state = self.state
        done = {i.lower() for i in state.project.migration_ids}

        def send() -> None:
            """Blocking: one create per database not created yet; each one created is
            posted at once, so the project file names it even if a later one fails."""
            key = ""
            if (
                state.kind != TargetKind.SQL_DB
                and s.storage_account_id
                and (s.backup == "share" or not s.managed_identity)
            ):
                key = controller.storage_account_key(s.storage_account_id)
            for spec in state.build_specs(account_key=key):
                mid = migration_id_for(spec.target_id, spec.target_database)
                if mid.lower() in done:
                    continue
                controller.create_migration(spec, wait=False)
                self.post_message(self.Created(mid, spec.source_database))

        self.run_blocking(
            send,
            on_done=lambda _none: self.finished(None),
            on_error=self.finished,
            group="summary-create",
        )

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

    def finished(self, error: DmsTuiError | None) -> None:
        self.creating = False
        if error is not None:
            self.show_failure(error)
            self.query_one("#summary-checks", Static).update(
                f"{len(self.state.project.migration_ids)} of "
                f"{len(self.state.project.databases)} created; press Ctrl+N to retry the "
                "rest: each migration is read from Azure first, and one that already runs "
                "is kept, never created twice."
            )
            return
        self.save_now(at=9)
        self.app.goto_step(9)
