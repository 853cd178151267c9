"""Real-Azure tenants on the scope screen: picking (or typing) a tenant other than the
credential's signs in to it with the same method, makes a Controller for it and lists its
subscriptions. Fakes stand in for azure-identity and the Controller: no network."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from textual.widgets import Static

from tests.helpers.wizard_pilot import on_screen, settled, wait_for
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.models import ResourceGroup, Subscription
from tui.signin import SignInMethod, token_tenant

HOME = "11111111-1111-1111-1111-111111111111"
OTHER = "22222222-2222-2222-2222-222222222222"
SUBS = {
    HOME: [Subscription("sub-home", "Contoso Production", tenant_id=HOME)],
    OTHER: [
        Subscription("sub-other-1", "Fabrikam Production", tenant_id=OTHER),
        Subscription("sub-other-2", "Fabrikam Dev", tenant_id=OTHER),
    ],
}


def jwt(tid: str) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"tid": tid}).encode()).decode().rstrip("=")
    return f"header.{claims}.signature"


@dataclass
class Token:
    token: str


class FakeCredential:
    def __init__(self, tenant: str):
        self.tenant = tenant

    def get_token(self, *scopes, **kwargs):
        return Token(jwt(self.tenant))


class FakeController:
    def __init__(self, credential, subscription_id: str):
        self.credential = credential
        self.subscription_id = subscription_id

    def for_subscription(self, subscription_id: str) -> FakeController:
        return FakeController(self.credential, subscription_id)

    def list_subscriptions(self):
        return SUBS[self.credential.tenant]

    def list_resource_groups(self):
        return [ResourceGroup(f"rg-{self.subscription_id}", "westeurope")]

    def list_tenants(self):
        return []  # names unknown: the screen falls back to the ids from the subscriptions


def real_context(calls: list) -> AppContext:
    def factory(method, *, tenant_id=None, on_device_code=None):
        calls.append((method, tenant_id))
        return FakeCredential(tenant_id)

    home = FakeCredential(HOME)
    return AppContext(
        controller=FakeController(home, ""),
        credential=home,
        credential_label="Azure CLI (reuse `az login`)",
        sign_in_method="cli",
        tenant_id=HOME,
        credential_factory=factory,
        controller_factory=FakeController,
    )


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def options(app, selector: str) -> list[str]:
    ol = app.screen.query_one(f"{selector} OptionList")
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


async def test_another_tenant_gets_its_own_credential_and_controller():
    calls: list = []
    ctx = real_context(calls)
    app = DmsTuiApp(ctx, clock=lambda: 1000.0, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="home groups")
        assert app.wizard.project.subscription_id == "sub-home"
        assert f"tenant {HOME}" in shown(app, "#credential")
        assert calls == []  # the credential's own tenant needs no new sign-in
        app.screen.query_one("#tenants Input").focus()
        await pilot.press(*"not a tenant", "enter")  # no match, and not an ID or a domain
        await wait_for(
            pilot, lambda: "Tenant not a tenant: type the tenant ID" in shown(app, "#step-error")
        )
        assert calls == []
        await pilot.press("ctrl+u", *OTHER, "enter")
        await wait_for(pilot, lambda: ctx.tenant_id == OTHER, what="signed in to the tenant")
        assert calls == [(SignInMethod.AZURE_CLI, OTHER)]
        assert ctx.credential.tenant == OTHER
        assert isinstance(ctx.controller, FakeController)
        assert ctx.controller.credential is ctx.credential
        await wait_for(
            pilot, lambda: any("Fabrikam Dev" in o for o in options(app, "#subscriptions"))
        )
        assert not any("Contoso" in o for o in options(app, "#subscriptions"))
        assert app.wizard.project.tenant_id == OTHER
        assert app.wizard.project.subscription_id == ""  # the old one is not in this tenant
        assert app.wizard.project.resource_group == ""
        assert f"tenant {OTHER}" in shown(app, "#credential")
        # both tenants stay on the list, so the DBA can go back
        await wait_for(
            pilot,
            lambda: any(HOME in o for o in options(app, "#tenants")),
            what="both tenants listed",
        )
        assert app.focused is app.screen.query_one("#subscriptions Input")
        await pilot.press(*"Fabrikam Dev", "enter")
        await wait_for(pilot, lambda: app.screen.groups, what="the other tenant's groups")
        assert ctx.controller.subscription_id == "sub-other-2"
        assert ctx.controller.credential.tenant == OTHER


async def test_the_sandbox_tenant_only_filters(context, sandbox):
    calls: list = []
    context.credential_factory = lambda *a, **k: calls.append(a)
    app = DmsTuiApp(context, clock=lambda: 1000.0, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        controller = context.controller
        app.screen.query_one("#tenants Input").focus()
        await pilot.press("enter")
        await settled(pilot)
        assert calls == [] and context.controller is controller
        assert app.wizard.project.tenant_id == sandbox.credential.tenant_id


def test_token_tenant_reads_the_tid_claim_only():
    assert token_tenant(jwt(OTHER)) == OTHER
    assert token_tenant("not-a-jwt") == ""
