"""Fixtures of the tests that drive the app with Textual's Pilot (``App.run_test()``) and
snapshot its screens (pytest-textual-snapshot keeps the SVGs in __snapshots__/<module>/
beside this file).

Here: a home whose path reads the same in every run, for the snapshots that show it. The
shared fixtures (``sandbox``, ``context``, ``ids``, the per-test DMS_TUI_HOME, the thread
guard) are in tests/conftest.py; helpers that drive the app in tests/helpers.
"""

from __future__ import annotations

import pytest

HOME = "dms-tui-home"


@pytest.fixture
def fixed_home(tmp_path, monkeypatch):
    """The test's own home, named the same in every run (step 3 shows it), so tests running
    in parallel never share one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DMS_TUI_HOME", HOME)
    return tmp_path / HOME
