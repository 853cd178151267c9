"""Every T-SQL statement the app runs on, or shows for, a SQL Server.

Each query is a named constant with a comment saying what it returns (columns, one row per
what). Statements that carry a database name or URL are built by the functions at the
end, which quote identifiers the way ``QUOTENAME`` does (``]`` doubled) and URLs as
``N'...'`` literals (``'`` doubled); nothing user-supplied is ever pasted in unquoted.
Queries stay valid from SQL Server 2008 to 2022: columns that newer versions add are read
through ``sys.all_columns`` checks, never referenced directly.
"""

from __future__ import annotations

from typing import Sequence

# --------------------------------------------------------------------------- quoting


def quote_name(name: str) -> str:
    """``QUOTENAME(name)``: ``[name]`` with every ``]`` doubled."""
    if name is None or name == "":
        raise ValueError("an empty name cannot be quoted")
    if len(name) > 128:
        raise ValueError(f"{name[:20]}... is longer than SQL Server's 128-character names")
    return "[" + name.replace("]", "]]") + "]"


def quote_string(value: str) -> str:
    """A Unicode string literal ``N'...'`` with every ``'`` doubled."""
    return "N'" + value.replace("'", "''") + "'"


def quote_table(full_name: str) -> str:
    """``schema.table`` (or ``table``, meaning ``dbo``) as ``[schema].[table]``.

    Names that themselves contain dots can be written already bracketed:
    ``[my.schema].[my.table]``.
    """
    schema, table = split_table_name(full_name)
    return f"{quote_name(schema)}.{quote_name(table)}"


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


def backup_url(url: str) -> str:
    """Check a backup URL: https, no SAS query string (that belongs in the credential)."""
    text = (url or "").strip()
    if not text.lower().startswith("https://"):
        raise ValueError(f"backup URL {text!r} must start with https://")
    if "?" in text:
        raise ValueError("the backup URL must not carry a SAS token; "
                         "put the SAS in the server credential for the container")
    if any(ord(ch) < 32 for ch in text):
        raise ValueError("the backup URL contains control characters")
    return text


def container_of(url: str) -> str:
    """``https://acct.blob.core.windows.net/container/db/file.trn`` -> the container URL."""
    text = backup_url(url)
    scheme_host, _, path = text[len("https://"):].partition("/")
    container = path.split("/", 1)[0]
    if not container:
        raise ValueError(f"{text!r} names no container")
    return f"https://{scheme_host}/{container}"


def _to_urls(url: "str | Sequence[str]") -> str:
    urls = [url] if isinstance(url, str) else list(url)
    if not urls:
        raise ValueError("no backup URL given")
    return ", ".join(f"URL = {quote_string(backup_url(u))}" for u in urls)


def backup_log_tsql(db: str, url: "str | Sequence[str]", tail: bool = False, *,
                    compression: bool = True) -> str:
    """``BACKUP LOG`` to one URL (or several, striped) with CHECKSUM.

    ``tail=True`` is the cutover's tail-log backup: ``NORECOVERY`` leaves the source database
    RESTORING, so no transaction can reach it after the last log is taken. ``compression``
    must be off on Express edition, which cannot compress backups.
    """
    options = ["NORECOVERY"] if tail else []
    if compression:
        options.append("COMPRESSION")
    options += ["CHECKSUM", "STATS = 10"]
    return f"BACKUP LOG {quote_name(db)} TO {_to_urls(url)} WITH {', '.join(options)};"


def backup_full_tsql(db: str, url: "str | Sequence[str]", *, compression: bool = True,
                     copy_only: bool = False) -> str:
    """``BACKUP DATABASE`` (full) to URL with CHECKSUM: the first backup DMS restores."""
    options = ["INIT"]
    if copy_only:
        options.append("COPY_ONLY")
    if compression:
        options.append("COMPRESSION")
    options += ["CHECKSUM", "STATS = 10"]
    return f"BACKUP DATABASE {quote_name(db)} TO {_to_urls(url)} WITH {', '.join(options)};"


SAS_PLACEHOLDER = "<SAS token>"


def create_credential_tsql(container_url: str) -> str:
    """The server credential ``BACKUP ... TO URL`` uses, named after the container URL.

    The secret is always the placeholder ``<SAS token>``: the DBA pastes a SAS (without its
    leading ``?``) with read, write, list and create rights on the container. Any existing
    credential of that name is dropped first so the statement can be rerun.
    """
    container = container_of(container_url.strip().rstrip("/"))
    name = quote_name(container)
    return (
        f"IF EXISTS (SELECT 1 FROM sys.credentials WHERE name = {quote_string(container)})\n"
        f"    DROP CREDENTIAL {name};\n"
        f"CREATE CREDENTIAL {name}\n"
        f"    WITH IDENTITY = 'SHARED ACCESS SIGNATURE',\n"
        f"    SECRET = '{SAS_PLACEHOLDER}';  -- the SAS token, without the leading '?'"
    )


def set_recovery_full_tsql(db: str) -> str:
    """Switch a database to the FULL recovery model (online migrations need it)."""
    return f"ALTER DATABASE {quote_name(db)} SET RECOVERY FULL;"


def set_multi_user_tsql(db: str) -> str:
    return f"ALTER DATABASE {quote_name(db)} SET MULTI_USER;"
