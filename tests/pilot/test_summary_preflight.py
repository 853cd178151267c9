"""Step 8 runs the backup-folder preflight on every selected database: a blocker refuses
Start with the finding on screen, warnings are shown and Start goes on, a good folder
passes. The folders are listed by the real Blob client against the sandbox."""

from __future__ import annotations

import pytest

from tests.helpers.wizard_pilot import error_text, on_screen, text_of, wait_for
from tests.helpers.wizard_projects import opened_at


def plan(database: str, *, container: str = "sqlmigration", **settings) -> dict:
    return {
        "databases": [database],
        "settings": {
            "mode": "online",
            "backup": "blob",
            "container": container,
            "blob_auth": "AccountKey",
            "target_names": {database: database},
            **settings,
        },
    }


def with_account(changes: dict, ids) -> dict:
    changes["settings"]["storage_account_id"] = ids["account"]
    return changes


async def checks_done(pilot) -> None:
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            app.screen.checked is not None and "Checking" not in text_of(app, "#summary-checks")
        ),
        what="summary checks",
    )


def creates(sandbox) -> list:
    return [r for r in sandbox.requests if r.method == "PUT" and "/databaseMigrations/" in r.path]


@pytest.mark.parametrize(
    ("database", "container", "rule", "words"),
    [
        ("CrmLegacy", "sqlmigration", "folder-nested", "holds folders (FULL/, LOG/)"),
        ("Ledger", "sqlmigration", "folder-other-database", "LedgerArchive_full.bak"),
        ("LedgerArchive", "sqlmigration", "folder-empty", "is empty"),
        ("Payments", "sqlmigration", "folder-appended", "Payments_log.trn (3 backups)"),
        ("Warehouse", "sqlmigration", "folder-chain", "Warehouse_maint_1.trn"),
        ("SalesDB", "sqlbackups", "folder-name-backup", 'container name "sqlbackups"'),
    ],
)
async def test_a_blocker_refuses_start_and_shows_the_finding(
    context, sandbox, ids, database, container, rule, words
):
    changes = with_account(plan(database, container=container), ids)
    async with opened_at(context, sandbox, ids, 8, **changes) as (app, pilot):
        await checks_done(pilot)
        assert "Backup folders: 1 blocker(s)" in text_of(app, "#summary-checks")
        shown = text_of(app, "#summary-preflight")
        assert f"[{rule}]" in shown and words in shown and "Fix:" in shown
        # the container's name is also refused by step 7's own check, which is said first
        refusal = words if container == "sqlmigration" else 'with the word "backup"'
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: refusal in error_text(app), what="refusal")
        assert type(app.screen).__name__ == "SummaryStep"  # no confirmation was asked
    assert creates(sandbox) == []
    gets = [r for r in sandbox.requests if ".blob.core.windows.net/" in r.url]
    assert gets and all(r.query["prefix"] == f"{database}/" for r in gets)
    assert all(r.url.split("?")[0].endswith(f"/{container}") for r in gets)


async def test_a_good_folder_passes_and_start_asks_to_confirm(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 8, **with_account(plan("SalesDB"), ids)) as (
        app,
        pilot,
    ):
        await checks_done(pilot)
        assert "All checks passed ✓ — press Ctrl+N" in text_of(app, "#summary-checks")
        assert "SalesDB: 5 file(s) in" in text_of(app, "#summary-preflight")
        assert "chain complete ✓" in text_of(app, "#summary-preflight")
        key = sandbox.world.migration_account.keys[0]
        assert key not in app.export_screenshot()  # fetched to list the folder, never shown
        await pilot.press("ctrl+n")
        await on_screen(pilot, "ConfirmModal")
        await pilot.press("n")
        await on_screen(pilot, "SummaryStep")


async def test_warnings_are_shown_and_start_goes_on(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 8, **with_account(plan("Intranet"), ids)) as (
        app,
        pilot,
    ):
        await checks_done(pilot)
        assert "All checks passed ✓ (1 warning(s)" in text_of(app, "#summary-checks")
        assert "[folder-stray-file]" in text_of(app, "#summary-preflight")
        await pilot.press("ctrl+n")
        await on_screen(pilot, "ConfirmModal")


async def test_offline_last_backup_that_is_not_last_refuses_start(context, sandbox, ids):
    changes = with_account(
        plan("SalesDB", mode="offline", last_backup={"SalesDB": "SalesDB_log_002.trn"}), ids
    )
    async with opened_at(context, sandbox, ids, 8, **changes) as (app, pilot):
        await checks_done(pilot)
        assert "[folder-last-backup]" in text_of(app, "#summary-preflight")
        await pilot.press("ctrl+n")
        await wait_for(
            pilot, lambda: "SalesDB_log_003.trn" in error_text(app), what="the last file named"
        )
    assert creates(sandbox) == []


async def test_a_folder_the_identity_may_not_read_is_a_warning_with_its_code(context, sandbox, ids):
    account = sandbox.world.migration_account
    account.allow_shared_key_access = False
    account.signed_in_can_read = False
    async with opened_at(context, sandbox, ids, 8, **with_account(plan("SalesDB"), ids)) as (
        app,
        pilot,
    ):
        await checks_done(pilot)
        shown = text_of(app, "#summary-preflight")
        assert "[AuthorizationPermissionMismatch]" in shown and "Storage Blob Data Reader" in shown
        assert "All checks passed ✓ (1 warning(s)" in text_of(app, "#summary-checks")


async def test_check_again_after_the_folder_is_fixed(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 8, **with_account(plan("Warehouse"), ids)) as (
        app,
        pilot,
    ):
        await checks_done(pilot)
        assert "[folder-chain]" in text_of(app, "#summary-preflight")
        sandbox.repair_backup_chain("Warehouse")  # the missing log copied into the folder
        await pilot.press("ctrl+r")
        await checks_done(pilot)
        assert "All checks passed ✓ — press Ctrl+N" in text_of(app, "#summary-checks")
        assert "[folder-" not in text_of(app, "#summary-preflight")
        await pilot.press("ctrl+n")
        await on_screen(pilot, "ConfirmModal")
