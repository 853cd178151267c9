"""Logins: move the source's logins to the migration's target, before or after cutover.

The plan lists every source login and what will happen to it on the target; the DBA picks
(Space) and creates the chosen ones (ctrl+a, after a confirmation naming how many and
where). Then ctrl+u maps the migrated database's orphaned users to their logins, and
ctrl+e exports the T-SQL for review or to run by hand — the only place a password hash is
written (0600); it is never shown here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.base import BaseScreen
from tui.errors import DmsTuiError
from tui.logins.models import Action, LoginResult, Outcome, PlanItem, PresentLogin
from tui.models import MigrationDetail, TargetKind
from widgets.compact import steady_cursors

MARKS = {
    Outcome.CREATED: "✓",
    Outcome.MAPPED: "✓",
    Outcome.PRESENT: "=",
    Outcome.SKIPPED: "-",
    Outcome.FAILED: "✗",
}


def _short(item: PlanItem) -> str:
    """A list row's few words; the whole line shows under the list when highlighted."""
    if item.action is Action.CREATE:
        if item.external:
            return f"create as Entra {item.target_name}"
        return "create, same SID" + (" and password" if item.login.password_hash else "")
    if item.action is Action.PRESENT_SAME:
        return "already on the target"
    if item.action is Action.PRESENT_DIFFERENT:
        return "on the target, other SID: left"
    return "skipped — " + item.what.removeprefix("skipped: ").split(";")[0].split(":")[0]


