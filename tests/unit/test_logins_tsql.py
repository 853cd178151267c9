"""The T-SQL written for each kind of login, with hostile names kept as names."""

from __future__ import annotations

import pytest

from tui.logins import tsql
from tui.logins.models import Action, LoginKind, Permission, PlanItem, SourceLogin
from tui.source.quote import UnsafeSqlText

HASH = b"\x02\x00" + b"\xab" * 68
SID = bytes.fromhex("00112233445566778899AABBCCDDEEFF")


def item(name="app", kind=LoginKind.SQL, **kw) -> PlanItem:
    target = kw.pop("target_name", name)
    external = kw.pop("external", False)
    default_db = kw.pop("default_database", "master")
    login = SourceLogin(
        name=name,
        kind=kind,
        sid=SID,
        password_hash=HASH if kind is LoginKind.SQL else None,
        **kw,
    )
    return PlanItem(
        login, Action.CREATE, target, "create", default_database=default_db, external=external
    )


def test_sql_login_keeps_sid_hash_policy_and_defaults():
    sql = tsql.create_login(
        item(
            default_language="Deutsch",
            check_policy=True,
            check_expiration=True,
            default_database="SalesDB",
        )
    )
    assert sql == (
        "CREATE LOGIN [app] WITH PASSWORD = 0x0200" + "AB" * 68 + " HASHED, "
        "SID = 0x00112233445566778899AABBCCDDEEFF, DEFAULT_DATABASE = [SalesDB], "
        "DEFAULT_LANGUAGE = [Deutsch], CHECK_POLICY = ON, CHECK_EXPIRATION = ON;"
    )


def test_the_shown_statement_never_holds_the_hash():
    shown = tsql.create_login(item(), hide_hash=True)
    assert "AB" * 8 not in shown and tsql.HASH_HIDDEN in shown


def test_windows_login_on_a_vm_and_entra_on_a_managed_instance():
    vm = tsql.create_login(item("CONTOSO\\jdoe", LoginKind.WINDOWS_USER))
    assert vm == "CREATE LOGIN [CONTOSO\\jdoe] FROM WINDOWS WITH DEFAULT_DATABASE = [master];"
    mi = tsql.create_login(
        item("CONTOSO\\jdoe", LoginKind.WINDOWS_USER, target_name="jdoe@contoso.com", external=True)
    )
    assert mi == "CREATE LOGIN [jdoe@contoso.com] FROM EXTERNAL PROVIDER;"
    group = tsql.create_login(
        item("CONTOSO\\DBA Team", LoginKind.WINDOWS_GROUP, target_name="DBA Team", external=True)
    )
    assert group == "CREATE LOGIN [DBA Team] FROM EXTERNAL PROVIDER;"


def test_roles_permissions_and_disabled_follow_the_create():
    it = item(
        server_roles=("sysadmin",),
        permissions=(
            Permission("VIEW SERVER STATE"),
            Permission("ALTER ANY LOGIN", "DENY"),
            Permission("VIEW ANY DATABASE", "GRANT_WITH_GRANT_OPTION"),
        ),
        disabled=True,
    )
    assert tsql.grants(it) == [
        "ALTER SERVER ROLE [sysadmin] ADD MEMBER [app];",
        "GRANT VIEW SERVER STATE TO [app];",
        "DENY ALTER ANY LOGIN TO [app];",
        "GRANT VIEW ANY DATABASE TO [app] WITH GRANT OPTION;",
        "ALTER LOGIN [app] DISABLE;",
    ]


HOSTILE = [
    "o'brien",
    "x]; DROP LOGIN sa; --",
    "a/*b*/c",
    "semi;colon",
    "q" * 128,
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_names_everywhere(name):
    it = item(name, server_roles=("odd]role",), default_database="db'; --")
    quoted = "[" + name.replace("]", "]]") + "]"
    create = tsql.create_login(it)
    assert create.startswith(f"CREATE LOGIN {quoted} WITH ")
    assert "DEFAULT_DATABASE = [db'; --]" in create
    assert tsql.grants(it)[0] == f"ALTER SERVER ROLE [odd]]role] ADD MEMBER {quoted};"
    mapped = tsql.map_user_tsql("Sales]DB", name, name)
    assert mapped == f"USE [Sales]]DB];\nALTER USER {quoted} WITH LOGIN = {quoted};"
    script = tsql.script([it], "src", "dst")
    assert "WHERE name = N'" + name.replace("'", "''") + "'" in script


@pytest.mark.parametrize("name", ["nul\0here", "q" * 129, ""])
def test_names_that_cannot_be_written_are_refused(name):
    with pytest.raises(UnsafeSqlText):
        tsql.create_login(item(name))


def test_a_permission_name_that_is_not_words_is_refused():
    it = item(permissions=(Permission("VIEW SERVER STATE; DROP LOGIN sa"),))
    with pytest.raises(ValueError):
        tsql.grants(it)


def test_the_script_creates_only_when_absent_and_holds_the_hash():
    script = tsql.script([item()], "sqlprod01", "sqlmi")
    assert "IF NOT EXISTS (SELECT 1 FROM sys.server_principals WHERE name = N'app')" in script
    assert "0x0200" + "AB" * 68 in script
    assert "DROP" not in script
