"""Resume a project at the step where it was left; no secret typed ever reaches a file."""

from __future__ import annotations

import threading

from textual.widgets import SelectionList

from tests.helpers.wizard_pilot import (
    databases,
    mi_databases,
    name_project,
    on_screen,
    pick_existing_service,
    scope_and_provider,
    source,
    step_is,
    target,
    text_of,
    through_source,
    wait_for,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.projects import load_project
from tui.sandbox import Fault

PASSWORD = "Src-S3cret-pw!"
TARGET_PASSWORD = "Tgt-S3cret-pw!"


def make_app(context, **kw) -> DmsTuiApp:
    return DmsTuiApp(context, clock=lambda: 1000.0, poll_interval=0.2, **kw)


def files_under(home):
    return [p for p in home.rglob("*") if p.is_file()]


async def test_saved_at_step_6_reopens_at_step_6_with_the_same_choices(context, sandbox, dms_home):
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await through_source(pilot, sandbox, "payroll", password=PASSWORD)
        await mi_databases(pilot, ["SalesDB", "InventoryHub"])  # goes on to step 7
        await pilot.press("escape")  # back to 6: saved there with the selection
        await wait_for(pilot, lambda: step_is(app, 6))
        await pilot.press("ctrl+q")
    saved = load_project("payroll")
    assert saved.resume_step == 6
    assert saved.step == 7, "Back does not lower the step reached"
    assert saved.databases == ["SalesDB", "InventoryHub"]

    again = make_app(context, project="payroll")
    async with again.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "SecretsPrompt")  # the password was not saved: asked again
        await pilot.press(*PASSWORD, "enter")
        await wait_for(pilot, lambda: step_is(again, 6))
        assert "6/9 Databases" in text_of(again, "#step-indicator")
        await wait_for(pilot, lambda: again.wizard.inventory, what="databases")
        selected = again.screen.query_one("#databases", SelectionList).selected
        assert sorted(selected) == ["InventoryHub", "SalesDB"]
        assert again.wizard.project.source.server == "sqlprod01"
        assert again.wizard.project.target_id.endswith("/sqlmi-contoso-prod")

    for path in files_under(dms_home):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert PASSWORD not in text, path


async def test_no_secret_typed_in_the_wizard_is_written(context, sandbox, dms_home):
    """SQL Database walk: source and target passwords typed; storage key and auth keys shown."""
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await wait_for(pilot, lambda: app.screen.services, what="services")
        await pilot.press("enter", "ctrl+g")  # show the integration-runtime auth keys
        await wait_for(pilot, lambda: app.screen.keys is not None, what="auth keys")
        keys = app.screen.keys
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 3))
        await name_project(pilot, "secret-check")
        await source(pilot, "sqlprod01", password=PASSWORD)
        await target(pilot, "Azure SQL D", "sql-contoso-prod")
        await pilot.press("tab", *"sqladmin", "tab", *TARGET_PASSWORD, "ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 6))
        await databases(pilot, ["SalesDB"])
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 8))
        await pilot.press("ctrl+q")
    files = files_under(dms_home)
    assert files, "the project was saved"
    secrets = [PASSWORD, TARGET_PASSWORD, keys.auth_key1, keys.auth_key2]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path} holds a secret"


async def test_ui_answers_keys_while_azure_is_slow(context, sandbox):
    """A slow Azure answer runs in a worker: the step still takes keys and shows messages.
    The targets' answer is held until the keys have been answered, so the test does not
    depend on how fast the machine is."""
    app = make_app(context)
    answer = threading.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await pick_existing_service(pilot)
        await name_project(pilot, "slow")
        held = sandbox.inject(Fault.slow(60, match="managedInstances", until=answer))
        await source(pilot, "sqlprod01")  # step 5 reads the targets, slowly
        await pilot.press("tab")

        def loading():
            return [w for w in app.workers if w.group == "targets" and w.is_running]

        await wait_for(pilot, lambda: held.hits and loading(), what="the targets' read")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Target: pick" in text_of(app, "#step-error"))
        await pilot.press("escape")  # Back works while Azure is still answering
        await wait_for(pilot, lambda: step_is(app, 4))
        assert held.hits == 1, "keys were answered while Azure's answer was held"
        answer.set()  # the held read ends (its worker's thread with it)


async def test_quitting_keeps_the_choices_made_on_the_current_step(context, sandbox):
    from tests.helpers.wizard_projects import app_for, opened, project_at

    services = context.controller.list_migration_services()
    mi = next(
        t
        for t in context.controller.list_targets(TargetKind.SQL_MI)
        if t.name == "sqlmi-contoso-prod"
    )
    account = next(a for a in context.controller.list_storage_accounts() if "mig" in a.name)
    project_at(
        6,
        sandbox,
        {"service": services[0].id, "targets": {"sqlmi-contoso-prod": mi}, "account": account.id},
        databases=[],
    )
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 6)
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        order = list(app.wizard.inventory)
        await pilot.press(*(["down"] * order.index("InventoryHub")), "space", "ctrl+q")
    saved = load_project("payroll")
    assert saved.step == 6 and saved.databases == ["InventoryHub"]
