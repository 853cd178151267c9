"""Which credential is in use, and the tenant, subscription and resource group to work in."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from screens.base import BaseScreen
from tui.errors import DmsTuiError
from tui.models import ResourceGroup, Subscription
from widgets.filter_list import FilterList
from widgets.compact import compact_all


class ScopeScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+n", "next", "Next", id="wizard.next", priority=True),
        Binding("escape", "back", "Back", id="wizard.back"),
    ]

    @dataclass
    class Subscriptions(Message):
        items: list[Subscription]

    @dataclass
    class Groups(Message):
        items: list[ResourceGroup]

    @dataclass
    class Failed(Message):
        error: DmsTuiError

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions: list[Subscription] = []
        self.groups: list[ResourceGroup] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Sign-in and scope", classes="step-title")
        with VerticalScroll(id="step-body"):
            yield Static("", id="credential")
            yield Static("Tenant (type to filter, Enter to pick)", classes="label")
            yield FilterList("filter tenants", id="tenants")
            yield Static("Subscription", classes="label")
            yield FilterList("filter subscriptions", id="subscriptions")
            yield Static("Resource group (where the DMS instance lives)", classes="label")
            yield FilterList("filter resource groups", id="groups")
        yield Static("", id="step-error", classes="step-error")

    @property
    def project(self):
        return self.app.wizard.project

    def on_mount(self) -> None:
        compact_all(self)
        ctx = self.app.context
        who = "Sandbox credential (simulated Azure)" if ctx.is_sandbox else \
            getattr(ctx, "credential_label", "") or type(ctx.credential).__name__
        self.query_one("#credential", Static).update(f"Signed in with: {who}")
        self.load_subscriptions()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scope-subs")
    def load_subscriptions(self) -> None:
        try:
            self.post_message(self.Subscriptions(self.app.context.controller.list_subscriptions()))
        except DmsTuiError as exc:
            self.post_message(self.Failed(exc))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scope-groups")
    def load_groups(self, subscription_id: str) -> None:
        try:
            self.app.context.use_subscription(subscription_id)
            self.post_message(self.Groups(self.app.context.controller.list_resource_groups()))
        except DmsTuiError as exc:
            self.post_message(self.Failed(exc))

    @on(Failed)
    def failed(self, message: Failed) -> None:
        self.query_one("#step-error", Static).update(message.error.full_text)

    @on(Subscriptions)
    def got_subscriptions(self, message: Subscriptions) -> None:
        self.subscriptions = message.items
        tenants = sorted({s.tenant_id or "" for s in self.subscriptions} - {""})
        picked_tenant = self.project.tenant_id or (tenants[0] if len(tenants) == 1 else None)
        self.query_one("#tenants", FilterList).set_items([(t, t) for t in tenants],
                                                         picked=picked_tenant)
        if picked_tenant:
            self.project.tenant_id = picked_tenant
        self._fill_subscriptions()
        known = {s.subscription_id for s in self.subscriptions}
        current = self.app.context.controller.subscription_id
        sub = self.project.subscription_id or (current if current in known else "") or \
            (self.subscriptions[0].subscription_id if len(self.subscriptions) == 1 else "")
        if sub:
            self._pick_subscription(sub)
        self.query_one("#tenants Input").focus() if len(tenants) > 1 else \
            self.query_one("#subscriptions Input").focus()

    def _fill_subscriptions(self) -> None:
        tenant = self.project.tenant_id
        subs = [s for s in self.subscriptions if not tenant or s.tenant_id in (tenant, None)]
        self.query_one("#subscriptions", FilterList).set_items(
            [(s.subscription_id, f"{s.display_name}  {s.subscription_id}") for s in subs],
            picked=self.project.subscription_id or None)

    def _pick_subscription(self, subscription_id: str) -> None:
        if subscription_id != self.project.subscription_id:
            self.project.resource_group = ""
        self.project.subscription_id = subscription_id
        self._fill_subscriptions()
        self.load_groups(subscription_id)

    @on(Groups)
    def got_groups(self, message: Groups) -> None:
        self.groups = message.items
        self.query_one("#groups", FilterList).set_items(
            [(g.name, f"{g.name}  ({g.location})") for g in self.groups],
            picked=self.project.resource_group or None)
        self.query_one("#groups Input").focus()

    @on(FilterList.Picked)
    def picked(self, message: FilterList.Picked) -> None:
        which = message.filter_list.id
        self.query_one("#step-error", Static).update("")
        if which == "tenants":
            self.project.tenant_id = message.item_id
            self._fill_subscriptions()
            self.query_one("#subscriptions Input").focus()
        elif which == "subscriptions":
            self._pick_subscription(message.item_id)
        else:
            self.project.resource_group = message.item_id
            group = next((g for g in self.groups if g.name == message.item_id), None)
            self.project.location = group.location if group else ""

    def problem(self) -> str | None:
        if not self.project.subscription_id:
            return "Subscription: pick the subscription to migrate into (type to filter, Enter)."
        if not self.project.resource_group:
            return ("Resource group: pick the group for the DMS instance (type to filter, "
                    "Enter).")
        return None

    def action_next(self) -> None:
        message = self.problem()
        if message:
            self.query_one("#step-error", Static).update(message)
            return
        self.app.context.use_subscription(self.project.subscription_id)
        self.app.wizard.save(1)
        self.app.goto_step(1)

    def action_back(self) -> None:
        self.app.leave_wizard(to_start=True)
