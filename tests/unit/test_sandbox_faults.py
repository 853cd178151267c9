"""Injected transport faults, seen through the real SDK pipeline (retry, auth, error mapping)."""

from __future__ import annotations

import threading
import time

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.core.pipeline.policies import RetryPolicy

from tests.helpers.sandbox_support import DMS_RG, MI, SERVICE, TARGET_RG, Clients
from tui.sandbox import Fault, Sandbox


def _gets(sb, fragment):
    return [r for r in sb.requests if r.method == "GET" and fragment in r.path]


def test_throttle_is_retried_after_retry_after(sb, c):
    sb.inject(Fault.throttle(retry_after=1, times=2, match="/sqlMigrationServices"))
    svc = c.dms.sql_migration_services.get(DMS_RG, SERVICE)
    assert svc.name == SERVICE
    assert len(_gets(sb, f"/sqlMigrationServices/{SERVICE}")) == 3


def test_throttle_answer_shape(sb):
    c = Clients(sb, retry_policy=RetryPolicy(retry_total=0))
    sb.inject(Fault.throttle(retry_after=7))
    with pytest.raises(HttpResponseError) as err:
        c.dms.sql_migration_services.get(DMS_RG, SERVICE)
    assert err.value.status_code == 429
    assert err.value.error.code == "TooManyRequests"
    assert err.value.response.headers["Retry-After"] == "7"


def test_server_error_retried_then_forever(sb, c):
    sb.inject(Fault.server_error(status=503, times=1))
    assert c.dms.sql_migration_services.get(DMS_RG, SERVICE).name == SERVICE
    quick = Clients(sb, retry_policy=RetryPolicy(retry_total=2, retry_backoff_factor=0))
    sb.inject(Fault.server_error(status=500, times=None, match="/managedInstances"))
    with pytest.raises(HttpResponseError) as err:
        quick.sql.managed_instances.get(TARGET_RG, MI)
    assert err.value.status_code == 500 and err.value.error.code == "InternalServerError"
    assert len(_gets(sb, f"/managedInstances/{MI}")) == 3
    # other paths are unaffected
    assert quick.dms.sql_migration_services.get(DMS_RG, SERVICE).name == SERVICE


def test_drop_connection_retried_and_surfaced(sb, c):
    sb.inject(Fault.drop_connection(times=1))
    assert c.dms.sql_migration_services.get(DMS_RG, SERVICE).name == SERVICE
    none = Clients(sb, retry_policy=RetryPolicy(retry_total=0))
    sb.inject(Fault.drop_connection(times=1))
    with pytest.raises(ServiceRequestError):
        none.dms.sql_migration_services.get(DMS_RG, SERVICE)
    sb.inject(Fault.drop_connection(times=1, after_processing=True, match="/listAuthKeys"))
    with pytest.raises(ServiceResponseError):
        none.dms.sql_migration_services.list_auth_keys(DMS_RG, SERVICE)


def test_slow_answer_blocks_only_the_caller(sb, c):
    sb.inject(Fault.slow(0.5, match="/sqlMigrationServices"))
    done = threading.Event()

    def worker():
        c.dms.sql_migration_services.get(DMS_RG, SERVICE)
        done.set()

    t0 = time.monotonic()
    th = threading.Thread(target=worker)
    th.start()
    # meanwhile another caller gets its answer at once
    assert c.sql.managed_instances.get(TARGET_RG, MI).name == MI
    assert time.monotonic() - t0 < 0.4 and not done.is_set()
    th.join(5)
    assert done.is_set() and time.monotonic() - t0 >= 0.5


def test_expired_token(sb, c):
    sb.inject(Fault.expired_token(times=1))
    with pytest.raises(ClientAuthenticationError) as err:
        c.dms.sql_migration_services.get(DMS_RG, SERVICE)
    assert err.value.status_code == 401
    assert err.value.error.code == "ExpiredAuthenticationToken"
    assert c.dms.sql_migration_services.get(DMS_RG, SERVICE).name == SERVICE


