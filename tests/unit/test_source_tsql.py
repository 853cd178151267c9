"""The T-SQL the app runs or shows: quoting, backups, credential, named queries."""

from __future__ import annotations

import re

import pytest

from tui.source import tsql

URL = "https://acct.blob.core.windows.net/migrations/Sales/Sales_log_001.trn"


def test_quote_name_doubles_closing_brackets():
    assert tsql.quote_name("Sales") == "[Sales]"
    assert tsql.quote_name("a]b[c") == "[a]]b[c]"
    with pytest.raises(ValueError):
        tsql.quote_name("")
    with pytest.raises(ValueError):
        tsql.quote_name("x" * 129)


def test_quote_string_doubles_quotes():
    assert tsql.quote_string("O'Brien") == "N'O''Brien'"


def test_table_names():
    assert tsql.split_table_name("Orders") == ("dbo", "Orders")
    assert tsql.split_table_name("sales.Orders") == ("sales", "Orders")
    assert tsql.split_table_name("[my.schema].[odd]]name]") == ("my.schema", "odd]name")
    assert tsql.quote_table("[my.schema].[odd]]name]") == "[my.schema].[odd]]name]"
    with pytest.raises(ValueError):
        tsql.split_table_name("a.b.c")


def test_backup_log_statement():
    assert tsql.backup_log_tsql("Sales", URL) == (
        f"BACKUP LOG [Sales] TO URL = N'{URL}' WITH COMPRESSION, CHECKSUM, STATS = 10;"
    )


def test_tail_log_statement_uses_norecovery():
    text = tsql.backup_log_tsql("Sales", URL, tail=True)
    assert text.startswith("BACKUP LOG [Sales] TO URL")
    assert "WITH NORECOVERY, COMPRESSION, CHECKSUM" in text


def test_backup_quotes_database_and_url():
    text = tsql.backup_log_tsql("we]ird", "https://a.blob.core.windows.net/c/it's/x.trn")
    assert text.startswith(
        "BACKUP LOG [we]]ird] TO URL = N'https://a.blob.core.windows.net/c/it''s/x.trn'"
    )


def test_striped_full_backup():
    text = tsql.backup_full_tsql("Sales", [URL + ".1", URL + ".2"])
    assert f"TO URL = N'{URL}.1', URL = N'{URL}.2' WITH INIT, COMPRESSION, CHECKSUM" in text


@pytest.mark.parametrize(
    "bad",
    [
        "http://acct/x.trn",
        "C:\\backup\\x.trn",
        URL + "?sv=2024-01-01&sig=secret",
        "https://a/b\n; DROP",
    ],
)
def test_backup_url_is_checked(bad):
    with pytest.raises(ValueError):
        tsql.backup_log_tsql("Sales", bad)


def test_create_credential_shows_a_placeholder_never_a_sas():
    text = tsql.create_credential_tsql(URL)
    assert "CREATE CREDENTIAL [https://acct.blob.core.windows.net/migrations]" in text
    assert "IDENTITY = 'SHARED ACCESS SIGNATURE'" in text
    assert "SECRET = '<SAS token>'" in text
    assert tsql.create_credential_tsql("https://acct.blob.core.windows.net/migrations/") == text
    with pytest.raises(ValueError):
        tsql.create_credential_tsql("https://acct.blob.core.windows.net/migrations?sig=real")


def test_row_count_statements_run_inside_the_database():
    text = tsql.row_counts_tsql("we]ird")
    assert text.startswith("EXEC [we]]ird].sys.sp_executesql N'-- dms-tui:row_counts")
    assert "sys.dm_db_partition_stats" in text and "index_id IN (0, 1)" in text
    assert "sys.partitions" in tsql.row_counts_tsql("x", metadata_only=True)


def test_exact_counts_quote_every_name():
    text = tsql.exact_counts_tsql("Sales", [("dbo", "O'rders"), ("s]x", "t")])
    inner = text.split("sp_executesql N'", 1)[1].rsplit("';", 1)[0].replace("''", "'")
    assert "FROM [dbo].[O'rders]" in inner and "FROM [s]]x].[t]" in inner
    assert inner.count("COUNT_BIG(*)") == 2 and "UNION ALL" in inner


QUERIES = ["SERVER_INFO", "DATABASES", "BACKUP_HISTORY", "ROW_COUNTS", "ROW_COUNTS_METADATA"]


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_is_tagged_and_documented(name):
    text = getattr(tsql, name)
    assert text.startswith(f"-- dms-tui:{name.lower()}")
    source = open(tsql.__file__, encoding="utf-8").read()
    assert re.search(rf"# {name} ->", source), f"{name} lacks its comment"


def test_inventory_queries_stay_valid_on_sql_server_2008():
    # columns 2012+ only are read through dynamic SQL behind COL_LENGTH checks
    static = re.sub(r"N'(?:[^']|'')*'", "", tsql.DATABASES)
    assert "containment_desc" not in static.replace("'containment_desc'", "")
    assert "is_filetable" not in static.replace("'is_filetable'", "")
    for text in QUERIES:
        body = getattr(tsql, text)
        assert "STRING_AGG" not in body and "dm_os_host_info" not in body


def test_backup_history_keeps_to_the_current_recovery_fork():
    q = tsql.BACKUP_HISTORY
    assert "sys.database_recovery_status" in q
    assert "b.last_recovery_fork_guid = f.recovery_fork_guid" in q
    assert "b.database_guid = f.database_guid" in q
    assert "mf.mirror = 0" in q