class LoginsScreen(BaseScreen):
    CSS_PATH = "logins.tcss"
    BINDINGS = [
        Binding(
            "ctrl+a",
            "apply",
            "Create chosen",
            id="logins.apply",
            tooltip="Create the chosen logins on the target (asks first, naming how many)",
            priority=True,
        ),
        Binding(
            "ctrl+u",
            "orphans",
            "Map users",
            id="logins.orphans",
            tooltip="Map the migrated database's orphaned users to their logins",
            priority=True,
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export T-SQL",
            id="logins.export",
            tooltip="Write the logins' T-SQL to a 0600 file, to review or run by hand",
            priority=True,
        ),
        Binding(
            "ctrl+r",
            "read",
            "Read again",
            id="logins.read",
            tooltip="Read the logins on the source and the target again",
            show=False,
        ),
        Binding("escape", "back", "Back", id="logins.back", tooltip="Back to the monitor"),
    ]

    def __init__(
        self,
        detail: MigrationDetail,
        source_params: Any,
        target_login: Any,
        *,
        export_folder: Any = None,
    ) -> None:
        super().__init__()
        self.detail = detail
        self.source_params = source_params
        self.target_login = target_login
        self.export_folder = export_folder
        self.reading: Any = None  # tui.logins.session.Reading once read
        self.plan: list[PlanItem] = []
        self.busy = False
        self.target_params: Any = None  # the target's login with its address, once read
        self.offered: list[str] = []  # logins the last plan could create
        self.shown: list[str] = []  # the login of each line of the list, in order

    @property
    def managed_instance(self) -> bool:
        return self.detail.kind is TargetKind.SQL_MI

    def compose_body(self) -> ComposeResult:
        d = self.detail
        yield Static(
            f"Logins: {d.source_server or 'source'} → {d.target_name} ({d.kind.label})",
            id="logins-title",
            markup=False,
        )
        if self.managed_instance:
            with Horizontal(id="logins-domain-row"):
                yield Static("Entra domain", classes="logins-label")
                yield Input(placeholder="contoso.com — maps CONTOSO\\user", id="logins-domain")
        yield Static("Reading the logins on both servers…", id="logins-status", markup=False)
        yield SelectionList[int](id="logins-plan")
        yield Static("", id="logins-detail", markup=False)
        with VerticalScroll(id="logins-results-box"):
            yield Static("", id="logins-results", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.action_read()

    # ------------------------------------------------------------------ reading and the plan

    def _status(self, text: str) -> None:
        self.query_one("#logins-status", Static).update(text)

    def _target_params(self) -> Any:
        """The target's login with its address (looked up in Azure: blocking)."""
        ctx, d = self.app.context, self.detail
        fqdn = next(
            (t.fqdn for t in ctx.azure.list_targets(d.kind) if t.id.lower() == d.target_id.lower()),
            "",
        )
        if not fqdn:
            raise DmsTuiError(
                "The target server's address is not known.",
                code="NoTargetAddress",
                hint="Check the target still exists in Azure.",
            )
        return replace(self.target_login or self.source_params, server=fqdn, port=1433)

    def action_read(self) -> None:
        if self.busy:
            return
        from tui.logins import session

        self.busy = True
        self._status("Reading the logins on both servers…")
        ctx = self.app.context

        def read() -> tuple[Any, Any]:
            target = self._target_params()
            return session.read(ctx, self.source_params, target), target

        self.run_blocking(read, on_done=self._read, on_error=self._failed, group="logins")

    def _read(self, answer: tuple[Any, Any]) -> None:
        self.busy = False
        self.reading, self.target_params = answer
        self._replan()

    def _domain(self) -> str:
        if not self.managed_instance:
            return ""
        return self.query_one("#logins-domain", Input).value

    @on(Input.Changed, "#logins-domain")
    def _domain_changed(self) -> None:
        if self.reading is not None:
            self._replan()

    def _replan(self, present: tuple[PresentLogin, ...] | None = None) -> None:
        from tui.logins.plan import make_plan

        r = self.reading
        if present is not None:
            self.reading = r = replace(r, present=present)
        try:
            self.plan = make_plan(
                r.logins,
                r.present,
                self.detail.kind,
                entra_domain=self._domain(),
                target_databases=r.target_databases,
                source_machine=r.source_machine,
            )
        except ValueError as exc:
            self._status(f"Entra domain: {exc}")
            return
        # what the DBA picked stays picked; a login that has just become possible (the
        # domain typed, say) starts picked, as every login does on the first plan
        chosen = set(self._chosen_names())
        offered_before = set(self.offered)
        self.offered = [i.login.name for i in self.plan if i.selectable]
        plan_list = self.query_one("#logins-plan", SelectionList)
        self.shown = [i.login.name for i in self.plan]
        plan_list.clear_options()
        plan_list.add_options(
            [
                Selection(
                    f"{i.login.name}: {_short(i)}",
                    n,
                    i.selectable and (i.login.name in chosen or i.login.name not in offered_before),
                )
                for n, i in enumerate(self.plan)
            ]
        )
        self._show_detail(plan_list.highlighted)
        creatable = sum(i.selectable for i in self.plan)
        self._status(
            f"{len(self.plan)} logins on the source; {creatable} can be created. Space picks; "
            "ctrl+a creates the chosen ones."
        )

    @on(SelectionList.SelectionHighlighted, "#logins-plan")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show_detail(event.selection_index)

    def _show_detail(self, n: int | None) -> None:
        """The whole plan line of the highlighted login (the list keeps each row short)."""
        detail = self.query_one("#logins-detail", Static)
        if n is None or n >= len(self.plan):
            detail.update("")
            return
        item = self.plan[n]
        text = f"{item.login.name} ({item.login.kind.label}) → {item.target_name}: {item.what}"
        if item.notes:
            text += " Note: " + "; ".join(item.notes) + "."
        detail.update(text)

    @on(SelectionList.SelectionToggled, "#logins-plan")
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        """Only a login the plan can create can be picked; the others say why not."""
        n = event.selection.value
        if isinstance(n, int) and n < len(self.plan) and not self.plan[n].selectable:
            event.selection_list.deselect(n)
            self._status(f"{self.plan[n].login.name} can't be picked: {self.plan[n].what}")

    def _chosen_names(self) -> list[str]:
        plan_list = self.query_one("#logins-plan", SelectionList)
        return [self.shown[n] for n in plan_list.selected if n < len(self.shown)]

    def _chosen(self) -> list[PlanItem]:
        plan_list = self.query_one("#logins-plan", SelectionList)
        return [self.plan[n] for n in sorted(plan_list.selected) if self.plan[n].selectable]

    def _failed(self, error: DmsTuiError) -> None:
        self.busy = False
        self._status("Could not finish: " + error.full_text)

    def _results(self, title: str, results: list[LoginResult]) -> None:
        lines = [title] + [
            f" {MARKS[r.outcome]} {r.name}: {r.outcome.value} — {r.message}"
            + (f" [{r.code}]" if r.code else "")
            for r in results
        ]
        self.query_one("#logins-results", Static).update("\n".join(lines))

    # ------------------------------------------------------------------ actions

    def action_apply(self) -> None:
        if self.busy or self.reading is None:
            return
        items = self._chosen()
        if not items:
            self._status("Nothing chosen: pick logins with Space first.")
            return
        from widgets.confirm import ConfirmModal

        names = ", ".join(i.target_name for i in items[:6]) + (" …" if len(items) > 6 else "")
        question = (
            f"Create {len(items)} login(s) on {self.detail.target_name}?\n{names}\n"
            "Each is created once; logins already there are left as they are."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(items)

        self.app.push_screen(ConfirmModal(question, yes="Create"), answered)

    def _apply(self, items: list[PlanItem]) -> None:
        from tui.logins import session

        self.busy = True
        self._status(f"Creating {len(items)} login(s) on {self.detail.target_name}…")
        ctx, target = self.app.context, self.target_params
        self.run_blocking(
            session.apply,
            ctx,
            target,
            items,
            on_done=self._applied,
            on_error=self._failed,
            group="logins",
        )

    def _applied(self, answer: tuple[list[LoginResult], tuple[PresentLogin, ...]]) -> None:
        self.busy = False
        results, present = answer
        made = sum(r.outcome is Outcome.CREATED for r in results)
        failed = sum(r.outcome is Outcome.FAILED for r in results)
        self._results(f"Created {made}, failed {failed}:", results)
        self._replan(present)

    def action_orphans(self) -> None:
        if self.busy or self.reading is None:
            return
        from tui.logins import session

        self.busy = True
        database = self.detail.target_database
        self._status(f"Mapping orphaned users in {database}…")
        self.run_blocking(
            session.map_orphans,
            self.app.context,
            self.target_params,
            [database],
            self.plan,
            on_done=lambda results: self._mapped(database, results),
            on_error=self._failed,
            group="logins",
        )

    def _mapped(self, database: str, results: list[LoginResult]) -> None:
        self.busy = False
        if not results:
            self._status(f"No orphaned users in {database}.")
        else:
            self._status(f"Orphaned users in {database}: {len(results)}.")
        self._results(f"Users in {database}:", results)

    def action_export(self) -> None:
        if self.reading is None:
            return
        items = [i for i in self.plan if i.action is Action.CREATE]
        if not items:
            self._status("Nothing to export: no login needs creating.")
            return
        from tui.logins.tsql import write_script

        source = self.detail.source_server or "source"
        target = self.detail.target_name

        def write() -> str:
            path = write_script(items, source, target, self.export_folder)
            return (
                f"T-SQL for {len(items)} login(s) written to {path} (owner-only: it holds "
                "password hashes; delete it when done)."
            )

        self.run_blocking(write, on_done=self._status, on_error=self._failed, group="export")

    def action_back(self) -> None:
        self.app.pop_screen()
