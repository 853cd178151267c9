"""Fixtures of the unit tests: the core and the sandbox without an App.

Here: a sandbox of its own (``sb``) and the real Azure SDK clients on its transport (``c``)
for the wire-level tests. The shared ones (``sandbox``, ``controller``, ``context``,
``ids``, the per-test DMS_TUI_HOME, the thread guard) are in tests/conftest.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def sb():
    """A sandbox of its own for the wire-level tests (the real SDK clients in ``c``)."""
    from tui.sandbox import Sandbox

    return Sandbox(seed=0)


@pytest.fixture
def c(sb):
    from tests.helpers.sandbox_support import Clients

    return Clients(sb)
