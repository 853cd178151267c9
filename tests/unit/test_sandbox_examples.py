"""Every request example of the 2025-06-30 spec the product uses, sent through the real SDK.

Each example's parameters are mapped onto the seeded world (subscription, resource groups, names,
ids, keys, paths); the sandbox must accept the request and its answer must carry every field of
the example's answer for the same status code (key sets compared recursively, not values).
"""

from __future__ import annotations

import copy

import pytest

from tests.helpers.examples import load_example
from tests.helpers.sandbox_support import (
    DMS_RG,
    MI,
    SERVER,
    SERVICE,
    TARGET_RG,
    VM,
    Clients,
    register_dms_provider,
)
from tui.sandbox import Sandbox

SHARE = "\\\\sqlprod01\\SQLBackups"


FREE_FORM = {"tags", "userAssignedIdentities"}


def missing_keys(expected, actual, path: str = "") -> list[str]:
    """Paths present in ``expected`` but not in ``actual`` (lists: first items compared)."""
    out: list[str] = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [path or "<root>"]
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}".lstrip("."))
            elif k in FREE_FORM:  # user data (tags): its keys are values, not fields
                continue
            else:
                out += missing_keys(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], (dict, list)):
        if not isinstance(actual, list) or not actual:
            return [f"{path}[]"]
        for item in actual:
            out += missing_keys(expected[0], item, f"{path}[]")
    return out


class Capture:
    """Collects the raw answers the SDK pipeline received (``raw_response_hook``)."""

    def __init__(self):
        self.responses = []

    def __call__(self, pipeline_response):
        self.responses.append(pipeline_response.http_response)

    def first(self, method: str):
        for r in self.responses:
            if r.request.method == method and "operationStatuses" not in r.request.url:
                return r
        raise AssertionError(f"no {method} answer captured")


def check_answer(example: dict, resp) -> None:
    code = str(resp.status_code)
    answers = example["responses"]
    assert code in answers, f"answered {code}, the example allows {sorted(answers)}"
    expected = answers[code]
    if "body" in expected:
        body = resp.json()
        assert not missing_keys(expected["body"], body), missing_keys(expected["body"], body)
    for header in expected.get("headers", {}):
        assert header.lower() in {h.lower() for h in resp.headers}, f"header {header} missing"


def adapt(c: Clients, body: dict, *, kind: str, target: str, source_db: str = "SalesDB") -> dict:
    """An example's request body with its ids and names replaced by seeded ones."""
    body = copy.deepcopy(body)
    p = body["properties"]
    p["scope"] = c.target_id(kind, target)
    p["migrationService"] = c.service_id()
    p["sourceDatabaseName"] = source_db
    if "sourceSqlConnection" in p:
        p["sourceSqlConnection"]["dataSource"] = c.sb.source_address
    if "targetSqlConnection" in p:
        p["targetSqlConnection"]["dataSource"] = f"{SERVER}.database.windows.net"
    loc = (p.get("backupConfiguration") or {}).get("sourceLocation") or {}
    if "fileShare" in loc:
        loc["fileShare"]["path"] = SHARE
    if "azureBlob" in loc:
        blob = loc["azureBlob"]
        blob["storageAccountResourceId"] = c.account().id
        blob["blobContainerName"] = f"sqlmigration/{source_db}"
        if "identity" in blob:
            ids = blob["identity"]["userAssignedIdentities"]
            blob["identity"]["userAssignedIdentities"] = {
                k.replace("00000000-1111-2222-3333-444444444444", c.sub).replace(
                    "/testrg/", f"/{DMS_RG}/"
                ): v
                for k, v in ids.items()
            }
    tgt = (p.get("backupConfiguration") or {}).get("targetLocation")
    if tgt:
        tgt["storageAccountResourceId"] = c.account().id
        tgt["accountKey"] = c.account_key()
    if "tableList" in p:
        p["tableList"] = ["[Sales].[Customer]", "[Sales].[SalesOrderHeader]"]
    return body


def share_backups(sb: Sandbox, db: str = "SalesDB") -> None:
    """Put a full and a log backup of ``db`` on the network share the share examples point at."""
    sb.take_full_backup(db, f"{SHARE}\\{db}_full_share.bak")
    sb.take_log_backup(db)


# ---------------------------------------------------------------------- sqlMigrationServices


@pytest.mark.parametrize(
    "name", ["CreateOrUpdateSqlMigrationServiceMIN", "CreateOrUpdateSqlMigrationServiceMAX"]
)
def test_create_service(sb, c, name):
    ex = load_example(name)
    register_dms_provider(sb, c)
    cap = Capture()
    poller = c.dms.sql_migration_services.begin_create_or_update(
        DMS_RG, "testagent", ex["parameters"]["parameters"], raw_response_hook=cap
    )
    check_answer(ex, cap.first("PUT"))
    sb.advance(61)
    svc = poller.result()
    assert svc.provisioning_state == "Succeeded" and svc.location == "northeurope"


