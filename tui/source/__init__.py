"""The source SQL Server: a real one over pyodbc (``SqlServerSource``) or the sandbox's.

Importing this package never imports pyodbc; that happens on the first real connection,
and a missing unixODBC or driver becomes a ``SourceError`` that says what to install.
"""

from tui.source.base import Source
from tui.source.errors import SourceError, SourceErrorKind
from tui.source.rules import assess
from tui.source.server import SqlServerSource

__all__ = ["Source", "SourceError", "SourceErrorKind", "SqlServerSource", "assess"]
