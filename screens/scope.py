"""Which credential is in use, and the tenant, subscription and resource group to work in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from screens.base import BaseScreen
from screens.wizard_step import NEXT_AND_BACK
from tui import validation as v
from tui.errors import DmsTuiError
from tui.models import ResourceGroup, Subscription, Tenant
from widgets.compact import compact_all
from widgets.filter_list import FilterList
from widgets.message_pane import READ_KEYS, MessagePane
from widgets.more_cue import MoreCue

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

    from tui.controller import Controller
    from tui.projects import Project
    from tui.signin import DeviceCodePrompt


class ScopeScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(NEXT_AND_BACK)

    @dataclass
    class Subscriptions:
        """The subscriptions (and tenants) the credential sees (a worker's answer)."""

        items: list[Subscription]
        tenants: list[Tenant] = field(default_factory=list)

    @dataclass
    class TenantReady:
        """A credential for another tenant signed in; its subscriptions."""

        tenant_id: str
        credential: TokenCredential
        controller: Controller
        items: list[Subscription]

    @dataclass
    class CodeShown(Message):
        tenant_id: str
        prompt: DeviceCodePrompt

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions: list[Subscription] = []
        self.groups: list[ResourceGroup] = []
        self.tenants: set[str] = set()  # every tenant seen, so the DBA can switch back
        self.tenant_labels: dict[str, str] = {}  # tenant id -> "Contoso (contoso.com)  id"
        self.switching = ""  # the tenant being signed in to

    def compose_body(self) -> ComposeResult:
        yield Static("Sign-in and scope", classes="step-title")
        with VerticalScroll(id="step-body"):
            yield Static("", id="credential")
            sandbox = self.app.context.is_sandbox
            yield Static(
                "Tenant (type to filter, Enter to pick)"
                if sandbox
                else "Tenant (type to filter, or another tenant's ID or domain; Enter)",
                classes="label",
            )
            yield FilterList("filter tenants", id="tenants", allow_typed=not sandbox)
            yield Static("Subscription", classes="label")
            yield FilterList("filter subscriptions", id="subscriptions")
            yield Static("Resource group (where the DMS instance lives)", classes="label")
            yield FilterList("filter resource groups", id="groups")
        pane = MessagePane(id="step-error-pane")
        with pane:
            # markup off: error codes ("[KeyError]") show as written
            yield Static("", id="step-error", classes="step-error", markup=False)
        yield MoreCue(pane, keys=READ_KEYS, back="F2, then ↑ PgUp", id="step-error-more")

    @property
    def project(self) -> Project:
        wizard = self.app.wizard
        if wizard is None:
            raise RuntimeError("The scope screen was opened with no project open.")
        return wizard.project

    def on_mount(self) -> None:
        compact_all(self)
        self._show_credential()
        self.load_subscriptions()

    def _show_credential(self) -> None:
        ctx = self.app.context
        who = (
            "Sandbox credential (simulated Azure)"
            if ctx.is_sandbox
            else ctx.credential_label or type(ctx.credential).__name__
        )
        tenant = "" if ctx.is_sandbox or not ctx.tenant_id else f" — tenant {ctx.tenant_id}"
        self.query_one("#credential", Static).update(f"Signed in with: {who}{tenant}")

    def load_subscriptions(self) -> None:
        controller = self.app.context.azure

        def read() -> ScopeScreen.Subscriptions:
            subscriptions = controller.list_subscriptions()
            try:
                tenants = controller.list_tenants()
            except DmsTuiError:
                tenants = []  # names are a convenience: the subscriptions carry the tenant ids
            return self.Subscriptions(subscriptions, tenants)

        self.run_blocking(
            read, on_done=self.got_subscriptions, on_error=self.failed, group="scope-subs"
        )

    def load_groups(self, subscription_id: str) -> None:
        # the app's controller moves to the subscription here, on the UI thread; the worker
        # only lists its resource groups
        self.app.context.use_subscription(subscription_id)
        self.run_blocking(
            self.app.context.azure.list_resource_groups,
            on_done=self.got_groups,
            on_error=self.failed,
            group="scope-groups",
        )

    def switch_tenant(self, tenant_id: str) -> None:
        """Sign in to another tenant with the same method, then list its subscriptions."""
        context = self.app.context

        def sign_in() -> ScopeScreen.TenantReady:
            credential, controller, tid = context.credential_for_tenant(
                tenant_id, on_device_code=lambda p: self.post_message(self.CodeShown(tenant_id, p))
            )
            return self.TenantReady(tid, credential, controller, controller.list_subscriptions())

        self.run_blocking(
            sign_in, on_done=self.tenant_ready, on_error=self.failed, group="scope-subs"
        )

    def _start_switch(self, tenant_id: str) -> None:
        self.switching = tenant_id
        self.query_one("#credential", Static).update(f"Signing in to tenant {tenant_id}…")
        self.switch_tenant(tenant_id)

    @on(CodeShown)
    def code_shown(self, message: CodeShown) -> None:
        p = message.prompt
        self.query_one("#credential", Static).update(
            f"Tenant {message.tenant_id}: on any device open {p.verification_uri} and enter "
            f"the code  {p.user_code}"
        )

    def tenant_ready(self, message: TenantReady) -> None:
        self.switching = ""
        self.app.context.use_tenant(message.tenant_id, message.credential, message.controller)
        self.project.tenant_id = message.tenant_id
        if self.project.subscription_id not in {s.subscription_id for s in message.items}:
            self.project.subscription_id = ""
            self.project.resource_group = ""
            self.groups = []
            self.query_one("#groups", FilterList).set_items([])
        self._show_credential()
        self.query_one("#tenants Input", Input).value = ""  # show every tenant seen again
        self.got_subscriptions(self.Subscriptions(message.items))

    def failed(self, error: DmsTuiError) -> None:
        if self.switching:
            self.switching = ""
            self._show_credential()
        self.query_one("#step-error", Static).update(error.full_text)

    def got_subscriptions(self, message: Subscriptions) -> None:
        self.subscriptions = message.items
        ctx = self.app.context
        listed = {s.tenant_id or "" for s in self.subscriptions} - {""}
        if not ctx.is_sandbox and not ctx.tenant_id and len(listed) == 1:
            ctx.tenant_id = next(iter(listed))  # the credential listed them: its tenant
            self._show_credential()
        if (
            not ctx.is_sandbox
            and self.project.tenant_id
            and ctx.needs_credential_for(self.project.tenant_id)
            and not self.switching
        ):
            self._start_switch(self.project.tenant_id)  # a resumed project in another tenant
        self.tenant_labels.update({t.tenant_id: t.label for t in message.tenants})
        self.tenants |= listed
        tenants = sorted(self.tenants)
        picked_tenant = self.project.tenant_id or (tenants[0] if len(tenants) == 1 else None)
        self.query_one("#tenants", FilterList).set_items(
            [(t, self.tenant_labels.get(t, t)) for t in tenants], picked=picked_tenant
        )
        if picked_tenant:
            self.project.tenant_id = picked_tenant
        self._fill_subscriptions()
        known = {s.subscription_id for s in self.subscriptions}
        current = self.app.context.azure.subscription_id
        sub = (
            self.project.subscription_id
            or (current if current in known else "")
            or (self.subscriptions[0].subscription_id if len(self.subscriptions) == 1 else "")
        )
        if sub:
            self._pick_subscription(sub)
        self.query_one("#tenants Input").focus() if len(
            tenants
        ) > 1 and not picked_tenant else self.query_one("#subscriptions Input").focus()

    def _fill_subscriptions(self) -> None:
        tenant = self.project.tenant_id
        subs = [s for s in self.subscriptions if not tenant or s.tenant_id in (tenant, None)]
        self.query_one("#subscriptions", FilterList).set_items(
            [(s.subscription_id, f"{s.display_name}  {s.subscription_id}") for s in subs],
            picked=self.project.subscription_id or None,
        )

    def _pick_subscription(self, subscription_id: str) -> None:
        if subscription_id != self.project.subscription_id:
            self.project.resource_group = ""
        self.project.subscription_id = subscription_id
        self._fill_subscriptions()
        self.load_groups(subscription_id)

    def got_groups(self, items: list[ResourceGroup]) -> None:
        self.groups = items
        self.query_one("#groups", FilterList).set_items(
            [(g.name, f"{g.name}  ({g.location})") for g in self.groups],
            picked=self.project.resource_group or None,
        )
        self.query_one("#groups Input").focus()

    @on(FilterList.Picked)
    def picked(self, message: FilterList.Picked) -> None:
        which = message.filter_list.id
        self.query_one("#step-error", Static).update("")
        if which == "tenants":
            tenant = message.item_id
            if self.app.context.needs_credential_for(tenant):
                error = v.tenant(tenant)
                if error:
                    self.query_one("#step-error", Static).update(error)
                    return
                self._start_switch(tenant)
                return
            self.project.tenant_id = tenant
            self._fill_subscriptions()
            self.query_one("#subscriptions Input").focus()
        elif which == "subscriptions":
            self._pick_subscription(message.item_id)
        else:
            self.project.resource_group = message.item_id
            group = next((g for g in self.groups if g.name == message.item_id), None)
            self.project.location = group.location if group else ""

    def problem(self) -> str | None:
        if self.switching:
            return f"Tenant: still signing in to {self.switching}; wait a moment."
        if not self.project.subscription_id:
            return "Subscription: pick the subscription to migrate into (type to filter, Enter)."
        if not self.project.resource_group:
            return "Resource group: pick the group for the DMS instance (type to filter, Enter)."
        return None

    def action_next(self) -> None:
        message = self.problem()
        if message:
            self.query_one("#step-error", Static).update(message)
            return
        self.app.context.use_subscription(self.project.subscription_id)
        if self.app.save_wizard(at=1):
            self.app.goto_step(1)

    def action_back(self) -> None:
        self.app.leave_wizard(to_start=True)
