"""The preflight end to end in the sandbox: the Controller lists each folder with the real
``azure-storage-blob`` client (the key fetched through Azure, or the signed-in identity), the
simulated source gives the history, and every seeded layout gets its rule."""

from __future__ import annotations

import pytest

from tests.helpers.sandbox_migrations import start
from tui.errors import AzureError
from tui.models import Severity, TargetKind
from tui.preflight import check_folders, check_migration
from tui.sandbox import Fault

MI, VM = TargetKind.SQL_MI, TargetKind.SQL_VM

LAYOUTS = {  # database -> the rule its seeded folder breaks (None: a good folder)
    "SalesDB": None,
    "HRPayroll": None,
    "InventoryHub": None,
    "CrmLegacy": "folder-nested",
    "Ledger": "folder-other-database",
    "LedgerArchive": "folder-empty",
    "Payments": "folder-appended",
    "Warehouse": "folder-chain",
    "Marketing": "folder-checksum",
    "Intranet": "folder-stray-file",
}


def checks(sandbox, controller, ids, databases, *, container="sqlmigration", **kw):
    kw.setdefault("target", MI)
    kw.setdefault("online", True)
    inventory = sandbox.connect(sandbox.source_address).databases()
    return check_folders(
        controller,
        inventory,
        storage_account_id=ids["account"],
        container=container,
        databases=databases,
        **kw,
    )


def blob_gets(sandbox):
    return [r for r in sandbox.requests if ".blob.core.windows.net/" in r.url]


def test_every_seeded_layout_gets_its_rule(sandbox, controller, ids):
    results = checks(sandbox, controller, ids, list(LAYOUTS))
    for check in results:
        rules = {f.rule_id for f in check.findings}
        wanted = LAYOUTS[check.database]
        assert rules == ({wanted} if wanted else set()), (check.database, check.findings)
    blocked = {c.database for c in results if not c.clear}
    assert blocked == {"CrmLegacy", "Ledger", "LedgerArchive", "Payments", "Warehouse"}


def test_the_requests_go_through_the_blob_client_with_the_key_fetched_through_azure(
    sandbox, controller, ids
):
    checks(sandbox, controller, ids, ["SalesDB", "Ledger"])
    list_keys = [r for r in sandbox.requests if r.path.endswith("/listKeys")]
    assert len(list_keys) == 1  # one key for every folder of the account
    gets = blob_gets(sandbox)
    assert [g.query["prefix"] for g in gets] == ["SalesDB/", "Ledger/"]
    assert all(g.method == "GET" and g.auth == "SharedKey" for g in gets)
    assert all(g.query["restype"] == "container" and g.query["comp"] == "list" for g in gets)


def test_the_word_backup_in_the_container_blocks_a_managed_instance(sandbox, controller, ids):
    [check] = checks(sandbox, controller, ids, ["SalesDB"], container="sqlbackups")
    assert [f.rule_id for f in check.blockers] == ["folder-name-backup"]
    [on_vm] = checks(sandbox, controller, ids, ["SalesDB"], container="sqlbackups", target=VM)
    assert on_vm.clear and on_vm.findings == ()


def test_offline_last_backup_is_checked_against_the_folder(sandbox, controller, ids):
    [check] = checks(
        sandbox,
        controller,
        ids,
        ["SalesDB"],
        online=False,
        last_backups={"SalesDB": "SalesDB_log_002.trn"},
    )
    [finding] = check.blockers
    assert finding.rule_id == "folder-last-backup" and "SalesDB_log_003.trn" in finding.fix


def test_repairing_the_chain_in_the_sandbox_clears_the_finding(sandbox, controller, ids):
    [before] = checks(sandbox, controller, ids, ["Warehouse"])
    assert "Warehouse_maint_1.trn" in before.blockers[0].message
    sandbox.repair_backup_chain("Warehouse")
    [after] = checks(sandbox, controller, ids, ["Warehouse"])
    assert after.clear


def test_no_key_access_falls_back_to_the_signed_in_identity(sandbox, controller, ids):
    sandbox.world.migration_account.allow_shared_key_access = False
    [check] = checks(sandbox, controller, ids, ["SalesDB"])
    assert check.clear and check.listing.auth == "signed-in identity"
    assert [g.auth for g in blob_gets(sandbox)] == ["SharedKey", "Bearer"]


def test_list_keys_refused_falls_back_to_the_signed_in_identity(sandbox, controller, ids):
    sandbox.inject(Fault.server_error(status=500, times=None, match="/listKeys"))
    [check] = checks(sandbox, controller, ids, ["SalesDB"])
    assert check.clear
    assert [g.auth for g in blob_gets(sandbox)] == ["Bearer"]


def test_an_identity_without_a_data_role_is_said_with_the_code_kept(sandbox, controller, ids):
    account = sandbox.world.migration_account
    account.allow_shared_key_access = False
    account.signed_in_can_read = False
    [check] = checks(sandbox, controller, ids, ["SalesDB"])
    [finding] = check.findings
    assert finding.rule_id == "folder-unreadable" and finding.severity is Severity.WARNING
    assert "[AuthorizationPermissionMismatch]" in finding.message
    assert "Storage Blob Data Reader" in finding.fix
    assert "account key could not be used either" in finding.fix
    assert not check.checked


def test_a_missing_container_blocks(sandbox, controller, ids):
    [check] = checks(sandbox, controller, ids, ["SalesDB"], container="nosuchcontainer")
    [finding] = check.blockers
    assert finding.rule_id == "folder-unreadable" and "[ContainerNotFound]" in finding.message


def test_list_backup_folder_raises_plain_words(sandbox, controller, ids):
    with pytest.raises(AzureError) as err:
        controller.list_backup_folder(ids["account"], "nosuchcontainer", "SalesDB")
    assert err.value.code == "ContainerNotFound" and err.value.status == 404
    assert "does not exist" in err.value.message


def test_a_running_migration_is_checked_where_it_reads(context, sandbox, controller):
    detail = start(controller, sandbox, MI, "Warehouse")
    from tui.context import SourceParams

    check = check_migration(context, detail, SourceParams(server=sandbox.source_address))
    assert check.database == "Warehouse" and check.where.endswith("/sqlmigration/Warehouse/")
    assert [f.rule_id for f in check.blockers] == ["folder-chain"]
