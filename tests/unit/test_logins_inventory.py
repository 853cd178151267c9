"""Reading the source's logins through SqlServerSource, with result sets shaped as SQL Server
2012, 2016 and 2022 return them through pyodbc (sid and hash as bytes, bit as bool)."""

from __future__ import annotations

import pytest

from tests.helpers.source_fakes import FakeOdbc, FakeSqlServer, NoResult, Result, odbc_error
from tui.logins.apply import apply_plan
from tui.logins.endpoint import SqlServerLogins, endpoint_for
from tui.logins.models import Action, LoginKind, Outcome, PlanItem
from tui.logins.plan import make_plan
from tui.models import TargetKind
from tui.source import SqlServerSource

HASH = b"\x02\x00" + bytes(range(68))
SID = bytes(range(16))
LOGIN_COLUMNS = [
    ("name", str),
    ("type", str),
    ("sid", bytes),
    ("is_disabled", bool),
    ("default_database_name", str),
    ("default_language_name", str),
    ("password_hash", bytes),
    ("is_policy_checked", bool),
    ("is_expiration_checked", bool),
]


class LoginServer(FakeSqlServer):
    """A fake server that also answers the login queries and takes CREATE LOGIN."""

    def __init__(self, year: int, **kw):
        super().__init__(year=year, **kw)
        self.statements: list[str] = []
        self.fail_on: dict[str, Exception] = {}
        self.present = [("miadmin", "S", b"\x09" * 16)]

    def answer(self, sql, conn):
        head = sql.lstrip().split(None, 1)[0].upper()
        if head in ("CREATE", "ALTER", "GRANT", "DENY", "USE"):
            self.statements.append(sql)
            for needle, err in self.fail_on.items():
                if needle in sql:
                    raise err
            if head == "CREATE":
                name = sql.split("[", 1)[1].split("]", 1)[0]
                self.present.append((name, "S", SID))
            return [NoResult()]
        return super().answer(sql, conn)

    def _q_logins(self, sql):
        # SQL Server 2012 through a FreeTDS-era driver hands bit columns as 0/1 and binary
        # as bytearray; 2016 and 2022 through ODBC Driver 17/18 as bool and bytes.
        old = self.year == 2012
        bit = (lambda v: int(v)) if old else bool
        binary = bytearray if old else bytes
        rows = [
            (
                "##MS_PolicyEventProcessingLogin##",
                "S",
                binary(SID),
                bit(True),
                "master",
                "us_english",
                binary(HASH),
                bit(True),
                bit(False),
            ),
            (
                "app_sales",
                "S",
                binary(SID),
                bit(False),
                "SalesDB",
                "us_english",
                binary(HASH),
                bit(True),
                bit(False),
            ),
            (
                "CONTOSO\\DBA Team",
                "G",
                binary(b"\x01" * 28),
                bit(False),
                "master",
                None,
                None,
                None,
                None,
            ),
            (
                "CONTOSO\\jdoe",
                "U",
                binary(b"\x02" * 28),
                bit(True),
                "SalesDB",
                "us_english",
                None,
                None,
                None,
            ),
            (
                "NT SERVICE\\SQLSERVERAGENT",
                "U",
                binary(b"\x03" * 28),
                bit(False),
                "master",
                "us_english",
                None,
                None,
                None,
            ),
            (
                "sa",
                "S",
                binary(b"\x01"),
                bit(False),
                "master",
                "us_english",
                binary(HASH),
                bit(True),
                bit(False),
            ),
        ]
        if self.year == 2022:
            rows.append(
                (
                    "##MS_AgentSigningCertificate##",
                    "S",
                    SID,
                    False,
                    "master",
                    "us_english",
                    HASH,
                    True,
                    False,
                )
            )
        return [
            NoResult(),
            Result(LOGIN_COLUMNS, rows),
            Result(
                [("role_name", str), ("member_name", str)],
                [("sysadmin", "CONTOSO\\DBA Team"), ("sysadmin", "sa"), ("bulkadmin", "app_sales")],
            ),
            Result(
                [("grantee", str), ("permission_name", str), ("state_desc", str)],
                [
                    ("app_sales", "CONNECT SQL", "GRANT"),
                    ("app_sales", "VIEW SERVER STATE", "GRANT"),
                    ("CONTOSO\\jdoe", "ALTER ANY LOGIN", "DENY"),
                ],
            ),
        ]

    def _q_present_logins(self, sql):
        return [
            NoResult(),
            Result([("name", str), ("type", str), ("sid", bytes)], list(self.present)),
        ]


