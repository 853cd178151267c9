"""A long-running operation whose resource is deleted before it finishes ends as ARM ends it —
Canceled, with OperationCanceled — so the SDK's poller on it stops instead of polling for
ever (a thread that never ended, and slowed every later test while it polled). Migration
operations finish when first polled; a DMS instance takes a minute to create."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError

from tests.helpers.sandbox_support import DMS_RG, register_dms_provider


def ended(poller) -> HttpResponseError:
    """The error ``poller`` ended with (waited for with a generous bound: one still polling
    by then fails the test)."""
    with pytest.raises(HttpResponseError) as failed:
        poller.result(timeout=60)
    assert poller.done()
    return failed.value


def test_a_dms_instance_deleted_while_being_created_ends_its_operation(sb, c):
    ops = c.dms.sql_migration_services
    register_dms_provider(sb, c)
    poller = ops.begin_create_or_update(DMS_RG, "dms-short-lived", {"location": "westeurope"})
    assert not poller.done()
    ops.begin_delete(DMS_RG, "dms-short-lived").result()
    error = ended(poller)
    assert "deleted before the operation finished" in str(error)
