"""Every T-SQL builder, fed hostile names: the statement keeps them inside ``[...]`` or
``N'...'``, and names SQL Server cannot hold are refused with a message that says why.

A small T-SQL tokenizer reads each statement the way the server's parser would split it
into bracketed identifiers, string literals, comments and code: a name that escapes its
quotes shows up as code or a comment, and the test fails.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest

from tests.helpers.source_fakes import db
from tui import log_backup
from tui.models import (
    BlobBackupSource,
    DatabaseFile,
    ServerInfo,
    ShareBackupSource,
    TargetKind,
)
from tui.source import quote, rules, tsql
from tui.source.errors import SourceError
from tui.source.server import _explain_backup_error

HOSTILE = [
    "x'; SHUTDOWN WITH NOWAIT; --",
    "a]; DROP DATABASE [b",
    "]]'[",
    "db /* open comment",
    "db */ SHUTDOWN; /*",
    "-- leading comment",
    "semi;colon",
    "Ünïcødé 数据库 ⚙",
    "emoji 🚀 name",
    "]" * 128,  # the longest name: every character needs doubling
    "'" * 128,
    "🚀" * 64,  # 64 characters, 128 UTF-16 code units: the limit
]
REFUSED = [
    ("a\0b", "NUL"),
    ("line\nbreak", "U+000A"),
    ("esc\x1b[2J", "U+001B"),
    ("del\x7f", "U+007F"),
    ("x" * 129, "128"),
    ("🚀" * 65, "128"),  # 65 characters but 130 UTF-16 code units
    ("", "empty"),
]
URL = "https://acct.blob.core.windows.net/migrations/{}/f.trn"


def tokens(sql: str) -> list[tuple[str, str]]:
    """``sql`` as (kind, text): ``ident`` and ``string`` decoded, ``comment``, ``code``."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(sql)
    while i < n:
        if sql[i] == "[" or sql.startswith("N'", i) or sql[i] == "'":
            kind, close = ("ident", "]") if sql[i] == "[" else ("string", "'")
            i += 2 if sql.startswith("N'", i) else 1
            buf = []
            while True:
                assert i < n, f"unterminated {kind} in {sql!r}"
                if sql[i] == close:
                    if i + 1 < n and sql[i + 1] == close:
                        buf.append(close)
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(sql[i])
                i += 1
            out.append((kind, "".join(buf)))
        elif sql.startswith("--", i) or sql.startswith("/*", i):
            end = sql.find("\n" if sql[i] == "-" else "*/", i)
            end = n if end < 0 else end + (0 if sql[i] == "-" else 2)
            out.append(("comment", sql[i:end]))
            i = end
        else:
            out.append(("code", sql[i]))
            i += 1
    return out


def code_of(sql: str) -> str:
    return "".join(text for kind, text in tokens(sql) if kind == "code")


def assert_contained(sql: str, name: str, *, statements: int = 1, comments: int = 0) -> None:
    """``name`` is one identifier or literal of ``sql``; nothing of it leaked into code."""
    toks = tokens(sql)
    assert any(kind in ("ident", "string") and name in text for kind, text in toks), sql
    assert sum(1 for kind, _ in toks if kind == "comment") == comments, sql
    code = code_of(sql)
    assert code.count(";") == statements, code
    assert "SHUTDOWN" not in code and "DROP DATABASE" not in code, code


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize("name", HOSTILE)
def test_quote_name_round_trips_every_hostile_name(name):
    quoted = quote.quote_name(name)
    assert tokens(quoted) == [("ident", name)]
    assert quote.split_table_name(quoted + "." + quoted) == (name, name)


@pytest.mark.parametrize("name", HOSTILE)
def test_quote_string_round_trips_every_hostile_value(name):
    quoted = quote.quote_string(name)
    assert quoted.startswith("N'") and tokens(quoted) == [("string", name)]


