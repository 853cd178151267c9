"""Requests DMS refuses, with the ARM error envelope naming the field, and Resource Manager
basics."""

from __future__ import annotations

import io
import json

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from tests.helpers.sandbox_support import (
    DMS_RG,
    MI,
    MI_NOT_READY,
    SERVER,
    SERVICE,
    TARGET_RG,
    VM,
    VM_LIGHTWEIGHT,
    Clients,
)
from tui.sandbox import Sandbox


def _put_mi(c, body, name="SalesDB", target=MI):
    return c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, target, name, body
    ).result()


@pytest.mark.parametrize("field", ["scope", "sourceDatabaseName", "migrationService"])
def test_missing_required_field_named(c, field):
    body = c.blob_body("SqlMi", MI, "SalesDB")
    del body["properties"][field]
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert err.value.status_code == 400
    assert err.value.error.target == f"properties.{field}"
    assert field in err.value.error.message


def test_missing_source_connection_for_share(c):
    body = {
        "properties": {
            "kind": "SqlMi",
            "scope": c.target_id("SqlMi", MI),
            "migrationService": c.service_id(),
            "sourceDatabaseName": "SalesDB",
            "backupConfiguration": {
                "sourceLocation": {
                    "fileShare": {
                        "path": "\\\\sqlprod01\\SQLBackups",
                        "username": "u",
                        "password": "p",
                    }
                },
                "targetLocation": {
                    "storageAccountResourceId": c.account().id,
                    "accountKey": c.account_key(),
                },
            },
        }
    }
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert (
        err.value.status_code == 400 and err.value.error.target == "properties.sourceSqlConnection"
    )


def test_kind_mismatch(c):
    body = c.blob_body("SqlMi", MI, "SalesDB")
    body["properties"]["kind"] = "SqlVm"
    with pytest.raises(HttpResponseError) as err:
        c.dms.database_migrations_sql_mi.begin_create_or_update(
            TARGET_RG,
            MI,
            "SalesDB",
            {
                "properties": {
                    **body["properties"],
                    "kind": "SqlMi",
                    "scope": c.target_id("SqlVm", VM),
                }
            },
        ).result()
    assert err.value.status_code == 400 and err.value.error.target == "properties.scope"
    # the SDK's model sets kind from the operation, so a mismatching kind is sent as raw JSON
    payload = io.BytesIO(
        json.dumps({"properties": {**body["properties"], "kind": "SqlDb"}}).encode()
    )
    with pytest.raises(HttpResponseError) as err:
        c.dms.database_migrations_sql_mi.begin_create_or_update(
            TARGET_RG, MI, "SalesDB", payload
        ).result()
    assert err.value.status_code == 400 and err.value.error.target == "properties.kind"


def test_unknown_target_and_service(c):
    with pytest.raises(ResourceNotFoundError) as err:
        _put_mi(c, c.blob_body("SqlMi", MI, "SalesDB"), target="sqlmi-nope")
    assert err.value.error.code == "ResourceNotFound"
    body = c.blob_body("SqlMi", MI, "SalesDB")
    body["properties"]["migrationService"] = c.service_id("dms-missing")
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert err.value.error.target == "properties.migrationService"


def test_existing_target_database_conflicts(c):
    with pytest.raises(ResourceExistsError) as err:
        _put_mi(c, c.blob_body("SqlMi", MI, "SalesDB"), name="ReportingArchive")
    assert err.value.status_code == 409 and err.value.error.code == "DatabaseAlreadyExists"
    _put_mi(c, c.blob_body("SqlMi", MI, "SalesDB"))
    with pytest.raises(ResourceExistsError):
        _put_mi(c, c.blob_body("SqlMi", MI, "SalesDB"))


def test_not_ready_targets_refused(c):
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, c.blob_body("SqlMi", MI_NOT_READY, "SalesDB"), target=MI_NOT_READY)
    assert err.value.status_code == 409
    with pytest.raises(HttpResponseError) as err:
        c.dms.database_migrations_sql_vm.begin_create_or_update(
            TARGET_RG, VM_LIGHTWEIGHT, "SalesDB", c.blob_body("SqlVm", VM_LIGHTWEIGHT, "SalesDB")
        ).result()
    assert err.value.status_code == 400 and "Full" in err.value.error.message


def test_sqldb_needs_existing_target_database(c):
    with pytest.raises(HttpResponseError) as err:
        c.dms.database_migrations_sql_db.begin_create_or_update(
            TARGET_RG, SERVER, "SSISDB", c.sqldb_body("SSISDB")
        ).result()
    assert err.value.status_code == 400 and err.value.error.target == "targetDbName"
    with pytest.raises(HttpResponseError) as err:
        c.dms.database_migrations_sql_db.begin_create_or_update(
            TARGET_RG, SERVER, "SalesDB", c.sqldb_body("SalesDB", ["[dbo].[NoSuchTable]"])
        ).result()
    assert err.value.error.target == "properties.tableList"


def test_wrong_account_key_and_missing_container(c):
    body = c.blob_body("SqlMi", MI, "SalesDB")
    body["properties"]["backupConfiguration"]["sourceLocation"]["azureBlob"]["accountKey"] = (
        "bm90IHRoZSBrZXk="
    )
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert err.value.error.target.endswith("azureBlob.accountKey")
    body = c.blob_body("SqlMi", MI, "SalesDB")
    body["properties"]["backupConfiguration"]["sourceLocation"]["azureBlob"][
        "blobContainerName"
    ] = "nothere"
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert err.value.error.target.endswith("blobContainerName")


