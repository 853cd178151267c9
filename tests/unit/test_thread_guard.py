"""The guard in tests/conftest.py fails a test that leaves a thread running, and lets one
through whose threads end."""

from __future__ import annotations

from pathlib import Path

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

LEAKY = """
import threading

def test_leaves_a_thread_waiting():
    threading.Thread(target=threading.Event().wait, name="leaked-poller", daemon=True).start()

def test_its_thread_ends():
    done = threading.Event()
    threading.Thread(target=done.set, name="short-worker").start()
    assert done.wait(10)
"""


def test_a_thread_left_running_fails_the_test(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_leaky=LEAKY)
    # a fresh interpreter: the leaked thread dies with it, not in this test; the join is cut
    # short so the run takes a second, not the guard's full bound
    monkeypatch.setenv("PYTHONPATH", str(CONFTEST.parents[1]))
    result = pytester.runpytest_subprocess(
        "-p", "no:xdist", "-p", "no:cacheprovider", "-o", "addopts=", "--thread-join=1"
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*threads left running after test_leaky.py::test_leaves_a_thread_waiting*leaked-poller*"]
    )
