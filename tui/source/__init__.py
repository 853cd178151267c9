"""The source SQL Server: a real one over pyodbc (``SqlServerSource``) or the sandbox's.

Importing this package never imports pyodbc; that happens on the first real connection.
"""

from tui.source.base import Source
from tui.source.errors import SourceError, SourceErrorKind
from tui.source.rules import assess

__all__ = ["Source", "SourceError", "SourceErrorKind", "assess"]
