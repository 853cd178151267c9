"""Connecting: driver choice, install guidance, connection strings, sign-in, error mapping."""

from __future__ import annotations

import builtins
import struct
import sys

import pytest

from tests.helpers.source_fakes import FakeError, FakeOdbc, FakeSqlServer
from tui.errors import DmsTuiError
from tui.source import SourceError, SourceErrorKind, SqlServerSource, connect, drivers
from tui.source.connect import ConnectionSettings, connection_string
from tui.source.errors import from_odbc_error

SECRET = "Pa;ss}w{o=rd'42"
MS18, MS17 = "ODBC Driver 18 for SQL Server", "ODBC Driver 17 for SQL Server"


# --------------------------------------------------------------------------- drivers


def test_driver_preference_18_then_17_then_freetds():
    assert drivers.pick_driver(["FreeTDS", MS17, MS18]) == MS18
    assert drivers.pick_driver(["FreeTDS", MS17]) == MS17
    assert drivers.pick_driver(["PostgreSQL Unicode", "FreeTDS"]) == "FreeTDS"


def test_named_driver_must_be_installed():
    assert drivers.pick_driver([MS18, "FreeTDS"], "{FreeTDS}") == "FreeTDS"
    with pytest.raises(SourceError) as info:
        drivers.pick_driver(["FreeTDS"], MS18)
    assert info.value.kind is SourceErrorKind.DRIVER_MISSING
    assert "Installed drivers: FreeTDS" in info.value.message


def test_no_sql_server_driver_says_what_to_install():
    with pytest.raises(SourceError) as info:
        drivers.pick_driver(["PostgreSQL Unicode"])
    err = info.value
    assert err.kind is SourceErrorKind.DRIVER_MISSING
    assert "msodbcsql18" in err.hint and "apt-get install -y unixodbc" in err.hint
    assert "dnf install -y unixODBC" in err.hint and "tdsodbc" in err.hint


def test_pyodbc_import_failing_shows_install_guidance(monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kw):
        if name == "pyodbc":
            raise ImportError(
                "libodbc.so.2: cannot open shared object file: No such file or directory"
            )
        return real_import(name, *args, **kw)

    monkeypatch.delitem(sys.modules, "pyodbc", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)
    src = SqlServerSource("sqlprod01", user="sa", password=SECRET)
    with pytest.raises(SourceError) as info:
        src.server_info()
    err = info.value
    assert isinstance(err, DmsTuiError)
    assert err.kind is SourceErrorKind.DRIVER_MISSING
    assert "unixODBC" in err.message
    assert "sudo apt-get install -y unixodbc" in err.hint
    assert "ACCEPT_EULA=Y apt-get install -y msodbcsql18" in err.hint
    assert "sudo dnf install -y unixODBC" in err.hint
    assert SECRET not in err.full_text


def test_missing_pyodbc_package_says_pip_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyodbc", None)  # import pyodbc -> ImportError
    with pytest.raises(SourceError) as info:
        drivers.load_pyodbc()
    assert "pip install pyodbc" in info.value.hint


