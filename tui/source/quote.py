"""The one place T-SQL text is escaped: identifiers, string literals, table names.

Every statement the app runs on a SQL Server, or shows a DBA to paste, puts names and
values in through these functions and nowhere else:

* ``quote_name`` — an identifier as ``QUOTENAME`` writes it: ``[name]`` with every ``]``
  doubled. SQL Server names (``sysname``) hold at most 128 characters, counted in UTF-16
  code units as the server counts them, and ``QUOTENAME`` itself returns NULL for longer
  input; NUL and other control characters are refused, because a statement carrying them
  is cut short or mangled when it is copied out of a terminal.
* ``quote_string`` — a Unicode literal ``N'...'`` with every ``'`` doubled. NUL is refused
  (the statement would end there when pasted); line breaks are kept — a statement handed
  to ``sp_executesql`` spans lines.

Inside ``[...]`` only ``]`` is special and inside ``N'...'`` only ``'``: ``;``, ``--``,
``/*`` and every other character are plain text there, so a database called
``x'; SHUTDOWN WITH NOWAIT; --`` stays a name.
"""

from __future__ import annotations

import unicodedata

from tui.errors import DmsTuiError

MAX_NAME = 128  # sysname: nvarchar(128), and the longest input QUOTENAME accepts


class UnsafeSqlText(DmsTuiError, ValueError):
    """A name or value that cannot be written into T-SQL safely (``ValueError`` too)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, code="UnsafeSqlText", hint=hint)


def _shown(text: str) -> str:
    """``text`` for an error message: control characters visible, long text shortened."""
    shown = repr(text[:40] + ("…" if len(text) > 40 else ""))
    return shown


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_name(name: str, what: str = "name") -> str:
    """``name`` if SQL Server can hold it as an identifier, else ``UnsafeSqlText``."""
    if not isinstance(name, str) or name == "":
        raise UnsafeSqlText(f"The {what} is empty; SQL Server names need at least one character.")
    bad = next((ch for ch in name if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        label = "NUL" if bad == "\0" else f"U+{ord(bad):04X}"
        raise UnsafeSqlText(
            f"The {what} {_shown(name)} contains a control character ({label}); no T-SQL is "
            "written for it.",
            "Rename it on the server without control characters, or run the statement "
            "yourself with the name typed in.",
        )
    length = _utf16_length(name)
    if length > MAX_NAME:
        raise UnsafeSqlText(
            f"The {what} {_shown(name)} is {length} characters long; SQL Server names (and "
            f"QUOTENAME) stop at {MAX_NAME}.",
            f"Use a name of at most {MAX_NAME} characters.",
        )
    return name


def quote_name(name: str, what: str = "name") -> str:
    """``QUOTENAME(name)``: ``[name]`` with every ``]`` doubled (checked by ``check_name``)."""
    return "[" + check_name(name, what).replace("]", "]]") + "]"


def quote_string(value: str, what: str = "value") -> str:
    """A Unicode string literal ``N'...'`` with every ``'`` doubled; NUL is refused."""
    if not isinstance(value, str):
        raise UnsafeSqlText(f"The {what} is not text.")
    if "\0" in value:
        raise UnsafeSqlText(
            f"The {what} {_shown(value)} contains a NUL character; no T-SQL is written for it."
        )
    return "N'" + value.replace("'", "''") + "'"


def quote_table(full_name: str) -> str:
    """``schema.table`` (or ``table``, meaning ``dbo``) as ``[schema].[table]``.

    Names that themselves contain dots can be written already bracketed:
    ``[my.schema].[my.table]``.
    """
    schema, table = split_table_name(full_name)
    return f"{quote_name(schema, 'schema name')}.{quote_name(table, 'table name')}"


def split_table_name(full_name: str) -> tuple[str, str]:
    """``'sales.Orders'`` -> ``('sales', 'Orders')``; brackets honoured, ``dbo`` by default."""
    parts: list[str] = []
    buf: list[str] = []
    i, text = 0, full_name.strip()
    while i < len(text):
        ch = text[i]
        if ch == "[":
            j = i + 1
            while j < len(text):
                if text[j] == "]":
                    if j + 1 < len(text) and text[j + 1] == "]":
                        buf.append("]")
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            i = j + 1
            continue
        if ch == ".":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    if len(parts) == 1:
        return "dbo", parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    raise ValueError(f"{full_name!r} is not a schema.table name")
