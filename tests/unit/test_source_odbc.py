"""Through the real pyodbc, unixODBC and FreeTDS: a closed port is "server unreachable",
and a server that accepts the connection but never answers is given up on by the app itself
(FreeTDS would wait for minutes), without keeping the app from quitting.

Needs ``unixodbc`` and ``tdsodbc`` (FreeTDS registered as "FreeTDS" in odbcinst.ini).
Skipped, with the reason, when they are missing, unless ``DMS_TUI_REQUIRE_ODBC=1`` makes
their absence a failure (CI sets it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tui.source import SourceError, SourceErrorKind, SqlServerSource, deadline
from tui.source.drivers import load_pyodbc

ROOT = Path(__file__).resolve().parents[2]

SECRET = "Sup3r;Secret}pw"


def _freetds() -> str:
    try:
        pyodbc = load_pyodbc()
    except SourceError as err:
        reason = f"pyodbc cannot load: {err.message}"
    else:
        names = [d for d in pyodbc.drivers() if "freetds" in d.lower()]
        if names:
            return names[0]
        reason = f"no FreeTDS ODBC driver registered (drivers: {pyodbc.drivers()})"
    if os.environ.get("DMS_TUI_REQUIRE_ODBC") == "1":
        pytest.fail(reason)
    pytest.skip(reason + "; install unixodbc and tdsodbc")


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_closed_port_is_server_unreachable_within_the_login_timeout():
    driver = _freetds()
    port = _closed_port()
    src = SqlServerSource(
        "127.0.0.1", port, user="sa", password=SECRET, driver=driver, login_timeout=5
    )
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        src.server_info()
    elapsed = time.monotonic() - started
    err = info.value
    assert err.kind is SourceErrorKind.UNREACHABLE
    assert f"Cannot reach SQL Server at 127.0.0.1,{port}" in err.message
    assert err.sqlstate in ("08001", "08S01", "HYT00")
    assert elapsed < 5 + 2
    for text in (str(err), err.full_text, repr(err), err.detail, repr(src)):
        assert SECRET not in text
    assert src.driver == ""  # no connection was kept


@contextmanager
def silent_server():
    """A TCP listener on 127.0.0.1 that accepts every connection and never says a word.

    On leaving, the listener and every accepted connection are closed, which lets a driver
    still stuck on them return; the test then waits for those threads to end."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)

    acceptor = threading.Thread(target=accept, name="silent-server", daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1], held
    finally:
        stop.set()
        acceptor.join(10)
        listener.close()
        for conn in held:
            conn.close()
        wait_until(lambda: not sql_threads(), 20, "stuck driver calls to return")


def sql_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("dms-tui-sql")]


def wait_until(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        threading.Event().wait(0.02)


def test_a_server_that_never_answers_times_out_within_the_login_timeout_plus_two():
    driver = _freetds()
    with silent_server() as (port, held):
        src = SqlServerSource(
            "127.0.0.1", port, user="sa", password=SECRET, driver=driver, login_timeout=3
        )
        started = time.monotonic()
        with pytest.raises(SourceError) as info:
            src.server_info()
        elapsed = time.monotonic() - started
        assert held, "the driver did reach the listener"
        err = info.value
        assert elapsed < 3 + 2
        assert err.kind is SourceErrorKind.UNREACHABLE
        assert f"Cannot reach SQL Server at 127.0.0.1,{port} within 3 seconds" in err.message
        assert err.sqlstate == "HYT00" and "login" in err.message
        for text in (str(err), err.full_text, repr(err), repr(src)):
            assert SECRET not in text
        assert src.driver == ""  # nothing kept: the next call tries again
        # the driver itself is still stuck, in a daemon thread that cannot hold the process
        assert all(t.daemon for t in sql_threads())


def test_cancelling_and_quitting_end_the_wait_for_a_stuck_driver_at_once():
    driver = _freetds()
    with silent_server() as (port, held):
        src = SqlServerSource(
            "127.0.0.1", port, user="sa", password=SECRET, driver=driver, login_timeout=60
        )
        results: dict[str, object] = {}
        cancel = threading.Event()

        def worker(name: str, event: threading.Event | None) -> None:
            started = time.monotonic()
            try:
                if event is None:
                    src.server_info()
                else:
                    with deadline.cancelled_by(event):
                        src.server_info()
            except SourceError as err:
                results[name] = (err, time.monotonic() - started)

        cancelled = threading.Thread(target=worker, args=("esc", cancel))
        quitting = threading.Thread(target=worker, args=("quit", None))
        cancelled.start()
        wait_until(lambda: len(held) >= 1, 10, "the first connection")
        cancel.set()
        cancelled.join(2)
        assert not cancelled.is_alive(), "Esc ended the wait"
        quitting.start()
        wait_until(lambda: deadline.waiting() >= 1 and len(held) >= 2, 10, "the second one")
        assert deadline.abandon_all() >= 1  # what the app does when it quits
        quitting.join(2)
        assert not quitting.is_alive(), "quitting ended the wait"
        for name in ("esc", "quit"):
            err, elapsed = results[name]
            assert err.kind is SourceErrorKind.CANCELLED and elapsed < 60
        assert all(t.daemon for t in sql_threads())


def test_the_app_quits_at_once_while_a_connection_test_hangs(tmp_path):
    """The real thing: dms-tui (headless, in its own interpreter) on step 4, Ctrl+T against
    the silent listener through FreeTDS, then Ctrl+Q. The process must end in seconds, not
    wait for the driver (which would never return here)."""
    driver = _freetds()
    with silent_server() as (port, held):
        env = dict(os.environ, DMS_TUI_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "helpers" / "hung_source_app.py"),
                str(port),
                driver,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline()  # printed once Ctrl+T is stuck in the driver
            assert line.strip() == "connecting", (line, proc.stderr.read() if proc.poll() else "")
            started = time.monotonic()
            out, err = proc.communicate(timeout=60)
            quit_took = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 0, err
        assert "quit" in out and held
        assert quit_took < 10, f"quitting took {quit_took:.1f} s"