def test_importing_the_package_does_not_import_pyodbc():
    import subprocess

    code = (
        "import sys, tui.source; from tui.source import SqlServerSource; "
        "SqlServerSource('h', user='u', password='p'); "
        "sys.exit(1 if 'pyodbc' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --------------------------------------------------------------------------- connection strings


def test_connection_string_defaults_encrypt_and_does_not_trust_certificates():
    s = ConnectionSettings("sqlprod01.contoso.local", 1433, user="sa", password="pw")
    text = connection_string(s, MS18)
    assert text.startswith(
        "Driver={ODBC Driver 18 for SQL Server};Server=tcp:sqlprod01.contoso.local,1433;"
    )
    assert "Encrypt=yes;" in text and "TrustServerCertificate=no;" in text
    assert "APP=dms-tui;" in text


def test_trust_server_certificate_only_when_asked():
    s = ConnectionSettings(
        "h", 1433, user="sa", password="pw", trust_server_certificate=True, encrypt=False
    )
    text = connection_string(s, MS17)
    assert "TrustServerCertificate=yes;" in text and "Encrypt=no;" in text


def test_values_are_escaped_so_a_password_cannot_inject_keywords():
    s = ConnectionSettings("h", 1433, user="sa;Trusted_Connection=yes", password=SECRET)
    text = connection_string(s, MS18)
    assert "UID={sa;Trusted_Connection=yes};" in text
    assert "PWD={Pa;ss}}w{o=rd'42};" in text
    parsed = connect.split_connection_string(text)
    assert parsed["pwd"] == SECRET and parsed["uid"] == "sa;Trusted_Connection=yes"
    assert "trustedconnection" not in parsed


def test_named_instance_lets_the_browser_find_the_port():
    s = ConnectionSettings("sqlprod01\\SALES", 1433, user="sa", password="pw")
    assert "Server=sqlprod01\\SALES;" in connection_string(s, MS18)


def test_freetds_keywords():
    s = ConnectionSettings("10.0.0.5", 14333, user="sa", password="pw")
    text = connection_string(s, "FreeTDS")
    assert "Server=10.0.0.5;Port=14333;" in text and "Encryption=require;" in text


def test_windows_authentication_uses_kerberos_and_no_password():
    s = ConnectionSettings("h", 1433, authentication="windows")
    text = connection_string(s, MS18)
    assert "Trusted_Connection=yes;" in text and "PWD" not in text and "UID" not in text


def test_sql_login_needs_a_user_and_unknown_authentication_is_refused():
    with pytest.raises(SourceError):
        ConnectionSettings("h", authentication="sql")
    with pytest.raises(SourceError):
        ConnectionSettings("h", authentication="magic", user="u")


def test_entra_token_goes_in_pre_connect_attribute_1256():
    odbc = FakeOdbc(FakeSqlServer())

    class Credential:
        scopes = None

        def get_token(self, *scopes):
            Credential.scopes = scopes
            return type("T", (), {"token": "eyJ0"})()

    src = SqlServerSource(
        "mi.abc.database.windows.net", authentication="entra", credential=Credential(), _pyodbc=odbc
    )
    src.server_info()
    call = odbc.connect_calls[0]
    raw = "eyJ0".encode("utf-16-le")
    assert call["attrs_before"] == {1256: struct.pack(f"<I{len(raw)}s", len(raw), raw)}
    assert Credential.scopes == ("https://database.windows.net/.default",)
    assert "UID" not in call["conn_str"] and "Trusted_Connection" not in call["conn_str"]


def test_entra_needs_microsofts_driver():
    src = SqlServerSource(
        "h", authentication="entra", credential=object(), _pyodbc=FakeOdbc(drivers=("FreeTDS",))
    )
    with pytest.raises(SourceError) as info:
        src.server_info()
    assert info.value.kind is SourceErrorKind.DRIVER_MISSING


def test_connect_sets_login_timeout_autocommit_and_query_timeout():
    odbc = FakeOdbc(FakeSqlServer())
    src = SqlServerSource(
        "h", 1433, user="sa", password="pw", login_timeout=7, query_timeout=33, _pyodbc=odbc
    )
    src.server_info()
    assert odbc.connect_calls[0]["timeout"] == 7
    assert odbc.connect_calls[0]["autocommit"] is True
    assert odbc.connections[0].timeout == 33


def test_password_never_in_repr():
    src = SqlServerSource("h", user="sa", password=SECRET)
    assert SECRET not in repr(src) and SECRET not in repr(src.settings)
    assert "sa" in repr(src)


def test_connection_string_parser_for_the_integration_variable():
    src = SqlServerSource.from_connection_string(
        "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.local,14333;UID=sa;"
        "PWD={a;b}}c};TrustServerCertificate=yes;Encrypt=yes;Database=Sales"
    )
    s = src.settings
    assert (s.server, s.port, s.user, s.password) == ("db.local", 14333, "sa", "a;b}c")
    assert s.trust_server_certificate and s.encrypt and s.database == "Sales"
    win = SqlServerSource.from_connection_string("Server=h\\inst;Trusted_Connection=yes")
    assert win.settings.authentication == "windows" and win.address == "h\\inst"


@pytest.mark.parametrize(
    "text",
    [
        "Server=tcp:db.local,²;UID=sa",
        "Server=db.local;Port=①;UID=sa",
        "Server=db.local;Port=١٤٣٣;UID=sa",
        "Server=db.local;UID=sa;Connect Timeout=⑤",
    ],
)
def test_connection_string_numbers_take_the_ascii_digits_only(text):
    with pytest.raises(SourceError) as info:
        SqlServerSource.from_connection_string(text)
    assert info.value.kind is SourceErrorKind.INVALID_ARGUMENT
    assert "digits 0-9" in info.value.message


# --------------------------------------------------------------------------- errors


def _settings(**kw):
    kw.setdefault("user", "sa")
    kw.setdefault("password", SECRET)
    return ConnectionSettings("sqlprod01", 1433, **kw)


def _err(state, text, native, call="SQLDriverConnect"):
    return FakeError(
        state, f"[{state}] [Microsoft][ODBC Driver 18 for SQL Server]{text} ({native}) ({call})"
    )


@pytest.mark.parametrize(
    "state,text,native,kind,words",
    [
        (
            "08001",
            "TCP Provider: Error code 0x2749",
            10057,
            SourceErrorKind.UNREACHABLE,
            "Cannot reach SQL Server at sqlprod01,1433",
        ),
        (
            "HYT00",
            "Login timeout expired",
            0,
            SourceErrorKind.UNREACHABLE,
            "Cannot reach SQL Server at sqlprod01,1433 within 15 seconds",
        ),
        (
            "28000",
            "[SQL Server]Login failed for user 'sa'.",
            18456,
            SourceErrorKind.LOGIN_FAILED,
            "refused the login for sa",
        ),
        (
            "08001",
            "SSL Provider: [error:0A000086:SSL routines::certificate verify failed:self-signed "
            "certificate]",
            -1,
            SourceErrorKind.CERTIFICATE,
            "certificate of sqlprod01,1433",
        ),
        (
            "42000",
            '[SQL Server]Cannot open database "Sales" requested by the login. The login failed.',
            4060,
            SourceErrorKind.DATABASE_UNAVAILABLE,
            "cannot be opened",
        ),
        (
            "IM002",
            "[unixODBC][Driver Manager]Data source name not found and no default driver specified",
            0,
            SourceErrorKind.DRIVER_MISSING,
            "driver could not be loaded",
        ),
    ],
)
def test_connect_errors_map_to_plain_messages_with_codes(state, text, native, kind, words):
    err = from_odbc_error(_err(state, text, native), settings=_settings(), connecting=True)
    assert err.kind is kind and words in err.message
    assert err.sqlstate == state
    if native:
        assert err.native_code == native
    assert err.hint
    assert SECRET not in err.full_text and SECRET not in repr(err)


def test_errors_while_running_statements():
    timeout = from_odbc_error(
        _err("HYT00", "Query timeout expired", 0, "SQLExecDirectW"),
        settings=_settings(),
        action="listing the databases",
    )
    assert timeout.kind is SourceErrorKind.TIMEOUT and "listing the databases" in timeout.message
    denied = from_odbc_error(
        _err(
            "42000",
            "[SQL Server]VIEW SERVER STATE permission was denied "
            "on object 'server', database 'master'.",
            300,
        ),
        settings=_settings(),
    )
    assert denied.kind is SourceErrorKind.PERMISSION and denied.native_code == 300
    lost = from_odbc_error(_err("08S01", "Communication link failure", 10054), settings=_settings())
    assert lost.kind is SourceErrorKind.UNREACHABLE and "lost" in lost.message


def test_password_echoed_by_a_driver_is_redacted():
    err = from_odbc_error(
        FakeError("HY000", f"[HY000] bad attribute PWD={{{SECRET}}} (0)"), settings=_settings()
    )
    assert SECRET not in err.full_text and "***" in err.detail


def test_windows_login_failure_hint_talks_about_kerberos():
    err = from_odbc_error(
        _err("28000", "Login failed. The login is from an untrusted domain.", 18452),
        settings=ConnectionSettings("h", authentication="windows"),
        connecting=True,
    )
    assert err.kind is SourceErrorKind.LOGIN_FAILED and "kinit" in err.hint


def test_login_failure_through_the_source_keeps_the_password_out():
    odbc = FakeOdbc(connect_error=_err("28000", "[SQL Server]Login failed for user 'sa'.", 18456))
    src = SqlServerSource("sqlprod01", user="sa", password=SECRET, _pyodbc=odbc)
    with pytest.raises(SourceError) as info:
        src.server_info()
    assert info.value.native_code == 18456 and info.value.sqlstate == "28000"
    assert SECRET not in str(info.value) and SECRET not in info.value.full_text
    assert info.value.__cause__ is None and info.value.__suppress_context__
