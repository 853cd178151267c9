"""Shared fixtures: a sandbox on a manual clock, a Controller on it, an isolated home."""

from __future__ import annotations

import threading
import time

import pytest

THREADS_END_WITHIN = 10.0  # seconds a thread may take to finish once its test is over


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    """Every thread a test started — the app's workers, the SDK's long-running-operation
    pollers, the sandbox's — has ended once the test is over (waited for, with a generous
    bound, never a fixed sleep). A poller left polling a resource that is gone used to slow
    every later test down."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREADS_END_WITHIN
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in left:
        t.join(max(0.0, deadline - time.monotonic()))
    alive = sorted(t.name for t in left if t.is_alive())
    if alive:
        pytest.fail(f"threads still running after the test: {', '.join(alive)}")


@pytest.fixture(autouse=True)
def dms_home(tmp_path, monkeypatch):
    """Every test writes projects under its own DMS_TUI_HOME, never the user's."""
    home = tmp_path / "dms-home"
    monkeypatch.setenv("DMS_TUI_HOME", str(home))
    return home


@pytest.fixture
def sandbox():
    from tui.sandbox import Sandbox

    return Sandbox(seed=0)


@pytest.fixture
def sb():
    """A sandbox of its own for the wire-level tests (the real SDK clients in ``c``)."""
    from tui.sandbox import Sandbox

    return Sandbox(seed=0)


@pytest.fixture
def c(sb):
    from tests.helpers.sandbox_support import Clients

    return Clients(sb)


@pytest.fixture
def controller(sandbox):
    from tui.controller import Controller

    return Controller(
        sandbox.credential,
        sandbox.subscription_id,
        transport=sandbox.transport,
        polling_interval=0,
        retry_backoff_factor=0.05,
        retry_backoff_max=0.2,
    )


@pytest.fixture
def context(sandbox):
    from tui.context import AppContext

    ctx = AppContext.for_sandbox(sandbox)
    ctx.controller._polling_interval = 0
    return ctx


@pytest.fixture
def ids(controller, sandbox):
    """The sandbox's DMS instance, targets by name and the backup storage account."""
    from tui.models import TargetKind

    services = controller.list_migration_services()
    targets = {t.name: t for kind in TargetKind for t in controller.list_targets(kind)}
    account = next(a for a in controller.list_storage_accounts() if "mig" in a.name)
    return {"service": services[0].id, "targets": targets, "account": account.id}