@pytest.mark.parametrize("name,why", REFUSED)
def test_names_sql_server_cannot_hold_are_refused_with_the_reason(name, why):
    with pytest.raises(quote.UnsafeSqlText) as info:
        quote.quote_name(name, "database name")
    err = info.value
    assert isinstance(err, ValueError)  # callers that catch ValueError keep working
    assert "database name" in err.message and why in err.message
    assert "\0" not in err.full_text and "\x1b" not in err.full_text  # shown escaped


def test_a_literal_refuses_nul_but_keeps_line_breaks():
    assert tokens(quote.quote_string("a\nb")) == [("string", "a\nb")]
    with pytest.raises(quote.UnsafeSqlText, match="NUL"):
        quote.quote_string("a\0b", "backup URL")


# --------------------------------------------------------------------------- the builders


@pytest.mark.parametrize("name", HOSTILE)
def test_backup_statements_keep_the_name_and_the_url_quoted(name):
    url = URL.format("x'; SHUTDOWN; --")
    for sql in (
        tsql.backup_log_tsql(name, url),
        tsql.backup_log_tsql(name, url, tail=True),
        tsql.backup_full_tsql(name, [url, url + "2"]),
        log_backup.statement(name, url, tail=True),
    ):
        assert_contained(sql, name)
        assert ("string", url) in tokens(sql)


@pytest.mark.parametrize("name", HOSTILE)
def test_log_backup_to_an_smb_share_escapes_the_path(name):
    share = "\\\\fs01\\it's; SHUTDOWN --\\" + "x.trn"
    sql = log_backup.statement(name, share, tail=True)
    assert sql.startswith("BACKUP LOG [") and " TO DISK = N'" in sql
    assert_contained(sql, name)
    assert ("string", share) in tokens(sql)
    assert "NORECOVERY" in code_of(sql)


def test_the_issue_example_database_name_yields_one_harmless_statement():
    location = ShareBackupSource(path="\\\\fs01\\sqlbackups\\payroll")
    name = "x'; SHUTDOWN WITH NOWAIT; --"
    url = log_backup.backup_url(location, name, f"{name}_tail_20260102_030405.trn")
    sql = log_backup.statement(name, url, tail=True)
    assert sql == (
        "BACKUP LOG [x'; SHUTDOWN WITH NOWAIT; --] TO DISK = "
        "N'\\\\fs01\\sqlbackups\\payroll\\x''; SHUTDOWN WITH NOWAIT; "
        "--_tail_20260102_030405.trn' WITH NORECOVERY, COMPRESSION, CHECKSUM, "
        "STATS = 10;"
    )
    assert_contained(sql, name)


def test_blob_backup_url_of_a_hostile_database_stays_a_literal():
    location = BlobBackupSource(
        storage_account_id="/subscriptions/s/resourceGroups/r/providers/"
        "Microsoft.Storage/storageAccounts/acct",
        container="mig",
    )
    name = "x'; SHUTDOWN WITH NOWAIT; --"
    url = log_backup.backup_url(
        location, name, log_backup.new_file_name(name, datetime(2026, 1, 2, 3, 4, 5))
    )
    assert_contained(log_backup.statement(name, url), name)


@pytest.mark.parametrize("name", HOSTILE)
def test_alter_database_fixes_and_row_counts(name):
    for sql in (
        tsql.set_recovery_full_tsql(name),
        tsql.set_multi_user_tsql(name),
        tsql.row_counts_tsql(name),
        tsql.row_counts_tsql(name, metadata_only=True),
    ):
        assert_contained(sql, name)


@pytest.mark.parametrize("name", HOSTILE)
def test_exact_counts_quote_names_twice_over(name):
    sql = tsql.exact_counts_tsql(name, [(name, name), ("dbo", "t")])
    assert_contained(sql, name)
    inner = next(text for kind, text in tokens(sql) if kind == "string")
    # the statement run inside the database: its own names quoted again, one comment (the tag)
    assert_contained(inner, name, comments=1)
    assert code_of(inner).count("COUNT_BIG(*)") == 2
    assert [t for k, t in tokens(inner) if k == "ident"].count(name) == 2


