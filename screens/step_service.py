"""Step 2: pick or create the DMS instance; its integration runtime; its auth keys."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from screens.wizard_step import WizardStep
from tui import validation as v
from tui.models import AuthKeys, IntegrationRuntime, IntegrationRuntimeNode, MigrationService
from widgets.elapsed import elapsed_text
from widgets.keep_in_view import KeepInView
from widgets.token_line import TokenLine


def node_summary(node: IntegrationRuntimeNode) -> str:
    """One integration-runtime node in plain words: only what Azure reported.

    The 2025-06-30 ``listMonitoringData`` has no status per node; when a status (or version)
    does come back it is shown too."""
    facts: list[str] = []
    if node.status:
        facts.append(node.status)
    if node.cpu_utilization is not None:
        facts.append(f"CPU {node.cpu_utilization}%")
    if node.available_memory_mb is not None:
        facts.append(f"{node.available_memory_mb / 1024:.1f} GB free")
    limit = node.concurrent_jobs_limit or node.max_concurrent_jobs
    if node.concurrent_jobs_running is not None:
        facts.append(
            f"jobs {node.concurrent_jobs_running}" + (f" of {limit}" if limit else " running")
        )
    elif limit:
        facts.append(f"up to {limit} jobs")
    if node.sent_bytes is not None or node.received_bytes is not None:
        # the spec's receivedBytes / sentBytes, in the unit it names
        facts.append(
            f"network in {node.received_bytes or 0:.2f} bytes, out {node.sent_bytes or 0:.2f} bytes"
        )
    if node.version:
        facts.append(f"version {node.version}")
    return f"{node.node_name} — " + (", ".join(facts) if facts else "no details reported")


class ServiceStep(WizardStep):
    STEP = 2
    BINDINGS = [
        Binding(
            "ctrl+o",
            "create",
            "Create",
            id="service.create",
            tooltip="Create the DMS instance named in the field",
        ),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            id="service.refresh",
            tooltip="Read the DMS instances and their runtime state again",
            show=False,  # the footer keeps room for Create, Keys and Copy at 80 columns
        ),
        Binding(
            "ctrl+g",
            "keys",
            "Keys",
            id="service.keys",
            tooltip="Show the integration runtime's auth keys (needed for SMB shares only)",
        ),
        Binding(
            "ctrl+y",
            "copy_key(1)",
            "Copy key 1",
            id="service.copy",
            tooltip="Copy auth key 1 to the clipboard (and show it whole to select)",
        ),
        Binding(
            "ctrl+l",
            "copy_key(2)",
            "Copy key 2",
            show=False,
            id="service.copy2",
            tooltip="Copy auth key 2 to the clipboard (and show it whole to select)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.services: list[MigrationService] = []
        self.keys: AuthKeys | None = None

    def compose_step(self) -> ComposeResult:
        yield Static(
            "Pick a Database Migration Service instance (Enter) or create one.", classes="lead"
        )
        table: DataTable[str] = DataTable(id="services", cursor_type="row")
        table.add_columns("Name", "Resource group", "Region", "State", "Runtime")
        yield table
        yield Static("", id="service-chosen")
        yield Static("New instance: name and region, then Ctrl+O", classes="label")
        with Horizontal(classes="form-row"):
            yield Input(placeholder="e.g. dms-payroll", id="service-name")
            regions = list(v.REGIONS)
            loc = self.state.project.location
            if loc and loc not in regions:
                regions.insert(0, loc)
            yield Select(
                [(r, r) for r in regions],
                value=loc or "westeurope",
                allow_blank=False,
                id="service-region",
            )
        yield Static("", id="service-wait", classes="hint")
        yield Static("", id="service-runtime")
        yield Static("", id="service-keys")
        # each key whole on its own line, never wrapped inside it: scrolls sideways
        yield TokenLine(id="auth-key-1", classes="-hidden")
        yield TokenLine(id="auth-key-2", classes="-hidden")

    def start(self) -> None:
        self.action_refresh()
        if self.state.project.service_id:
            self.poll_service(self.state.project.service_id)

    # ---------------------------------------------------------------- workers

    def action_refresh(self) -> None:
        self.run_blocking(
            self.app.context.azure.list_migration_services,
            on_done=self.got_services,
            on_error=self.show_failure,
            group="service-list",
        )

    def poll_service(self, service_id: str) -> None:
        controller = self.app.context.azure

        def read() -> tuple[MigrationService, IntegrationRuntime | None]:
            service = controller.get_migration_service(service_id)
            runtime = controller.integration_runtime(service_id) if service.ready else None
            return service, runtime

        def got(answer: tuple[MigrationService, IntegrationRuntime | None]) -> None:
            service, runtime = answer
            self.got_service(service)
            if runtime is not None:
                self.got_runtime(runtime)

        self.run_blocking(read, on_done=got, on_error=self.show_failure, group="service-get")

    def create(self, name: str, region: str) -> None:
        self.run_blocking(
            self.app.context.azure.create_migration_service,
            self.state.project.resource_group,
            name,
            region,
            wait=False,
            on_done=self.got_service,
            on_error=self.show_failure,
            group="service-create",
        )

    def load_keys(self, service_id: str) -> None:
        self.run_blocking(
            self.app.context.azure.list_auth_keys,
            service_id,
            on_done=self.got_keys,
            on_error=self.show_failure,
            group="service-keys",
        )

    # ---------------------------------------------------------------- answers

    def got_services(self, items: list[MigrationService]) -> None:
        self.services = items
        table = self.query_one("#services", DataTable)
        table.clear()
        for s in items:
            table.add_row(
                s.name,
                s.resource_group,
                s.location,
                s.provisioning_state,
                s.integration_runtime_state or "—",
                key=s.id,
            )
        chosen = self.state.project.service_id
        for index, s in enumerate(items):
            if s.id.lower() == chosen.lower():
                table.move_cursor(row=index)
        if not isinstance(self.app.focused, Input):
            (table if items else self.query_one("#service-name", Input)).focus()

    @on(DataTable.RowSelected, "#services")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        service = next(s for s in self.services if s.id == event.row_key.value)
        self._choose(service)
        self.poll_service(service.id)

    def _choose(self, service: MigrationService) -> None:
        if service.id != self.state.project.service_id:
            self.keys = None
            self.query_one("#service-keys", Static).update("")
            for line in self.query(TokenLine):
                line.show("")
                line.add_class("-hidden")
            self.show_error("")
        self.state.project.service_id = service.id
        self.state.service = service

    def got_service(self, service: MigrationService) -> None:
        self._choose(service)
        self.recheck_refusal()  # "it is Provisioning" goes once Azure says Succeeded
        chosen = self.query_one("#service-chosen", Static)
        chosen.update(
            f"Chosen: {service.name} ({service.resource_group}, {service.location}) "
            f"— {service.provisioning_state or 'Provisioning'}"
        )
        wait = self.query_one("#service-wait", Static)
        if service.ready:
            started = self.state.waits.pop("service", None)
            wait.update("" if started is None else "Created ✓")
            if started is not None:
                self.action_refresh()
            return
        if service.provisioning_state.lower() == "failed":
            self.state.waits.pop("service", None)
            wait.update("Creation failed in Azure: delete it in the portal or pick another.")
            return
        self.state.waits.setdefault("service", self.app.clock())
        wait.update(
            f"Creating {service.name}… "
            f"{elapsed_text(self.app.clock() - self.state.waits['service'])} elapsed. "
            "This takes a few minutes and carries on in Azure if you leave or quit."
        )
        self.poll_later(lambda: self.poll_service(service.id))

    def got_runtime(self, runtime: IntegrationRuntime) -> None:
        svc = self.state.service
        state = svc.integration_runtime_state if svc is not None else ""
        lines = [
            f"Integration runtime: {state or 'not set up'}"
            + (f" ({runtime.name})" if runtime.name else "")
        ]
        for node in runtime.nodes:
            lines.append("  " + node_summary(node))
        if runtime.nodes:
            from tui.limits import runtime_capacity_text

            lines.append(runtime_capacity_text(len(runtime.nodes)))
        if not runtime.nodes:
            lines.append(
                "  no nodes — needed only for backups on an SMB share (or SQL "
                "Database targets): install the runtime on a Windows host and "
                "register it with an auth key (Ctrl+G)."
            )
        self.query_one("#service-runtime", Static).update("\n".join(lines))

    def got_keys(self, keys: AuthKeys) -> None:
        self.keys = keys
        self.query_one("#service-keys", Static).update(
            "Auth keys 1 and 2 (never saved): register the self-hosted integration runtime "
            "with either one. Ctrl+Y copies key 1, Ctrl+L key 2."
        )
        for number, key in ((1, keys.auth_key1), (2, keys.auth_key2)):
            line = self.query_one(f"#auth-key-{number}", TokenLine)
            line.show(key)
            line.remove_class("-hidden")
        # asked for: bring them (the last thing on the step) into view on a short terminal
        body = self.query_one("#step-body", VerticalScroll)
        KeepInView(body, self.query_one("#auth-key-2", TokenLine))

    # ---------------------------------------------------------------- actions

    def action_create(self) -> None:
        name = self.query_one("#service-name", Input).value.strip()
        region = self.query_one("#service-region", Select).value
        error = v.dms_name(name) or v.region(region if isinstance(region, str) else "")
        if not error and any(s.name.lower() == name.lower() for s in self.services):
            error = f"DMS name: {name} already exists — pick it in the list or use another name."
        if error:
            self.show_error(error)
            return
        self.show_error("")
        self.state.waits["service"] = self.app.clock()
        self.query_one("#service-wait", Static).update(f"Asking Azure to create {name}…")
        self.create(name, str(region))

    def action_keys(self) -> None:
        if not self.state.project.service_id:
            self.show_error("Auth keys: pick or create a DMS instance first.")
            return
        self.load_keys(self.state.project.service_id)

    def action_copy_key(self, which: int = 1) -> None:
        if self.keys is None:
            self.show_error(f"Copy key {which}: press Ctrl+G to show the auth keys first.")
            return
        key = self.keys.auth_key2 if which == 2 else self.keys.auth_key1
        if not key:
            self.show_error(
                f"Copy key {which}: Azure returned no key {which}; press Ctrl+G "
                "to read the keys again."
            )
            return
        from screens.copying import copy_out

        copy_out(self, f"Auth key {which}", key)  # a secret: the clipboard only, no file

    def problem(self) -> str | None:
        svc = self.state.service
        if not self.state.project.service_id:
            return (
                "DMS instance: pick one in the list (Enter) or type a name and press "
                "Ctrl+O to create one."
            )
        if svc is None or not svc.ready:
            state = svc.provisioning_state if svc else "being read"
            return (
                f"DMS instance: it is {state or 'Provisioning'}, not ready yet — wait "
                "until it shows Succeeded (or quit; it carries on in Azure)."
            )
        return None