def test_offline_blob_needs_last_backup_name(c):
    body = c.blob_body("SqlMi", MI, "SalesDB", online=False, last_backup="")
    with pytest.raises(HttpResponseError) as err:
        _put_mi(c, body)
    assert err.value.error.target == "properties.offlineConfiguration.lastBackupName"


def test_secrets_never_echoed(sb, c):
    m = _put_mi(c, c.blob_body("SqlMi", MI, "SalesDB"))
    assert m.properties.source_sql_connection.password is None
    assert m.properties.backup_configuration.source_location.azure_blob.account_key is None
    resp = [r for r in sb.requests if r.method == "PUT"][0]
    assert resp.body["properties"]["sourceSqlConnection"]["password"] == "Secret#1"


def test_cutover_rules(sb, c):
    ops = c.dms.database_migrations_sql_mi
    m = _put_mi(
        c, c.blob_body("SqlMi", MI, "SalesDB", online=False, last_backup="SalesDB_log_003.trn")
    )
    sb.advance(10)
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(
            TARGET_RG, MI, "SalesDB", {"migrationOperationId": m.properties.migration_operation_id}
        ).result()
    assert err.value.error.code == "MigrationNotReadyForCutoverError"


def test_dms_api_version_enforced_and_unknown_routes(sb, c):
    from azure.core.rest import HttpRequest
    from azure.mgmt.datamigration import DataMigrationManagementClient

    old = DataMigrationManagementClient(
        sb.credential, sb.subscription_id, transport=sb.transport, api_version="2018-07-15-preview"
    )
    with pytest.raises(HttpResponseError) as err:
        old.sql_migration_services.get(DMS_RG, SERVICE)
    assert err.value.error.code == "NoRegisteredProviderFound"
    resp = c.resources._client.send_request(
        HttpRequest(
            "GET",
            f"https://management.azure.com/subscriptions/{sb.subscription_id}/resourceGroups/{DMS_RG}/providers/Microsoft.DataMigration/"
            "widgets/x?api-version=2025-06-30",
        )
    )
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "InvalidResourceType"
    resp = c.resources._client.send_request(
        HttpRequest(
            "GET", f"https://management.azure.com/subscriptions/{sb.subscription_id}/resourcegroups"
        )
    )
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "MissingApiVersionParameter"


def test_resource_manager_basics(sb, c):
    subs = list(c.subs.subscriptions.list())
    assert sb.subscription_id in [s.subscription_id for s in subs] and 1 <= len(subs) <= 2
    assert c.resources.resource_groups.check_existence(DMS_RG) is True
    assert c.resources.resource_groups.check_existence("rg-nope") is False
    with pytest.raises(ResourceNotFoundError):
        c.resources.resource_groups.get("rg-nope")
    p = c.resources.providers.get("Microsoft.DataMigration")
    assert p.registration_state == "NotRegistered"
    assert c.resources.providers.get("Microsoft.Sql").registration_state == "Registered"
    assert (
        c.resources.providers.register("Microsoft.DataMigration").registration_state
        == "Registering"
    )
    sb.advance(10)
    assert c.resources.providers.get("Microsoft.DataMigration").registration_state == "Registering"
    sb.advance(25)
    assert c.resources.providers.get("Microsoft.DataMigration").registration_state == "Registered"


def test_targets_and_storage_discoverable(sb, c):
    mis = {m.name: m for m in c.sql.managed_instances.list()}
    assert mis[MI].state == "Ready" and mis[MI_NOT_READY].state != "Ready"
    assert mis[MI].fully_qualified_domain_name.endswith(".database.windows.net")
    assert [m.name for m in c.sql.managed_instances.list_by_resource_group(TARGET_RG)] == list(mis)
    assert [d.name for d in c.sql.managed_databases.list_by_instance(TARGET_RG, MI)] == [
        "ReportingArchive"
    ]
    assert "SalesDB" in [d.name for d in c.sql.databases.list_by_server(TARGET_RG, SERVER)]
    vms = {v.name: v.sql_management for v in c.vm.sql_virtual_machines.list()}
    assert vms == {VM: "Full", VM_LIGHTWEIGHT: "LightWeight"}
    acct = c.account()
    assert [x.name for x in c.storage.blob_containers.list(DMS_RG, acct.name)][0] == "sqlmigration"
    assert len(c.storage.storage_accounts.list_keys(DMS_RG, acct.name).keys_property) == 2


def test_seed_is_deterministic():
    a, b = Sandbox(seed=3), Sandbox(seed=3)
    assert a.subscription_id == b.subscription_id
    assert [d.name for d in a.sql_server(a.source_address).databases()] == [
        d.name for d in b.sql_server(b.source_address).databases()
    ]
    assert Sandbox(seed=4).subscription_id != a.subscription_id


def test_ids_and_keys_repeat_for_the_same_seed():
    def run():
        sb = Sandbox(seed=5)
        c = Clients(sb)
        m = c.dms.database_migrations_sql_mi.begin_create_or_update(
            TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
        ).result()
        keys = c.dms.sql_migration_services.list_auth_keys(DMS_RG, SERVICE)
        return m.properties.migration_operation_id, keys.auth_key1, keys.auth_key2

    assert run() == run()
