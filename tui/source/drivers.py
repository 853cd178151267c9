"""Finding pyodbc and a SQL Server ODBC driver, or saying exactly what to install.

pyodbc is imported here, on the first real connection, never when the app starts: the
sandbox and every screen work on a jump box that has no ODBC at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from tui.source.errors import SourceError, SourceErrorKind

# Best first. FreeTDS is matched by any driver name containing "FreeTDS" (Debian's tdsodbc
# registers it as "FreeTDS" in /etc/odbcinst.ini).
MS_DRIVERS = ("ODBC Driver 18 for SQL Server", "ODBC Driver 17 for SQL Server")
FREETDS = "FreeTDS"

MS_DRIVER_DOCS = (
    "https://learn.microsoft.com/sql/connect/odbc/linux-mac/"
    "installing-the-microsoft-odbc-driver-for-sql-server"
)

INSTALL_GUIDANCE = f"""\
Install unixODBC and a SQL Server ODBC driver on this machine:
  Debian/Ubuntu:  sudo apt-get install -y unixodbc
                  then Microsoft's driver: add the packages.microsoft.com repository for your
                  release ({MS_DRIVER_DOCS})
                  and run: sudo ACCEPT_EULA=Y apt-get install -y msodbcsql18
                  or, without Microsoft's repository: sudo apt-get install -y tdsodbc   (FreeTDS)
  RHEL/Fedora:    sudo dnf install -y unixODBC
                  then, after adding packages.microsoft.com:
                  sudo ACCEPT_EULA=Y dnf install -y msodbcsql18
                  or: sudo dnf install -y freetds   (EPEL on RHEL)
  SUSE:           sudo zypper install -y unixODBC; sudo ACCEPT_EULA=Y zypper install -y msodbcsql18
Then check with: odbcinst -q -d"""


def load_pyodbc() -> ModuleType:
    """Import pyodbc, or raise a ``SourceError`` that says what to install."""
    try:
        import pyodbc
    except ImportError as exc:
        detail = str(exc)
        if isinstance(exc, ModuleNotFoundError) and "libodbc" not in detail:
            what, hint = (
                "the pyodbc package is not installed",
                "pip install pyodbc\n" + INSTALL_GUIDANCE,
            )
        elif "libodbc" in detail:
            what, hint = "unixODBC (libodbc.so.2) is not installed", INSTALL_GUIDANCE
        else:
            what, hint = f"pyodbc could not be loaded ({detail})", INSTALL_GUIDANCE
        raise SourceError(
            f"Cannot talk to SQL Server: {what}.", hint=hint, kind=SourceErrorKind.DRIVER_MISSING
        ) from None
    return pyodbc


def pick_driver(installed: Iterable[str], requested: str | None = None) -> str:
    """The driver to use: ``requested`` if installed, else the best of 18, 17, FreeTDS."""
    names = list(installed)
    if requested:
        for name in names:
            if name.lower() == requested.strip("{} ").lower():
                return name
        raise SourceError(
            f'The ODBC driver "{requested}" is not installed.'
            + (
                f" Installed drivers: {', '.join(names)}."
                if names
                else " No ODBC driver is installed."
            ),
            hint=INSTALL_GUIDANCE,
            kind=SourceErrorKind.DRIVER_MISSING,
        )
    for wanted in MS_DRIVERS:
        for name in names:
            if name.lower() == wanted.lower():
                return name
    for name in names:
        if FREETDS.lower() in name.lower():
            return name
    raise SourceError(
        "No SQL Server ODBC driver is installed"
        + (f" (found only: {', '.join(names)})." if names else "."),
        hint=INSTALL_GUIDANCE,
        kind=SourceErrorKind.DRIVER_MISSING,
    )


def is_freetds(driver: str) -> bool:
    return FREETDS.lower() in driver.lower()