def opened(year: int) -> tuple[SqlServerSource, LoginServer]:
    server = LoginServer(year)
    return SqlServerSource("sqlprod01", user="dba", password="pw", _pyodbc=FakeOdbc(server)), server


@pytest.mark.parametrize("year", (2012, 2016, 2022))
def test_inventory_reads_every_login_fact_and_leaves_system_logins_out(year):
    source, _server = opened(year)
    logins = {x.name: x for x in endpoint_for(source).read_logins()}
    assert sorted(logins) == ["CONTOSO\\DBA Team", "CONTOSO\\jdoe", "app_sales"]
    app = logins["app_sales"]
    assert app.kind is LoginKind.SQL and app.sid == SID and app.password_hash == HASH
    assert app.default_database == "SalesDB" and app.check_policy and not app.check_expiration
    assert app.server_roles == ("bulkadmin",)
    # CONNECT SQL comes with CREATE LOGIN itself: not listed to grant again
    assert [(p.name, p.state) for p in app.permissions] == [("VIEW SERVER STATE", "GRANT")]
    jdoe = logins["CONTOSO\\jdoe"]
    assert jdoe.kind is LoginKind.WINDOWS_USER and jdoe.disabled and jdoe.password_hash is None
    assert [(p.name, p.state) for p in jdoe.permissions] == [("ALTER ANY LOGIN", "DENY")]
    assert logins["CONTOSO\\DBA Team"].server_roles == ("sysadmin",)


def test_the_hash_is_never_in_a_repr():
    source, _ = opened(2022)
    login = next(x for x in endpoint_for(source).read_logins() if x.name == "app_sales")
    assert HASH.hex() not in repr(login).lower()
    assert "password_hash" not in repr(login)


def test_apply_on_a_real_server_runs_one_create_per_login_then_its_grants():
    source, server = opened(2022)
    target, tserver = opened(2022)
    plan = make_plan(
        endpoint_for(source).read_logins(),
        endpoint_for(target).present_logins(),
        TargetKind.SQL_VM,
        target_databases=["SalesDB"],
    )
    results = apply_plan(SqlServerLogins(target), [i for i in plan if i.selectable])
    creates = [s for s in tserver.statements if s.startswith("CREATE LOGIN")]
    assert len(creates) == 3  # app_sales, the group and jdoe; each once
    assert all(r.outcome is Outcome.CREATED for r in results)
    assert "ALTER SERVER ROLE [bulkadmin] ADD MEMBER [app_sales];" in tserver.statements
    assert "DENY ALTER ANY LOGIN TO [CONTOSO\\jdoe];" in tserver.statements
    assert "ALTER LOGIN [CONTOSO\\jdoe] DISABLE;" in tserver.statements
    assert "CREATE LOGIN [CONTOSO\\jdoe] FROM WINDOWS WITH DEFAULT_DATABASE = [SalesDB]" in (
        "\n".join(creates)
    )


def test_a_failed_create_is_reported_with_its_number_and_nothing_is_resent():
    source, _ = opened(2022)
    target, tserver = opened(2022)
    tserver.fail_on["[app_sales]"] = odbc_error(
        "42000", "The server principal 'app_sales' already exists.", 15025
    )
    item = next(
        i
        for i in make_plan(endpoint_for(source).read_logins(), [], TargetKind.SQL_VM)
        if i.login.name == "app_sales"
    )
    (result,) = apply_plan(SqlServerLogins(target), [item])
    assert result.outcome is Outcome.FAILED
    assert "15025" in result.code and "already exists" in result.message
    assert sum(s.startswith("CREATE LOGIN [app_sales]") for s in tserver.statements) == 1


def test_a_lost_answer_to_create_is_reported_as_what_the_target_holds():
    source, _ = opened(2022)
    target, tserver = opened(2022)

    original = tserver.answer

    def answer(sql, conn):
        result = original(sql, conn)
        if sql.startswith("CREATE LOGIN"):
            raise odbc_error("08S01", "Communication link failure", 10054)
        return result

    tserver.answer = answer  # type: ignore[method-assign]
    item = next(
        i
        for i in make_plan(endpoint_for(source).read_logins(), [], TargetKind.SQL_VM)
        if i.login.name == "app_sales"
    )
    assert isinstance(item, PlanItem) and item.action is Action.CREATE
    (result,) = apply_plan(SqlServerLogins(target), [item])
    assert result.outcome is Outcome.CREATED
    assert "answer was an error" in result.message and "on the target now" in result.message
    assert sum(s.startswith("CREATE LOGIN") for s in tserver.statements) == 1
