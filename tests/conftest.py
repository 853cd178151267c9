"""Shared fixtures: a sandbox on a manual clock, a Controller on it, an isolated home, and
the guard that fails a test which leaves a thread running.

Unit tests (no App) live in tests/unit, tests that drive the app with the Pilot in
tests/pilot, shared helpers in tests/helpers (imported as ``from tests.helpers.x import``).
"""

from __future__ import annotations

import os
import threading

import pytest
import textual._wait

from tests.helpers.threads import JOIN_SECONDS, describe, left_running

# the guard's own test runs a test file in a fresh pytest (tests/unit/test_thread_guard.py)
pytest_plugins = ["pytester"]

# After each key and each ``pilot.pause()``, Textual's Pilot waits for a window of 20 ms in
# which the process used under 1 ms of CPU. That suits an app watched by a person, but here
# it was over half of the suite's wall time: the tests wait on state (``wait_for``,
# ``settled``, the sandbox's manual clock), never on time. A 2 ms window keeps the same rule
# (a busy worker thread still holds the wait: under 5% CPU counts as idle).
textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


@pytest.hookimpl(optionalhook=True)  # a nested pytest (the guard's own test) runs without xdist
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker more than the cores. A Pilot test waits now and then (a worker
    thread answering, Textual's idle check), and a spare worker uses those gaps; the work
    itself is shared out as it goes (``--dist worksteal``), so no worker idles at the end."""
    return (os.cpu_count() or 1) + 1


def pytest_addoption(parser):
    parser.addoption(
        "--thread-join",
        type=float,
        default=JOIN_SECONDS,
        help="seconds the threads a test started get to end after it (default %(default)s)",
    )


@pytest.fixture(autouse=True)
def no_thread_left(request):
    """Fails the test if a thread it started (a worker, a poller, the sandbox, a SQL
    deadline thread) is still alive after a bounded join: one left running slows every
    later key press (Textual waits for the process to go idle) and may act on a world
    that is gone."""
    before = threading.enumerate()
    yield
    left = left_running(before, request.config.getoption("--thread-join"))
    if left:
        pytest.fail(f"threads left running after {request.node.nodeid}: {describe(left)}")


@pytest.fixture(autouse=True)
def fresh_backup_names(monkeypatch):
    """Log backup file names are unique per process: every test starts with none handed out,
    so a name (and a snapshot that shows one) never depends on the tests run before it on
    the same worker."""
    monkeypatch.setattr("tui.log_backup._issued", set())


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