def test_credential_statement_quotes_a_hostile_container():
    url = "https://acct.blob.core.windows.net/it's]; SHUTDOWN --/db/f.trn"
    sql = tsql.create_credential_tsql(url)
    container = "https://acct.blob.core.windows.net/it's]; SHUTDOWN --"
    toks = tokens(sql)
    assert ("ident", container) in toks and ("string", container) in toks
    assert "SHUTDOWN" not in code_of(sql)


@pytest.mark.parametrize("name,why", REFUSED[:-1])
def test_every_builder_refuses_what_cannot_be_quoted(name, why):
    url = URL.format("db")
    builders = [
        lambda: tsql.backup_log_tsql(name, url),
        lambda: tsql.backup_full_tsql(name, url),
        lambda: log_backup.statement(name, url),
        lambda: log_backup.statement(name, "\\\\f\\s\\x"),
        lambda: tsql.set_recovery_full_tsql(name),
        lambda: tsql.set_multi_user_tsql(name),
        lambda: tsql.row_counts_tsql(name),
        lambda: tsql.exact_counts_tsql("db", [(name, "t")]),
    ]
    for build in builders:
        with pytest.raises(ValueError, match=re.escape(why)):
            build()


def test_a_backup_path_or_url_with_control_characters_is_refused():
    with pytest.raises(ValueError, match="control"):
        log_backup.statement("db", "\\\\fs01\\share\\x.trn\nSHUTDOWN")
    with pytest.raises(ValueError, match="control"):
        log_backup.statement("db", URL.format("a\0b"))


# --------------------------------------------------------------------------- text the DBA reads


SERVER = ServerInfo(server="sqlprod01", version="16.0.4135.4", major_version=16)


@pytest.mark.parametrize("name", HOSTILE)
def test_readiness_fixes_only_show_the_name_quoted(name):
    sick = replace(
        db(name, 7),
        state="OFFLINE",
        recovery_model="SIMPLE",
        is_read_only=True,
        user_access="SINGLE_USER",
        last_full=None,
        files=(
            DatabaseFile(name, "ROWS", 10.0, "PRIMARY", "FG"),
            DatabaseFile("l1", "LOG", 1.0),
            DatabaseFile("l2", "LOG", 1.0),
        ),
    )
    found = rules.assess(SERVER, sick, TargetKind.SQL_MI)
    ids = {f.rule_id for f in found}
    assert {
        "database-state",
        "read-only",
        "user-access",
        "recovery-model",
        "no-full-backup",
        "multiple-log-files",
    } <= ids
    quoted = quote.quote_name(name)
    for f in found:
        if quoted in f.fix:
            assert name not in f.fix.replace(quoted, ""), (f.rule_id, f.fix)


@pytest.mark.parametrize("name,why", REFUSED[:-1])
def test_a_database_whose_name_cannot_be_quoted_is_one_blocker_not_a_crash(name, why):
    found = rules.assess(SERVER, db(name, 7), TargetKind.SQL_MI)
    assert [f.rule_id for f in found] == ["database-name"]
    assert why in found[0].message and "Rename" in found[0].fix


@pytest.mark.parametrize("code", [3101, 4208])
def test_backup_failure_hints_quote_the_name(code):
    name = "x'; SHUTDOWN WITH NOWAIT; --"
    err = _explain_backup_error(
        SourceError("failed", native_code=code), name, URL.format("db"), "tail-log"
    )
    quoted = quote.quote_name(name)
    assert quoted in err.hint and name not in err.hint.replace(quoted, "")


def test_the_sandbox_shows_the_same_escaped_statement(sandbox):
    from tui.sandbox.sqlserver import SimDatabase

    name = "x'; SHUTDOWN WITH NOWAIT; --"
    src = sandbox.sql_server(sandbox.source_address)
    sim = src.add(SimDatabase(name=name, database_id=src.next_database_id()))
    sim.record_full(URL.format("db"), 0.0, duration=1.0)
    share = "\\\\fs01\\it's\\x.trn"
    result = src.backup_log(name, share, tail=True)
    assert result.statement == log_backup.statement(name, share, tail=True)
    assert_contained(result.statement, name)