def test_update_service(sb, c):
    ex = load_example("UpdateSqlMigrationService")
    cap = Capture()
    svc = c.dms.sql_migration_services.begin_update(
        DMS_RG, SERVICE, ex["parameters"]["parameters"], raw_response_hook=cap
    ).result()
    check_answer(ex, cap.first("PATCH"))
    assert svc.tags == {"mytag": "myval"}


def test_get_service(sb, c):
    ex = load_example("GetSqlMigrationService")
    cap = Capture()
    c.dms.sql_migration_services.get(DMS_RG, SERVICE, raw_response_hook=cap)
    check_answer(ex, cap.first("GET"))


def test_list_services(sb, c):
    for name, pager in (
        (
            "ListByResourceGroupSqlMigrationService",
            lambda cap: c.dms.sql_migration_services.list_by_resource_group(
                DMS_RG, raw_response_hook=cap
            ),
        ),
        (
            "ListBySubscriptionSqlMigrationService",
            lambda cap: c.dms.sql_migration_services.list_by_subscription(raw_response_hook=cap),
        ),
    ):
        cap = Capture()
        items = list(pager(cap))
        assert [s.name for s in items] == [SERVICE]
        check_answer(load_example(name), cap.first("GET"))


def test_auth_keys_regenerate_monitoring_delete_node(sb, c):
    ops = c.dms.sql_migration_services
    cap = Capture()
    keys = ops.list_auth_keys(DMS_RG, SERVICE, raw_response_hook=cap)
    check_answer(load_example("ListAuthKeysSqlMigrationService"), cap.first("POST"))
    ex = load_example("RegenAuthKeysSqlMigrationService")
    cap = Capture()
    regen = ops.regenerate_auth_keys(
        DMS_RG, SERVICE, ex["parameters"]["parameters"], raw_response_hook=cap
    )
    check_answer(ex, cap.first("POST"))
    assert regen.auth_key1 and regen.auth_key1 != keys.auth_key1
    cap = Capture()
    data = ops.list_monitoring_data(DMS_RG, SERVICE, raw_response_hook=cap)
    check_answer(load_example("GetMonitorDataSqlMigrationService"), cap.first("POST"))
    node = data.nodes[0].node_name
    ex = load_example("DeleteIntegrationRuntimeNode")
    body = {"nodeName": node, "integrationRuntimeName": data.name}
    cap = Capture()
    deleted = ops.delete_node(DMS_RG, SERVICE, body, raw_response_hook=cap)
    check_answer(ex, cap.first("POST"))
    assert deleted.node_name == node
    assert ops.get(DMS_RG, SERVICE).integration_runtime_state == "NeedRegistration"


def test_delete_service(sb, c):
    ops = c.dms.sql_migration_services
    register_dms_provider(sb, c)
    ops.begin_create_or_update(DMS_RG, "service1", {"location": "westeurope"})
    sb.advance(61)
    cap = Capture()
    ops.begin_delete(DMS_RG, "service1", raw_response_hook=cap).result()
    check_answer(load_example("DeleteSqlMigrationService"), cap.first("DELETE"))
    assert [s.name for s in ops.list_by_resource_group(DMS_RG)] == [SERVICE]


# ---------------------------------------------------------------------- databaseMigrations

KINDS = {
    "SqlMi": ("database_migrations_sql_mi", MI),
    "SqlVm": ("database_migrations_sql_vm", VM),
    "SqlDb": ("database_migrations_sql_db", SERVER),
}
CREATE_EXAMPLES = [
    ("SqlMiCreateOrUpdateDatabaseMigrationMIN", "SqlMi"),
    ("SqlMiCreateOrUpdateDatabaseMigrationMAX", "SqlMi"),
    ("SqlMiCreateOrUpdateDatabaseMigrationBlobManagedIdentity", "SqlMi"),
    ("SqlVmCreateOrUpdateDatabaseMigrationMIN", "SqlVm"),
    ("SqlVmCreateOrUpdateDatabaseMigrationMAX", "SqlVm"),
    ("SqlDbCreateOrUpdateDatabaseMigrationMIN", "SqlDb"),
    ("SqlDbCreateOrUpdateDatabaseMigrationMAX", "SqlDb"),
]


def create(sb, c, example: str, kind: str, target_db: str | None = None):
    ex = load_example(example)
    attr, target = KINDS[kind]
    db = target_db or ("SalesDB" if kind == "SqlDb" else "db1")
    body = adapt(c, ex["parameters"]["parameters"], kind=kind, target=target)
    cap = Capture()
    m = (
        getattr(c.dms, attr)
        .begin_create_or_update(TARGET_RG, target, db, body, raw_response_hook=cap)
        .result()
    )
    return ex, cap, m


@pytest.mark.parametrize("example,kind", CREATE_EXAMPLES)
def test_create_migration(sb, c, example, kind):
    share_backups(sb)
    ex, cap, m = create(sb, c, example, kind)
    check_answer(ex, cap.first("PUT"))
    assert m.properties.migration_status == "InProgress"
    assert m.properties.provisioning_state == "Succeeded"
    assert m.properties.kind == kind


