"""The benchmark scripts still run against the app and print every figure they promise.

Each runs in its ``--quick`` form (a small version of the same measurement) in this
process; the figures' values are not judged, only that each one is printed with a number.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

# script → the figure lines it must print (each followed by a number)
FIGURES = {
    "startup": [
        "first screen, wall from process start",
        "first screen, process CPU",
        "modules loaded at the first screen",
    ],
    "monitor_refresh": [
        "refresh CPU, 10 migrations, something changed",
        "refresh CPU, 10 migrations, nothing changed",
    ],
    "monitor_tables": [
        "apply one refresh, typical",
        "apply one refresh, every row changes",
        "apply one refresh, first load",
    ],
    "monitor_keys": [
        "key to frame, typical refreshes",
        "key to frame, every row changes",
        "key to frame, no refresh",
    ],
    "terminal_bytes": ["bytes per minute, idle", "bytes per minute, active"],
    "monitor_requests": ["every migration of 2 DMS instances", "a project's 3 migrations"],
    "migration_read": [
        "list of the instance's migrations",
        "the migration's detail (every table)",
    ],
}


@pytest.fixture
def bench(monkeypatch):
    """Import a benchmark module the way its script does, without leaving the colour
    setting it chooses in this process's environment."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "256")

    def load(name: str):
        return importlib.import_module(name)

    return load


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_quick_run_prints_every_figure(name, bench, capsys):
    bench(name).main(["--quick"])
    out = capsys.readouterr().out
    assert "load average" in out
    for label in FIGURES[name]:
        line = next((ln for ln in out.splitlines() if label in ln), None)
        assert line is not None, f"{name} did not print '{label}':\n{out}"
        figure = line.split(label, 1)[1]
        assert re.search(r"\d", figure) and "no key landed" not in figure, line


def test_suite_timing_is_opt_in(bench, capsys):
    suite = bench("suite_time")
    suite.main([])
    assert "not run" in capsys.readouterr().out
    with pytest.raises(SystemExit) as ended:
        suite.main(["--help"])
    assert ended.value.code == 0
    assert "--suite" in capsys.readouterr().out


def test_every_script_is_smoke_tested():
    scripts = {p.stem for p in BENCHMARKS.glob("*.py")} - {"harness", "run_all"}
    assert scripts == set(FIGURES) | {"suite_time"}, sys.path
