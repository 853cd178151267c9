"""Opening a connection: settings, a safely built connection string, authentication.

Three ways to sign in: a SQL login (``authentication='sql'``), Windows through Kerberos
(``'windows'``: ``Trusted_Connection=yes``, needs a ticket from ``kinit`` on the jump box)
and Microsoft Entra (``'entra'``: an access token from azure-identity handed to the driver
before connecting, connection attribute 1256, ODBC Driver 17/18 only).

Drivers, best first: Microsoft's ODBC Driver 18, then 17, then FreeTDS. With FreeTDS,
``encrypt`` maps to ``Encryption=require`` (else ``request``); FreeTDS checks the server's
certificate only when a CA file is configured for it, so Microsoft's driver is the one to
use where certificate validation matters.

The password lives only in ``ConnectionSettings.password`` (kept out of ``repr``) and in the
string handed to the driver; it is never logged and never part of an error.

Connecting has a hard deadline the app enforces itself (``tui.source.deadline``): the login
timeout plus a second, whatever the driver does — FreeTDS does not always honour its own.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.source import deadline, drivers
from tui.source.errors import SourceError, SourceErrorKind

SQL_COPT_SS_ACCESS_TOKEN = 1256  # pre-connect attribute: an Entra access token
ENTRA_SCOPE = "https://database.windows.net/.default"
APP_NAME = "dms-tui"

AUTHENTICATIONS = ("sql", "windows", "entra")
_AUTH_ALIASES = {
    "sql": "sql",
    "sqlauthentication": "sql",
    "sql login": "sql",
    "windows": "windows",
    "windowsauthentication": "windows",
    "kerberos": "windows",
    "trusted": "windows",
    "integrated": "windows",
    "entra": "entra",
    "aad": "entra",
    "azuread": "entra",
    "activedirectory": "entra",
    "token": "entra",
}


@dataclass(frozen=True)
class ConnectionSettings:
    """Where and how to connect. ``password`` never shows in ``repr``."""

    server: str
    port: int | None = 1433
    authentication: str = "sql"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    encrypt: bool = True
    trust_server_certificate: bool = False
    driver: str | None = None
    login_timeout: int = 15
    query_timeout: int = 120
    database: str | None = None

    def __post_init__(self) -> None:
        auth = _AUTH_ALIASES.get(str(self.authentication).strip().lower().replace("_", ""))
        if auth is None:
            raise SourceError(
                f"Unknown authentication {self.authentication!r}; use one of "
                f"{', '.join(AUTHENTICATIONS)}.",
                kind=SourceErrorKind.INVALID_ARGUMENT,
            )
        object.__setattr__(self, "authentication", auth)
        if not self.server or not self.server.strip():
            raise SourceError(
                "No SQL Server address was given.", kind=SourceErrorKind.INVALID_ARGUMENT
            )
        if auth == "sql" and not self.user:
            raise SourceError(
                "A SQL login needs a user name.", kind=SourceErrorKind.INVALID_ARGUMENT
            )

    @property
    def address(self) -> str:
        """``host,port`` (or ``host\\instance``) as the DBA would recognise it."""
        host = self.server.strip()
        if "\\" in host or not self.port:
            return host
        return f"{host},{self.port}"


_SAFE_VALUE = re.compile(r"^[A-Za-z0-9 ._:,\\/@()\-]*$")


def odbc_value(value: str) -> str:
    """One connection-string value, braced when it holds anything but plain characters.

    Inside braces a ``}`` is doubled, so ``;``, ``=``, ``{`` and ``}`` in a password or a
    server name cannot end the value or start another keyword.
    """
    text = str(value)
    if "\0" in text:
        raise SourceError(
            "A connection setting contains a NUL character.", kind=SourceErrorKind.INVALID_ARGUMENT
        )
    if _SAFE_VALUE.match(text) and text == text.strip():
        return text
    return "{" + text.replace("}", "}}") + "}"


def connection_string(settings: ConnectionSettings, driver: str) -> str:
    """The ODBC connection string for ``settings`` on ``driver`` (holds the password)."""
    freetds = drivers.is_freetds(driver)
    host = settings.server.strip()
    parts: list[tuple[str, str]] = [("Driver", "{" + driver.replace("}", "}}") + "}")]
    if freetds:
        parts.append(("Server", host))
        if settings.port and "\\" not in host:
            parts.append(("Port", str(settings.port)))
        # FreeTDS: "require" encrypts everything; "request" encrypts if the server can
        parts.append(("Encryption", "require" if settings.encrypt else "request"))
    else:
        parts.append(("Server", settings.address if "\\" in host else f"tcp:{settings.address}"))
        parts.append(("Encrypt", "yes" if settings.encrypt else "no"))
        parts.append(
            ("TrustServerCertificate", "yes" if settings.trust_server_certificate else "no")
        )
    if settings.database:
        parts.append(("Database", settings.database))
    parts.append(("APP", APP_NAME))
    if settings.authentication == "sql":
        parts.append(("UID", settings.user or ""))
        parts.append(("PWD", settings.password or ""))
    elif settings.authentication == "windows":
        parts.append(("Trusted_Connection", "yes"))
    return (
        ";".join(f"{key}={odbc_value(val) if key != 'Driver' else val}" for key, val in parts) + ";"
    )


def redact(text: str, settings: ConnectionSettings | None) -> str:
    """``text`` with the password (raw or as it appears in the connection string) masked."""
    if settings is None or not settings.password:
        return text
    for secret in {
        settings.password,
        odbc_value(settings.password),
        settings.password.replace("}", "}}"),
    }:
        if secret:
            text = text.replace(secret, "***")
    return text


def access_token_struct(token: str) -> bytes:
    """An Entra token in the layout the SQL Server driver expects for attribute 1256."""
    raw = token.encode("utf-16-le")
    return struct.pack(f"<I{len(raw)}s", len(raw), raw)


def entra_token(credential: Any | None) -> str:
    """An access token for Azure SQL from ``credential`` (DefaultAzureCredential if None)."""
    try:
        if credential is None:
            from azure.identity import DefaultAzureCredential

            credential = DefaultAzureCredential()
        return credential.get_token(ENTRA_SCOPE).token
    except Exception as exc:  # noqa: BLE001 - azure-identity raises several unrelated types
        raise SourceError(
            "Could not get a Microsoft Entra token for SQL Server.",
            hint=f"Sign in first (az login, or set up a managed identity). Detail: {exc}",
            kind=SourceErrorKind.LOGIN_FAILED,
        ) from None


def open_connection(
    settings: ConnectionSettings,
    *,
    pyodbc: Any | None = None,
    credential: Any | None = None,
    token_provider: Callable[[], str] | None = None,
) -> tuple[Any, str]:
    """Connect; returns the DB-API connection and the driver used. Errors are SourceErrors."""
    from tui.source.errors import from_odbc_error

    pyodbc = pyodbc or drivers.load_pyodbc()
    try:
        installed = pyodbc.drivers()
    except pyodbc.Error as exc:  # unixODBC present but broken
        raise from_odbc_error(exc, settings=settings, connecting=True) from None
    driver = drivers.pick_driver(installed, settings.driver)
    attrs: dict[int, Any] = {}
    if settings.authentication == "entra":
        if drivers.is_freetds(driver):
            raise SourceError(
                "Microsoft Entra sign-in needs Microsoft's ODBC Driver 17 or 18; FreeTDS cannot "
                "use access tokens.",
                hint=drivers.INSTALL_GUIDANCE,
                kind=SourceErrorKind.DRIVER_MISSING,
            )
        token = token_provider() if token_provider else entra_token(credential)
        attrs[SQL_COPT_SS_ACCESS_TOKEN] = access_token_struct(token)
    conn_str = connection_string(settings, driver)

    def connect() -> Any:
        return pyodbc.connect(
            conn_str, autocommit=True, timeout=settings.login_timeout, attrs_before=attrs or None
        )

    try:
        conn = deadline.call(
            connect,
            seconds=login_deadline(settings),
            what=f"connecting to {settings.address}",
            timed_out=lambda: no_answer(settings),
            late=close_quietly,
        )
    except pyodbc.Error as exc:
        raise from_odbc_error(exc, settings=settings, connecting=True) from None
    conn.timeout = settings.query_timeout
    return conn, driver


DEFAULT_LOGIN_TIMEOUT = 15  # seconds, when the settings ask for none (0)


def login_deadline(settings: ConnectionSettings) -> float:
    """How long the app waits for a connection, whatever the driver does: the login timeout
    plus a small margin (the driver's own timeout, when it works, comes first)."""
    return (
        settings.login_timeout if settings.login_timeout > 0 else DEFAULT_LOGIN_TIMEOUT
    ) + deadline.MARGIN


def no_answer(settings: ConnectionSettings) -> deadline.TimedOut:
    """The error when a server accepted the connection (or nothing did) but never answered."""
    seconds = settings.login_timeout if settings.login_timeout > 0 else DEFAULT_LOGIN_TIMEOUT
    return deadline.TimedOut(
        f"Cannot reach SQL Server at {settings.address} within {seconds} seconds: no answer "
        "to the login.",
        sqlstate="HYT00",
        kind=SourceErrorKind.UNREACHABLE,
        hint="Something answered or held the connection on that address and port but did not "
        "speak to SQL Server's login: check the server name and port (SQL Server's "
        "default is 1433), that SQL Server is running and not starting up or hung, and "
        "that no proxy or firewall holds the connection open. The driver's own attempt "
        "was abandoned.",
    )


def close_quietly(conn: Any) -> None:
    """Close a connection nobody waits for any more (it arrived after the deadline)."""
    if conn is not None:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - best effort
            pass


def split_connection_string(text: str) -> dict[str, str]:
    """``key=value;key={va;lue}`` -> ``{key: value}`` (keys lower-cased, spaces removed)."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            if text[i:].strip(" ;"):
                raise SourceError(
                    "The connection string is not key=value pairs.",
                    kind=SourceErrorKind.INVALID_ARGUMENT,
                )
            break
        key = text[i:eq].strip(" ;").lower().replace(" ", "").replace("_", "")
        j = eq + 1
        while j < n and text[j] == " ":
            j += 1
        if j < n and text[j] == "{":
            buf, j = [], j + 1
            while j < n:
                if text[j] == "}":
                    if j + 1 < n and text[j + 1] == "}":
                        buf.append("}")
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            value = "".join(buf)
            j = text.find(";", j)
            j = n if j < 0 else j + 1
        else:
            end = text.find(";", j)
            end = n if end < 0 else end
            value, j = text[j:end].strip(), end + 1
        out[key] = value
        i = j
    return out


_TRUE = {"yes", "true", "1", "mandatory", "strict", "sspi", "require"}


def _number(text: str, what: str) -> int:
    """A whole number written with the digits 0-9 (``isdigit`` also passes "²", ``int``
    also reads other scripts' digits); anything else is a clear ``SourceError``."""
    value = text.strip()
    if not value or not value.isascii() or not value.isdigit():
        raise SourceError(
            f"The connection string's {what} {value!r} is not a number; write it "
            "with the digits 0-9.",
            kind=SourceErrorKind.INVALID_ARGUMENT,
        )
    return int(value)


def settings_from_connection_string(text: str) -> ConnectionSettings:
    """An ODBC/ADO-style connection string -> ``ConnectionSettings``.

    Understands Server/Data Source (``tcp:host,port`` or ``host\\instance``), Port, UID/User ID,
    PWD/Password, Database/Initial Catalog, Encrypt, TrustServerCertificate, Driver,
    Trusted_Connection/Integrated Security (Windows) and Authentication=ActiveDirectory*
    (Entra).
    """
    kv = split_connection_string(text)

    def get(*keys: str) -> str | None:
        for key in keys:
            if key in kv:
                return kv[key]
        return None

    server = get("server", "datasource", "address", "addr") or ""
    if server.lower().startswith("tcp:"):
        server = server[4:]
    port: int | None = 1433
    if "," in server:
        server, _, port_text = server.partition(",")
        port = _number(port_text, "port")
    if get("port"):
        port = _number(get("port") or "", "port")
    auth = "sql"
    if (get("trustedconnection", "integratedsecurity") or "").lower() in _TRUE:
        auth = "windows"
    if (get("authentication") or "").lower().startswith("activedirectory"):
        auth = "entra"
    encrypt = get("encrypt")
    trust = get("trustservercertificate")
    timeout = get("logintimeout", "connectiontimeout", "connecttimeout", "timeout")
    return ConnectionSettings(
        server=server.strip(),
        port=port,
        authentication=auth,
        user=get("uid", "userid", "user", "username"),
        password=get("pwd", "password"),
        encrypt=True if encrypt is None else encrypt.lower() in _TRUE,
        trust_server_certificate=(trust or "").lower() in _TRUE,
        driver=get("driver"),
        login_timeout=_number(timeout, "login timeout") if timeout else 15,
        database=get("database", "initialcatalog"),
    )