@pytest.mark.parametrize("kind", ["SqlMi", "SqlVm", "SqlDb"])
def test_get_and_get_expanded(sb, c, kind):
    share_backups(sb)
    create(sb, c, f"{kind}CreateOrUpdateDatabaseMigrationMAX", kind)
    sb.advance(60)
    attr, target = KINDS[kind]
    db = "SalesDB" if kind == "SqlDb" else "db1"
    ops = getattr(c.dms, attr)
    cap = Capture()
    plain = ops.get(TARGET_RG, target, db, raw_response_hook=cap)
    check_answer(load_example(f"{kind}GetDatabaseMigration"), cap.first("GET"))
    assert plain.properties.migration_status_details is None
    cap = Capture()
    full = ops.get(TARGET_RG, target, db, expand="MigrationStatusDetails", raw_response_hook=cap)
    check_answer(load_example(f"{kind}GetDatabaseMigrationExpanded"), cap.first("GET"))
    assert full.properties.migration_status_details is not None


@pytest.mark.parametrize("kind", ["SqlMi", "SqlVm"])
def test_cutover(sb, c, kind):
    attr, target = KINDS[kind]
    ops = getattr(c.dms, attr)
    m = ops.begin_create_or_update(
        TARGET_RG, target, "SalesDB", c.blob_body(kind, target, "SalesDB")
    ).result()
    sb.advance(300)
    ex = load_example(f"{kind}CutoverDatabaseMigration")
    cap = Capture()
    ops.begin_cutover(
        TARGET_RG,
        target,
        "SalesDB",
        {"migrationOperationId": m.properties.migration_operation_id},
        raw_response_hook=cap,
    ).result()
    check_answer(ex, cap.first("POST"))
    sb.advance(60)
    assert ops.get(TARGET_RG, target, "SalesDB").properties.migration_status == "Succeeded"


@pytest.mark.parametrize("kind", ["SqlMi", "SqlVm", "SqlDb"])
def test_cancel(sb, c, kind):
    share_backups(sb)
    _, _, m = create(sb, c, f"{kind}CreateOrUpdateDatabaseMigrationMIN", kind)
    attr, target = KINDS[kind]
    ops = getattr(c.dms, attr)
    cap = Capture()
    ops.begin_cancel(
        TARGET_RG,
        target,
        m.name,
        {"migrationOperationId": m.properties.migration_operation_id},
        raw_response_hook=cap,
    ).result()
    check_answer(load_example(f"{kind}CancelDatabaseMigration"), cap.first("POST"))
    assert ops.get(TARGET_RG, target, m.name).properties.migration_status == "Canceling"
    sb.advance(15)
    assert ops.get(TARGET_RG, target, m.name).properties.migration_status == "Canceled"


@pytest.mark.parametrize("kind", ["SqlMi", "SqlVm", "SqlDb"])
def test_delete(sb, c, kind):
    share_backups(sb)
    _, _, m = create(sb, c, f"{kind}CreateOrUpdateDatabaseMigrationMIN", kind)
    attr, target = KINDS[kind]
    ops = getattr(c.dms, attr)
    cap = Capture()
    # a running migration is deleted only with force (DMS cancels it first)
    ops.begin_delete(TARGET_RG, target, m.name, force=True, raw_response_hook=cap).result()
    check_answer(load_example(f"{kind}DeleteDatabaseMigration"), cap.first("DELETE"))
    from azure.core.exceptions import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        ops.get(TARGET_RG, target, m.name)


def test_retry_sqldb(sb, c):
    _, _, m = create(sb, c, "SqlDbCreateOrUpdateDatabaseMigrationMIN", "SqlDb")
    sb.advance(40)
    sb.fail_migration("SalesDB")
    ops = c.dms.database_migrations_sql_db
    failed = ops.get(TARGET_RG, SERVER, "SalesDB")
    assert failed.properties.migration_status == "Failed"
    ex = load_example("SqlDbRetryDatabaseMigration")
    cap = Capture()
    retried = ops.begin_retry(
        TARGET_RG,
        SERVER,
        "SalesDB",
        {"migrationOperationId": failed.properties.migration_operation_id},
        raw_response_hook=cap,
    ).result()
    check_answer(ex, cap.first("POST"))
    assert retried.properties.migration_status == "InProgress"
    sb.advance(10_000)
    assert ops.get(TARGET_RG, SERVER, "SalesDB").properties.migration_status == "Succeeded"


def test_list_migrations(sb, c):
    c.dms.database_migrations_sql_mi.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    cap = Capture()
    items = list(
        c.dms.sql_migration_services.list_migrations(DMS_RG, SERVICE, raw_response_hook=cap)
    )
    assert [i.name for i in items] == ["SalesDB"]
    check_answer(load_example("ListMigrationsBySqlMigrationService"), cap.first("GET"))
