"""Azure at a glance: the subscriptions and DMS instances the signed-in account can see."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from screens.base import BaseScreen
from tui.models import MigrationService, Subscription


class OverviewScreen(BaseScreen):
    BINDINGS = [Binding("r", "refresh", "Refresh", id="overview.refresh")]

    @dataclass
    class Loaded(Message):
        subscriptions: list[Subscription]
        services: list[MigrationService]

    def compose_body(self) -> ComposeResult:
        yield Static("Loading subscriptions and DMS instances…", id="overview-status")
        yield Static("Subscriptions", classes="section-title")
        subs = DataTable(id="subscriptions", cursor_type="row")
        subs.add_columns("Name", "Subscription id", "State")
        yield subs
        yield Static("Database Migration Service instances", classes="section-title")
        services = DataTable(id="services", cursor_type="row")
        services.add_columns("Name", "Resource group", "Region", "State", "Integration runtime")
        yield services

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#overview-status", Static).update("Loading…")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load(self) -> None:
        controller = self.app.context.controller
        subs = controller.list_subscriptions()
        services = controller.list_migration_services()
        self.post_message(self.Loaded(subs, services))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        subs = self.query_one("#subscriptions", DataTable)
        subs.clear()
        for s in message.subscriptions:
            subs.add_row(s.display_name, s.subscription_id, s.state, key=s.subscription_id)
        services = self.query_one("#services", DataTable)
        services.clear()
        for svc in message.services:
            services.add_row(svc.name, svc.resource_group, svc.location,
                             svc.provisioning_state, svc.integration_runtime_state or "—",
                             key=svc.id)
        self.query_one("#overview-status", Static).update(
            f"{len(message.subscriptions)} subscription(s), {len(message.services)} DMS "
            "instance(s).")
