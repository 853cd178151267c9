"""Each step refuses bad input with a message naming the field and the fix; Next stays put.

The tests open a saved project at the step under test (which also exercises resume)."""

from __future__ import annotations

from textual.widgets import Input

from tests.helpers.wizard_pilot import (
    error_text,
    on_screen,
    text_of,
    wait_for,
)
from tests.helpers.wizard_projects import app_for, opened_at, refused


async def test_scope_needs_a_resource_group(context):
    app = app_for(context, project=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "StartScreen")
        await pilot.press("n")
        await on_screen(pilot, "ScopeScreen")
        await wait_for(pilot, lambda: app.screen.groups, what="groups")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Resource group: pick" in error_text(app))
        assert type(app.screen).__name__ == "ScopeScreen"


async def test_provider_not_registered_blocks_next(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 1) as (app, pilot):
        await wait_for(pilot, lambda: "NotRegistered" in text_of(app, "#provider-state"))
        await refused(pilot, 1, "Resource provider:", "press r to register")


async def test_service_name_rules_and_none_chosen(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 2, service_id="") as (app, pilot):
        await wait_for(pilot, lambda: app.screen.services, what="services")
        await pilot.press("tab", *"9 lives", "ctrl+o")
        await wait_for(pilot, lambda: "DMS name: start with a letter" in error_text(app))
        await refused(pilot, 2, "DMS instance: pick one", "Ctrl+O")


async def test_project_name_rules(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 3, name="payroll") as (app, pilot):
        app.screen.query_one("#project-name", Input).value = ""
        await pilot.press(*"pay roll!")
        await refused(pilot, 3, "Project name: use letters, digits")


async def test_source_needs_a_server_and_a_tested_connection(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 4, source={}) as (app, pilot):
        await refused(pilot, 4, "Server: type the SQL Server host name")
        await pilot.press(*sandbox.source_address, "tab", "tab", "tab", *"sa", "tab", *"pw")
        await refused(pilot, 4, "Source: press Ctrl+T to test the connection")


async def test_target_not_ready_is_refused_with_the_reason(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 5, target_id="", target_kind="") as (app, pilot):
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.screen.targets, what="targets")
        assert app.screen.targets[0].name == "sqlmi-contoso-dev"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                "Target sqlmi-contoso-dev: The managed instance is "
                "Creating, not Ready" in error_text(app)
            ),
        )
        assert "Can't be used" in text_of(app, "#target-chosen")
        await refused(pilot, 5, "Target: pick an Azure SQL Managed Instance")


async def test_sql_vm_without_full_iaas_extension_is_refused(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 5, target_id="", target_kind="") as (app, pilot):
        await pilot.press("enter", *"SQL Server", "enter", "tab")
        await wait_for(pilot, lambda: any(t.name == "sqlvm-legacy-02" for t in app.screen.targets))
        index = [t.name for t in app.screen.targets].index("sqlvm-legacy-02")
        await pilot.press(*(["down"] * index), "enter")
        await wait_for(pilot, lambda: "full mode" in error_text(app))
        await refused(pilot, 5, "Target: pick a SQL Server on Azure VM")


async def test_databases_blockers_and_ssisdb_note(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        names = list(app.wizard.inventory)
        assert "master" not in names and "msdb" not in names
        await refused(pilot, 6, "Databases: select at least one")
        await pilot.press(*(["down"] * names.index("SSISDB")), "space")
        await wait_for(pilot, lambda: "Data Factory" in text_of(app, "#findings"))
        await refused(pilot, 6, "Databases: SSISDB can't be migrated")


async def test_databases_state_and_model_keep_their_words_whole_at_80_columns(
    context, sandbox, ids
):
    sandbox.take_log_backup("Marketing", tail=True)  # WITH NORECOVERY: RESTORING
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        options = app.screen.query_one("#databases")
        labels = {
            str(options.get_option_at_index(i).value): str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        }
        assert " RESTORING " in labels["Marketing"], labels["Marketing"]
        assert " ONLINE " in labels["SalesDB"] and " FULL " in labels["SalesDB"]
        head = text_of(app, ".table-head")
        assert "State" in head and "Model" in head
        assert all(len(text) <= 64 + len(" BLOCKED") for text in labels.values())


async def test_settings_refuses_a_target_name_that_exists(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 7) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        name = app.screen.query_one("#name-0", Input)
        name.value = ""
        name.focus()
        await pilot.press(*"ReportingArchive")
        await refused(
            pilot, 7, "Target name ReportingArchive: a database with that name already exists"
        )


async def test_settings_offline_needs_the_last_backup_file(context, sandbox, ids):
    settings = {
        "mode": "offline",
        "backup": "blob",
        "storage_account_id": ids["account"],
        "container": "sqlmigration",
        "last_backup": {"SalesDB": ""},
    }
    async with opened_at(context, sandbox, ids, 7, settings=settings) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        app.screen.query_one("#last-0", Input).value = ""
        await refused(pilot, 7, "Last backup file for SalesDB")


async def test_settings_share_needs_a_valid_path(context, sandbox, ids):
    settings = {
        "mode": "online",
        "backup": "share",
        "storage_account_id": ids["account"],
        "share_path": "fs01/backups",
    }
    async with opened_at(context, sandbox, ids, 7, settings=settings) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        await refused(pilot, 7, "Share: write it as \\\\server\\share\\folder")


async def test_summary_rechecks_before_start(context, sandbox, ids):
    settings = {
        "mode": "online",
        "backup": "blob",
        "storage_account_id": ids["account"],
        "container": "sqlmigration",
        "blob_auth": "AccountKey",
        "target_names": {"SalesDB": "ReportingArchive"},
    }
    async with opened_at(context, sandbox, ids, 8, settings=settings) as (app, pilot):
        await wait_for(pilot, lambda: "Fix before starting" in text_of(app, "#summary-checks"))
        await refused(pilot, 8, "Target name ReportingArchive")
        assert type(app.screen).__name__ == "SummaryStep"  # no confirmation was offered
    assert all(
        m.target_database != "ReportingArchive"
        for m in context.controller.list_service_migrations(ids["service"])
    )
