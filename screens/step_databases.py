"""Step 6: the source's databases, multi-select, with each one's readiness findings."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.wizard_step import WizardStep
from tui.errors import DmsTuiError
from tui.limits import InstanceCapacity, capacity_problem, capacity_text, vm_batch_note
from tui.models import DatabaseInventory, TargetKind
from tui.readiness import TDE_RULE, Readiness, assess_both, blockers
from widgets.findings import FindingsView
from widgets.toggles import MarkedRadioButton, MarkedSelectionList


def _size(mb: float) -> str:
    """At most 7 cells: 875 MB, 68.0 GB, 612 GB, 1.2 TB."""
    gb = mb / 1024
    if gb >= 1000:
        return f"{gb / 1024:.1f} TB"
    if gb >= 100:
        return f"{gb:.0f} GB"
    return f"{gb:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


# Whole words in the narrow columns: RESTORING and RECOVERING fit; the two longer states
# and BULK_LOGGED are shown by the word that tells them apart
_STATE = {"RECOVERY_PENDING": "PENDING", "OFFLINE_SECONDARY": "SECONDARY"}
_RECOVERY = {"BULK_LOGGED": "BULK"}


def _short(value: str, words: dict[str, str], width: int) -> str:
    text = words.get((value or "").upper(), value or "")
    return f"{text[:width]:<{width}}"


def _name(name: str, width: int) -> str:
    """A database name in ``width`` columns; a longer one ends in "…" (the whole name shows
    under the list when highlighted)."""
    return f"{name:<{width}}" if len(name) <= width else name[: width - 1] + "…"


def _when(record) -> str:
    if record is None or record.finish is None and record.start is None:
        return "never"
    return (record.finish or record.start).strftime("%y-%m-%d")  # 8 columns: BLOCKED fits


class DatabasesStep(WizardStep):
    STEP = 6
    BINDINGS = [
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            id="databases.refresh",
            tooltip="Read the source's databases and their readiness again",
        ),
        Binding(
            "m",
            "mode",
            "Mode",
            id="databases.mode",
            tooltip="Judge readiness for online or offline (the mode step 7 will start with)",
        ),
        Binding(
            "t",
            "tde",
            "TDE cert",
            id="databases.tde",
            tooltip="Move the highlighted database's TDE certificate to the target",
        ),
    ]

    @dataclass
    class Loaded:
        """The source's databases and their findings in both modes (a worker's answer)."""

        source: object
        databases: list[DatabaseInventory]
        readiness: dict[str, Readiness]
        capacity: InstanceCapacity | None = None  # the managed instance's, when it is one
        capacity_error: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.listed = False  # the list shows the source's databases (read at least once)
        self.capacity: InstanceCapacity | None = None

    def compose_step(self) -> ComposeResult:
        kind = self.state.kind or TargetKind.SQL_MI
        yield Static(
            f"Select the databases to migrate to {kind.label} (Space toggles). "
            "System databases are never migrated and are not listed.",
            classes="lead",
        )
        if kind is not TargetKind.SQL_DB:
            # the findings depend on it (a SIMPLE-recovery database is fine offline only);
            # the same choice as on step 7, which shows it again
            with RadioSet(id="db-mode"):
                yield MarkedRadioButton(
                    "Online (log backups until cutover)", self.state.online, id="db-mode-online"
                )
                yield MarkedRadioButton(
                    "Offline (up to a last backup)", not self.state.online, id="db-mode-offline"
                )
        yield Static(
            f"   {'Database':<15} {'Size':>7} {'State':<10} {'Model':<6} "
            f"{'Last full':<9} {'Last log':<9}",
            classes="table-head",
        )
        yield MarkedSelectionList[str](id="databases")
        # markup off: database and server names ("Stage[Q1]") show as written
        yield Static("Reading the databases…", id="databases-status", classes="hint", markup=False)
        yield Static("Selected: none", id="databases-selected", markup=False)
        yield Static("", id="databases-limit", markup=False)
        yield FindingsView(id="findings")

    def start(self) -> None:
        self.query_one("#databases", SelectionList).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load(self.state.source)

    def load(self, source) -> None:
        kind = self.state.kind or TargetKind.SQL_MI
        params, context = self.state.source_params(), self.app.context
        target_id = self.state.project.target_id

        def read() -> DatabasesStep.Loaded:
            opened = source if source is not None else context.open_source(params)
            dbs = [d for d in opened.databases() if not d.is_system]
            readiness = {d.name: assess_both(opened, d, kind) for d in dbs}
            loaded = self.Loaded(opened, dbs, readiness)
            if kind == TargetKind.SQL_MI and target_id:
                try:
                    loaded.capacity = context.azure.instance_capacity(target_id)
                except DmsTuiError as exc:
                    loaded.capacity_error = exc.full_text
            return loaded

        self.run_blocking(read, on_done=self.loaded, on_error=self.failed, group="databases")

    def failed(self, error: DmsTuiError) -> None:
        self.query_one("#databases-status", Static).update("Could not read the databases.")
        self.show_failure(error)

    def loaded(self, message: Loaded) -> None:
        self.state.source = message.source
        self.state.inventory = {d.name: d for d in message.databases}
        self.state.readiness = dict(message.readiness)
        self.capacity = message.capacity
        if message.capacity_error:
            self.query_one("#databases-limit", Static).update(
                f"The managed instance's database count could not be read: {message.capacity_error}"
            )
        chosen = set(self.state.project.databases)
        sel = self.query_one("#databases", SelectionList)
        sel.clear_options()
        for d in message.databases:
            sel.add_option(Selection(self._label(d), d.name, d.name in chosen))
        self.listed = True
        if not message.capacity_error:
            self._show_limit(self._selected())
        self.query_one("#databases-status", Static).update(
            f"{len(message.databases)} user databases on "
            f"{self.state.project.source.server}. Highlight one to see its "
            "readiness."
        )
        if message.databases:
            sel.highlighted = 0
            self._show(message.databases[0].name)

    def _label(self, d: DatabaseInventory) -> Text:
        label = Text(
            f"{_name(d.name, 15)} {_size(d.size_mb):>7} {_short(d.state, _STATE, 10)} "
            f"{_short(d.recovery_model, _RECOVERY, 6)} {_when(d.last_full):<9} "
            f"{_when(d.last_log):<9}"
        )
        if blockers(self.state.findings(d.name)):
            label.append(" BLOCKED", style="bold red")
        return label

    def refresh_readiness(self) -> None:
        """Show the findings again (the mode changed, or a certificate reached the target)."""
        sel = self.query_one("#databases", SelectionList)
        for index in range(sel.option_count):
            name = sel.get_option_at_index(index).value
            inventory = self.state.inventory.get(name)
            if inventory is not None:
                sel.replace_option_prompt_at_index(index, self._label(inventory))
        if sel.highlighted is not None:
            self._show(sel.get_option_at_index(sel.highlighted).value)
        self.show_error("")

    # ---------------------------------------------------------------- mode

    @on(RadioSet.Changed, "#db-mode")
    def mode_changed(self) -> None:
        offline = self.query_one("#db-mode-offline", RadioButton).value
        self.state.settings.mode = "offline" if offline else "online"
        self.refresh_readiness()

    def action_mode(self) -> None:
        if self.state.kind is TargetKind.SQL_DB:
            self.show_error("Mode: Azure SQL Database migrations are offline only.")
            return
        other = "#db-mode-online" if not self.state.online else "#db-mode-offline"
        self.query_one(other, RadioButton).value = True

    @on(SelectionList.SelectedChanged, "#databases")
    def selection_changed(self) -> None:
        chosen = self._selected()
        self.query_one("#databases-selected", Static).update(
            "Selected: " + (", ".join(chosen) if chosen else "none — Space selects")
        )
        self._show_limit(chosen)

    def _show_limit(self, chosen: list[str]) -> None:
        """The target's limit against the selection: a managed instance's user databases,
        a SQL VM's batch."""
        kind = self.state.kind or TargetKind.SQL_MI
        line = self.query_one("#databases-limit", Static)
        if kind == TargetKind.SQL_VM:
            line.update(vm_batch_note(len(chosen)))
        elif self.capacity is not None:
            adding = self._adding(chosen)
            problem = capacity_problem(self.capacity, adding)
            line.update(problem or capacity_text(self.capacity, adding))
            line.set_class(bool(problem), "-blocked")

    def _adding(self, chosen: list[str]) -> int:
        """The chosen databases not on the managed instance yet (a migration already
        created restores into a database the instance lists)."""
        if self.capacity is None:
            return len(chosen)
        there = {d.lower() for d in self.capacity.databases}
        names = self.state.settings.target_names
        return sum(1 for n in chosen if names.get(n, n).lower() not in there)

    @on(SelectionList.SelectionHighlighted, "#databases")
    def highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show(event.selection.value)

    def _show(self, name: str) -> None:
        self.query_one("#findings", FindingsView).show(name, self.state.findings(name))

    # ---------------------------------------------------------------- TDE certificate

    def action_tde(self) -> None:
        """Move the highlighted database's TDE certificate to the target."""
        from screens.tde_certificate import TdeCertificateScreen

        sel = self.query_one("#databases", SelectionList)
        if sel.highlighted is None:
            return
        name = str(sel.get_option_at_index(sel.highlighted).value)
        kind = self.state.kind
        if not any(f.rule_id == TDE_RULE for f in self.state.findings(name)) or kind is None:
            self.show_error(
                f"TDE: {name} is not encrypted with TDE for this target; there is no "
                "certificate to move."
            )
            return
        p = self.state.project
        target = self.state.target.name if self.state.target else p.target_id.rsplit("/", 1)[-1]

        def done(moved: bool | None) -> None:
            if moved:
                self.state.certificate_on_target(name)
                self.save_now(at=self.STEP)
                self.refresh_readiness()

        self.app.push_screen(TdeCertificateScreen(name, kind, target, p.target_id), done)

    def _selected(self) -> list[str]:
        return list(self.query_one("#databases", SelectionList).selected)

    def is_busy(self) -> bool:
        return any(w.is_running and w.group == "databases" for w in self.app.workers)

    def busy_message(self) -> str:
        server = self.state.project.source.server or "the source"
        return f"Wait: the databases are still being read from {server}."

    def worker_failed(self, error: BaseException | None) -> None:
        self.query_one("#databases-status", Static).update(
            "Could not read the databases (Ctrl+R to retry)."
        )

    def problem(self) -> str | None:
        chosen = self._selected()
        if not self.state.inventory:
            return "Databases: they have not been read from the source yet (Ctrl+R to retry)."
        if not chosen:
            return "Databases: select at least one database with Space."
        if self.capacity is not None:
            problem = capacity_problem(self.capacity, self._adding(chosen))
            if problem:
                return f"Databases: {problem}"
        mode = "online" if self.state.online else "offline"
        for name in chosen:
            for f in blockers(self.state.findings(name)):
                return (
                    f"Databases: {name} can't be migrated {mode} — {f.message} "
                    f"Fix: {f.fix or 'see the findings'} Or unselect it (Space)."
                )
        return None

    def commit(self) -> None:
        """The selection once the list is read (an empty list while loading is not a choice);
        a database with a blocker is not saved as chosen."""
        if not self.listed or not self.state.inventory:
            return
        order = list(self.state.inventory)
        chosen = set(self._selected())
        blocked = {name for name in order if blockers(self.state.findings(name))}
        self.state.project.databases = [n for n in order if n in chosen and n not in blocked]
