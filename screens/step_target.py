"""Step 5: the kind of target and the resource; unusable ones are shown with the reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Select, Static

from screens.wizard_step import WizardStep
from tui.models import Target, TargetKind


class TargetStep(WizardStep):
    STEP = 5
    BINDINGS = [
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            id="target.refresh",
            tooltip="Read the targets of this kind again",
        )
    ]

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[Target] = []
        self.listed: TargetKind | None = None

    def compose_step(self) -> ComposeResult:
        kind = self.state.kind or TargetKind.SQL_MI
        yield Static(
            "Where the databases go. Pick the kind, then the resource (Enter).", classes="lead"
        )
        yield Static("Target kind", classes="label")
        yield Select(
            [(k.label, k.value) for k in TargetKind], value=kind.value, allow_blank=False, id="kind"
        )
        table: DataTable[str] = DataTable(id="targets", cursor_type="row")
        table.add_columns("Name", "Resource group", "Region", "State", "Usable")
        yield table
        yield Static("", id="target-chosen")
        with Vertical(id="sqldb-login"):
            yield Static("SQL login DMS uses on the target server", classes="label")
            yield Input(self.state.settings.target_user, placeholder="sqladmin", id="target-user")
            yield Static("Its password (kept in memory only)", classes="label")
            yield Input(self.state.secrets.target_password, password=True, id="target-password")

    def start(self) -> None:
        self._show_login()
        self.action_refresh()
        self.query_one("#kind", Select).focus()

    def _kind(self) -> TargetKind:
        return TargetKind(str(self.query_one("#kind", Select).value))

    def _show_login(self) -> None:
        self.query_one("#sqldb-login").display = self._kind() == TargetKind.SQL_DB

    @on(Select.Changed, "#kind")
    def kind_changed(self) -> None:
        self._show_login()
        if self._kind() != self.listed:  # Select also reports its first value on mount
            self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#targets", DataTable).clear()
        self.listed = self._kind()
        self.load(self.listed)

    def load(self, kind: TargetKind) -> None:
        self.run_blocking(
            self.app.context.azure.list_targets,
            kind,
            on_done=lambda items: self.got_targets(kind, items),
            on_error=self.show_failure,
            group="targets",
        )

    def got_targets(self, kind: TargetKind, items: list[Target]) -> None:
        if kind != self._kind():
            return
        self.targets = items
        table = self.query_one("#targets", DataTable)
        table.clear()
        for t in items:
            table.add_row(
                t.name,
                t.resource_group,
                t.location,
                t.state or "—",
                "yes" if t.usable else "NO",
                key=t.id,
            )
        for index, t in enumerate(items):
            if t.id == self.state.project.target_id:
                table.move_cursor(row=index)
                self._describe(t)
        if not items:
            self.query_one("#target-chosen", Static).update(
                f"No {kind.label} in this subscription."
            )

    @on(DataTable.RowHighlighted, "#targets")
    def highlighted(self) -> None:
        """Describe the row under the cursor now (events of earlier moves may land late)."""
        row = self.query_one("#targets", DataTable).cursor_row
        if 0 <= row < len(self.targets):
            self._describe(self.targets[row])

    @on(DataTable.RowSelected, "#targets")
    def selected(self, event: DataTable.RowSelected) -> None:
        target = next(t for t in self.targets if t.id == event.row_key.value)
        self._describe(target)
        if not target.usable:
            self.show_error(f"Target {target.name}: {target.reason}")
            return
        self.show_error("")
        self.state.project.target_kind = target.kind.value
        self.state.project.target_id = target.id
        self.state.target = target
        self._describe(target)

    def _describe(self, target: Target) -> None:
        chosen = target.id == self.state.project.target_id and target.usable
        text = (
            f"{'Chosen' if chosen else 'Highlighted'}: {target.name} "
            f"({target.kind.label}, {target.state or 'state unknown'})"
        )
        if not target.usable:
            text += f"\nCan't be used: {target.reason}"
        self.query_one("#target-chosen", Static).update(text)

    def problem(self) -> str | None:
        p = self.state.project
        if not p.target_id or p.target_kind != self._kind().value:
            label = self._kind().label
            article = "an" if label[:1].lower() in "aeiou" else "a"
            return (
                f"Target: pick {article} {label} in the list with Enter "
                "(only usable ones can be picked)."
            )
        if self._kind() == TargetKind.SQL_DB:
            if not self.query_one("#target-user", Input).value.strip():
                return "Target SQL login: type the login DMS uses on the server, e.g. sqladmin."
            if not self.query_one("#target-password", Input).value:
                return "Target password: type the SQL login's password (kept in memory only)."
        return None

    def commit(self) -> None:
        """The target itself is saved when picked (Enter); here the SQL login, only once a
        SQL Database server is the picked target — browsing the kinds changes nothing."""
        if (
            self.state.project.target_kind != TargetKind.SQL_DB.value
            or self._kind() != TargetKind.SQL_DB
        ):
            return
        user = self.query_one("#target-user", Input).value.strip()
        if user:
            self.state.settings.target_user = user
        self.state.secrets.target_password = self.query_one("#target-password", Input).value
        if self.state.target is not None:
            self.state.settings.target_fqdn = self.state.target.fqdn
        self.state.settings.mode = "offline"
