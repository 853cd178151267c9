"""Through the real pyodbc, unixODBC and FreeTDS: a closed port is "server unreachable".

Needs ``unixodbc`` and ``tdsodbc`` (FreeTDS registered as "FreeTDS" in odbcinst.ini).
Skipped, with the reason, when they are missing, unless ``DMS_TUI_REQUIRE_ODBC=1`` makes
their absence a failure (CI sets it).
"""

from __future__ import annotations

import os
import socket
import time

import pytest

from tui.source import SourceError, SourceErrorKind, SqlServerSource
from tui.source.drivers import load_pyodbc

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
    src = SqlServerSource("127.0.0.1", port, user="sa", password=SECRET, driver=driver,
                          login_timeout=5)
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
