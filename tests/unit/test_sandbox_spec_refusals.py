"""The sandbox refuses what the 2025-06-30 spec says DMS refuses, with the spec's error codes
(sqlmigration.json, "Error Responses"), and routes percent-encoded paths as ARM does."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError

from tests.helpers.sandbox_support import DMS_RG, MI, SERVER, TARGET_RG, register_dms_provider


def _op(m):
    return {"migrationOperationId": m.properties.migration_operation_id}


def _mi(c, sb, name="SalesDB"):
    ops = c.dms.database_migrations_sql_mi
    return ops, ops.begin_create_or_update(
        TARGET_RG, MI, name, c.blob_body("SqlMi", MI, "SalesDB")
    ).result()


def _refused(call) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as err:
        call()
    return err.value


def test_delete_of_a_running_migration_is_refused(sb, c):
    ops, m = _mi(c, sb)
    err = _refused(lambda: ops.begin_delete(TARGET_RG, MI, "SalesDB").result())
    assert (
        err.status_code == 400 and err.error.code == "DeleteMigrationNotAllowedMigrationInProgress"
    )
    assert ops.get(TARGET_RG, MI, "SalesDB").properties.migration_status == "InProgress"


def test_delete_while_canceling_or_completing_is_refused(sb, c):
    ops, m = _mi(c, sb)
    ops.begin_cancel(TARGET_RG, MI, "SalesDB", _op(m)).result()
    assert ops.get(TARGET_RG, MI, "SalesDB").properties.migration_status == "Canceling"
    err = _refused(lambda: ops.begin_delete(TARGET_RG, MI, "SalesDB").result())
    assert err.error.code == "DeleteMigrationNotAllowedCancelInProgress"
    sb.advance(15)
    ops.begin_delete(TARGET_RG, MI, "SalesDB").result()  # Canceled: deleted

    ops, m = _mi(c, sb)
    sb.advance(300)
    ops.begin_cutover(TARGET_RG, MI, "SalesDB", _op(m)).result()
    err = _refused(lambda: ops.begin_delete(TARGET_RG, MI, "SalesDB").result())
    assert err.error.code == "DeleteMigrationNotAllowedCutoverInProgress"


def test_force_delete_cancels_then_deletes(sb, c):
    ops, _ = _mi(c, sb)
    ops.begin_delete(TARGET_RG, MI, "SalesDB", force=True).result()
    from azure.core.exceptions import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        ops.get(TARGET_RG, MI, "SalesDB")


def test_cutover_while_completing_and_after_succeeded_is_refused(sb, c):
    ops, m = _mi(c, sb)
    sb.advance(300)
    ops.begin_cutover(TARGET_RG, MI, "SalesDB", _op(m)).result()
    err = _refused(lambda: ops.begin_cutover(TARGET_RG, MI, "SalesDB", _op(m)).result())
    assert err.status_code == 409 and err.error.code == "OperationInProgress"
    sb.advance(60)
    assert ops.get(TARGET_RG, MI, "SalesDB").properties.migration_status == "Succeeded"
    err = _refused(lambda: ops.begin_cutover(TARGET_RG, MI, "SalesDB", _op(m)).result())
    assert err.status_code == 400 and err.error.code == "CutoverNotAllowedMigrationCompleteError"
    assert "already complete" in err.error.message


def test_cancel_of_a_finished_migration_is_refused(sb, c):
    ops, m = _mi(c, sb)
    ops.begin_cancel(TARGET_RG, MI, "SalesDB", _op(m)).result()
    sb.advance(15)
    err = _refused(lambda: ops.begin_cancel(TARGET_RG, MI, "SalesDB", _op(m)).result())
    assert err.status_code == 400 and err.error.code == "MigrationNotReadyForCancelError"


def test_retry_only_in_wait_for_retry(sb, c):
    ops = c.dms.database_migrations_sql_db
    m = ops.begin_create_or_update(TARGET_RG, SERVER, "SalesDB", c.sqldb_body("SalesDB")).result()
    sb.advance(30)
    err = _refused(lambda: ops.begin_retry(TARGET_RG, SERVER, "SalesDB", _op(m)).result())
    assert err.status_code == 400 and err.error.code == "MigrationRetryNotAllowed"
    assert "must be in state WaitForRetry" in err.error.message
    assert "Current state: 'MonitorMigration'" in err.error.message
    sb.fail_migration("SalesDB")
    failed = ops.get(TARGET_RG, SERVER, "SalesDB", expand="MigrationStatusDetails")
    assert failed.properties.migration_status == "Failed"
    assert failed.properties.migration_status_details.migration_state == "WaitForRetry"
    ops.begin_retry(TARGET_RG, SERVER, "SalesDB", _op(m)).result()
    assert ops.get(TARGET_RG, SERVER, "SalesDB").properties.migration_status == "InProgress"


def test_percent_encoded_names_are_decoded(sb, c):
    ops = c.dms.database_migrations_sql_mi
    made = ops.begin_create_or_update(
        TARGET_RG, MI, "Sales Archive", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    assert made.name == "Sales Archive"
    put = next(r for r in sb.requests if r.method == "PUT")
    assert "Sales%20Archive" in put.url and put.path.endswith("/databaseMigrations/Sales Archive")
    assert ops.get(TARGET_RG, MI, "Sales Archive").properties.source_database_name == "SalesDB"
    assert sb.migrations.by_target_database("Sales Archive") is not None


def test_a_dms_create_deleted_before_it_finishes_ends_its_poller(sb, c):
    """The create's status answers Canceled once the service is deleted: the SDK's poller
    (a thread) stops instead of polling for ever."""
    register_dms_provider(sb, c)
    ops = c.dms.sql_migration_services
    poller = ops.begin_create_or_update(
        DMS_RG, "dms-short", {"location": "westeurope"}, polling_interval=0
    )
    ops.begin_delete(DMS_RG, "dms-short", polling_interval=0).result()
    with pytest.raises(HttpResponseError):
        poller.result(timeout=30)
    assert poller.done() and poller.status().lower() == "canceled"
