"""Creating a DMS instance before Microsoft.DataMigration is registered: the user is told at
once."""

from __future__ import annotations

import time

import pytest

from tui.errors import AzureError


@pytest.fixture
def no_sleep(monkeypatch):
    """Any sleep (the SDK's auto-registration polls every 10 s) fails the test."""
    import azure.mgmt.core.policies._base as arm_base

    def refuse(seconds):
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr(arm_base.time, "sleep", refuse)
    monkeypatch.setattr(time, "sleep", refuse)


def test_create_service_before_registration_is_refused_with_the_fix(controller, sandbox, no_sleep):
    assert controller.provider_state().registration_state == "NotRegistered"
    t0 = time.monotonic()
    with pytest.raises(AzureError) as err:
        controller.create_migration_service("rg-dms-migration", "dms-new", "westeurope")
    assert time.monotonic() - t0 < 2
    e = err.value
    assert e.code == "MissingSubscriptionRegistration" and e.status == 409
    assert "not registered" in e.message
    assert "step 1" in e.hint and "Microsoft.DataMigration" in e.hint
    # nothing registered the provider behind the user's back, and nothing was created
    assert controller.provider_state().registration_state == "NotRegistered"
    assert not [r for r in sandbox.requests if r.method == "POST" and r.path.endswith("/register")]
    assert "dms-new" not in [s.name for s in controller.list_migration_services()]


def test_create_service_after_registration_succeeds(controller, sandbox, no_sleep):
    controller.register_provider()
    sandbox.advance(31)
    assert controller.provider_state().registered
    svc = controller.create_migration_service(
        "rg-dms-migration", "dms-new", "westeurope", wait=False
    )
    assert svc.name == "dms-new"


def test_tenants_are_listed_with_their_names(controller):
    tenants = controller.list_tenants()
    assert [t.label for t in tenants] == [
        "Contoso (contoso.com)  e3e70682-c209-4cac-a29f-6fbed82c07cd"
    ]
