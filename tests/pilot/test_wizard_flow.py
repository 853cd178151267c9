"""The whole wizard, by key presses only, against the sandbox: start screen → migrations."""

from __future__ import annotations

from textual.widgets import Input

from tests.helpers.wizard_pilot import (
    create_service,
    databases,
    error_text,
    mi_databases,
    name_project,
    press_until,
    scope_and_provider,
    source,
    step_is,
    summary_and_start,
    target,
    text_of,
    through_source,
    until_service_ready,
    wait_for,
)
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.projects import load_project


def make_app(context) -> DmsTuiApp:
    return DmsTuiApp(context, clock=lambda: 1000.0, poll_interval=0.2)


def created(context, project_name: str) -> list:
    project = load_project(project_name)
    assert project.step == 9
    return [context.controller.get_migration(mid) for mid in project.migration_ids]


async def test_managed_instance_online(context, sandbox):
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await through_source(pilot, sandbox, "payroll-mi")
        await mi_databases(pilot, ["SalesDB", "InventoryHub"])
        # settings: online and blob are the defaults; the account in the DMS instance's
        # resource group is preselected; pick the container by typing its name
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        await pilot.press("tab", "tab", "tab", "enter", *"sqlm", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#container").value == "sqlmigration")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 8))
        assert "SalesDB → sqlmi-contoso-prod/SalesDB · online" in text_of(
            app, "#summary-migrations"
        )
        await summary_and_start(pilot)
    migrations = created(context, "payroll-mi")
    assert sorted(m.source_database for m in migrations) == ["InventoryHub", "SalesDB"]
    assert {m.kind for m in migrations} == {TargetKind.SQL_MI}
    assert all(m.online for m in migrations)


async def test_managed_instance_offline_with_a_new_dms_instance(context, sandbox):
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await create_service(pilot, "dms-offline-01")
        await pilot.press("ctrl+n")  # not ready yet: refused, with the reason
        await wait_for(pilot, lambda: "DMS instance" in error_text(app))
        assert step_is(app, 2)
        await until_service_ready(pilot, sandbox)
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 3))
        await name_project(pilot, "sales-offline")
        await source(pilot, "sqlprod01")
        await mi_databases(pilot, ["SalesDB"])
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        await pilot.press("down", "enter")  # Mode: Offline
        await pilot.press("tab", "tab", "tab", "enter", *"sqlm", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#container").value == "sqlmigration")
        # the last backup file is filled in from the source's backup history
        last = app.screen.query_one("#last-0", Input)
        await wait_for(
            pilot,
            lambda: last.value.endswith((".trn", ".bak")),
            what="last backup file from history",
        )
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 8))
        assert "offline" in text_of(app, "#summary-migrations")
        await summary_and_start(pilot)
    [migration] = created(context, "sales-offline")
    assert migration.online is False
    assert migration.migration_service_id.lower().endswith("/dms-offline-01")


async def test_sql_database(context, sandbox):
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await through_source(pilot, sandbox, "sales-sqldb")
        await target(pilot, "Azure SQL D", "sql-contoso-prod")
        await pilot.press("tab", *"sqladmin", "tab", *"Target-pw-1")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 6))
        await databases(pilot, ["SalesDB"])
        await wait_for(pilot, lambda: app.screen.table_choice.get("SalesDB"), what="tables")
        assert "offline only" in text_of(app, ".lead")
        total = len(app.screen.table_choice["SalesDB"])
        # filter the tables, leave one out, clear the filter: the rest stay chosen
        await pilot.press("tab", *"Customer")
        tables = app.screen.query_one("#tables-0")
        await wait_for(pilot, lambda: 0 < tables.option_count < total, what="filtered tables")
        await pilot.press("tab", "space", "shift+tab", "ctrl+u")
        await wait_for(pilot, lambda: tables.option_count == total, what="filter cleared")
        assert f"{total - 1} of {total} tables selected" in text_of(app, "#tcount-0")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 8))
        await summary_and_start(pilot)
    [migration] = created(context, "sales-sqldb")
    assert migration.kind == TargetKind.SQL_DB
    tables = load_project("sales-sqldb").settings.tables["SalesDB"]
    assert len(tables) == total - 1 and "Sales.Customer" not in tables


async def test_managed_instance_from_an_smb_share_needs_an_online_runtime(context, sandbox):
    """A new DMS instance has no runtime node: step 7 refuses the share, says why and how to
    fix it; once a node registers (with a key from step 2) the share is accepted and the
    migration is created with ``fileShare``; the share password never reaches the disk."""
    from tui.projects import projects_dir

    password = "Sh4re-pw!x"
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await create_service(pilot, "dms-share-01")
        await until_service_ready(pilot, sandbox)
        assert app.wizard.service.integration_runtime_state == "NeedRegistration"
        await pilot.press("ctrl+g")  # the keys a runtime registers with
        await wait_for(pilot, lambda: app.screen.keys is not None, what="auth keys")
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 3))
        await name_project(pilot, "payroll-share")
        await source(pilot, "sqlprod01")
        await mi_databases(pilot, ["SalesDB"])
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        assert "Integration runtime: NeedRegistration" in text_of(app, "#settings-status")
        await pilot.press("tab", "down", "enter")  # Backups are in: an SMB share
        await wait_for(pilot, lambda: app.screen.query_one("#share-fields").display)
        await pilot.press("tab", "tab")
        assert app.focused.id == "share-path"
        await pilot.press(
            *"\\\\sqlprod01\\SQLBackups", "tab", *"CONTOSO\\svc-backup", "tab", *password
        )
        assert app.focused.id == "share-password" and app.focused.password
        assert password not in app.export_screenshot()  # masked
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "NeedRegistration, not Online" in error_text(app))
        message = error_text(app)
        assert "self-hosted integration runtime" in message and "auth key from step 2" in message
        assert step_is(app, 7)
        sandbox.advance(60)  # the runtime on the jump box registered with one of the keys
        await wait_for(
            pilot,
            lambda: "Integration runtime: Online" in text_of(app, "#settings-status"),
            what="runtime online",
        )
        assert error_text(app) == ""
        await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 8))
        assert "backups: share \\\\sqlprod01\\SQLBackups" in text_of(app, "#summary-migrations")
        await summary_and_start(pilot)
    [migration] = created(context, "payroll-share")
    assert migration.source_database == "SalesDB" and migration.online
    [put] = [r for r in sandbox.requests if r.method == "PUT" and "/databaseMigrations/" in r.path]
    share = put.body["properties"]["backupConfiguration"]["sourceLocation"]["fileShare"]
    assert share == {
        "path": "\\\\sqlprod01\\SQLBackups",
        "username": "CONTOSO\\svc-backup",
        "password": password,
    }
    saved = "".join(p.read_text() for p in projects_dir().iterdir())
    assert password not in saved and "share_password" not in saved
    assert "\\\\sqlprod01\\SQLBackups" in load_project("payroll-share").settings.share_path