def test_fault_matches_cutover_only_and_the_post_is_never_resent(sb, c):
    """A 503 on the cutover POST: the app's retry policy does not send it again (azure-core's
    default would, once per retry); the migration is untouched and other paths still answer."""
    ops = c.dms.database_migrations_sql_mi
    m = ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    sb.advance(300)
    sb.inject(Fault.server_error(status=503, times=None, match="/cutover"))
    with pytest.raises(HttpResponseError) as err:
        ops.begin_cutover(
            TARGET_RG, MI, "SalesDB", {"migrationOperationId": m.properties.migration_operation_id}
        ).result()
    assert err.value.status_code == 503
    posts = [r for r in sb.requests if r.method == "POST" and r.path.endswith("/cutover")]
    assert len(posts) == 1 and posts[0].body == {
        "migrationOperationId": m.properties.migration_operation_id
    }
    assert ops.get(TARGET_RG, MI, "SalesDB").properties.migration_status == "InProgress"


@pytest.mark.parametrize(
    "fault",
    [
        Fault.throttle(retry_after=1),
        Fault.server_error(500),
        Fault.drop_connection(),
        Fault.drop_connection(after_processing=True),
    ],
    ids=["429", "500", "drop_before", "drop_after"],
)
def test_changes_are_sent_once_reads_are_retried(sb, c, fault):
    sb.inject(Fault(**{**fault.__dict__, "match": "/listAuthKeys", "hits": 0}))
    with pytest.raises((HttpResponseError, ServiceRequestError, ServiceResponseError)):
        c.dms.sql_migration_services.list_auth_keys(DMS_RG, SERVICE)  # a POST
    assert sum(1 for r in sb.requests if r.path.endswith("/listAuthKeys")) == 1
    sb.inject(Fault(**{**fault.__dict__, "match": f"/sqlMigrationServices/{SERVICE}", "hits": 0}))
    assert c.dms.sql_migration_services.get(DMS_RG, SERVICE).name == SERVICE  # a GET, retried
    assert len(_gets(sb, f"/sqlMigrationServices/{SERVICE}")) == 2


def test_concurrent_callers_and_clock(sb, c):
    """Worker threads calling Azure while the clock moves: no errors, consistent answers."""
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "SalesDB", c.blob_body("SqlMi", MI, "SalesDB")
    ).result()
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                m = ops.get(TARGET_RG, MI, "SalesDB", expand="MigrationStatusDetails")
                d = m.properties.migration_status_details
                assert d.pending_log_backups_count >= 0
                c.sql.managed_instances.get(TARGET_RG, MI)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(20):
        sb.advance(15)
        sb.take_log_backup("SalesDB")
    sb.advance(120)
    stop.set()
    for t in threads:
        t.join(10)
    assert not errors
    d = ops.get(
        TARGET_RG, MI, "SalesDB", expand="MigrationStatusDetails"
    ).properties.migration_status_details
    assert d.pending_log_backups_count == 0 and d.last_restored_filename == "SalesDB_log_023.trn"


def test_creating_a_dms_instance_needs_the_provider_registered():
    """ARM answers 409 MissingSubscriptionRegistration while Microsoft.DataMigration is not
    Registered (also while Registering); reads of existing instances still work."""
    from tui.errors import AzureError

    sb = Sandbox(seed=0)
    c = Clients(sb)
    assert c.dms.sql_migration_services.get(DMS_RG, SERVICE).provisioning_state == "Succeeded"
    with pytest.raises(AzureError) as err:
        c.dms.sql_migration_services.begin_create_or_update(
            DMS_RG, "dms-two", {"location": "westeurope"}
        )
    assert err.value.code == "MissingSubscriptionRegistration" and err.value.status == 409
    c.resources.providers.register("Microsoft.DataMigration")
    sb.advance(10)
    with pytest.raises(AzureError):
        c.dms.sql_migration_services.begin_create_or_update(
            DMS_RG, "dms-two", {"location": "westeurope"}
        )
    sb.advance(25)
    poller = c.dms.sql_migration_services.begin_create_or_update(
        DMS_RG, "dms-two", {"location": "westeurope"}
    )
    sb.advance(61)
    assert poller.result().provisioning_state == "Succeeded"
    # the auto-registration policy never ran: one register request, the user's
    assert sum(1 for r in sb.requests if r.method == "POST" and r.path.endswith("/register")) == 1
