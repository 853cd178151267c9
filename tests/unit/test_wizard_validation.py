"""The wizard's field rules and the specs it builds, without Textual."""

from __future__ import annotations

import pytest

from tests.helpers.wizard_state import state
from tui import validation as v
from tui.models import TargetKind
from tui.wizard_state import step_label


@pytest.mark.parametrize(
    "name,ok",
    [
        ("dms-1", True),
        ("Dms_prod", True),
        ("1dms", False),
        ("dm", False),
        ("dms payroll", False),
        ("dms.prod", False),
        ("d" * 64, False),
        ("", False),
    ],
)
def test_dms_names(name, ok):
    assert (v.dms_name(name) is None) is ok
    if not ok:
        assert v.dms_name(name).startswith("DMS name:")


def test_server_port_and_login_messages_name_the_field():
    assert v.server("").startswith("Server:")
    assert v.server("sql01.contoso.com") is None and v.server("10.0.0.4\\PROD") is None
    assert v.port("0").startswith("Port:") and v.port("1433") is None
    assert v.login("sql", "", "x").startswith("User:")
    assert v.login("sql", "sa", "").startswith("Password:")
    assert "domain" in v.login("windows", "svc", "pw")
    assert v.login("entra", "", "") is None


@pytest.mark.parametrize(
    "text",
    [
        "²",
        "①",
        "1433²",
        "١٤٣٣",
        "１４３３",
        "14 33",
        "-1",
        "+1433",
        "0x599",
        "1e3",
        "65536",
        "0",
        "",
        "   ",
    ],
)
def test_a_port_takes_the_ascii_digits_only(text):
    message = v.port(text)
    assert message is not None and message.startswith("Port:") and "0-9" in message
    assert v.ascii_number(text) is None or not 1 <= v.ascii_number(text) <= 65535


@pytest.mark.parametrize("text,number", [("1433", 1433), (" 1 ", 1), ("65535", 65535)])
def test_a_good_port_passes(text, number):
    assert v.port(text) is None and v.ascii_number(text) == number


def test_a_server_with_a_port_takes_ascii_digits_only():
    assert v.server("sql01,1433") is None
    assert v.server("sql01,١٤٣٣").startswith("Server:")


def test_names_and_paths_refuse_control_characters():
    assert "U+000A" in v.login("sql", "sa\nx", "pw") and v.login("sql", "sa\nx", "pw").startswith(
        "User:"
    )
    assert "NUL" in v.database_name("Sales\0") and v.database_name("a\x1bb").startswith("Target")
    assert "U+000A" in v.share_path("\\\\fs01\\sql\nSHUTDOWN")


def test_target_names_free_for_mi_existing_for_sqldb():
    assert "already exists" in v.target_names({"a": "Sales"}, ["sales"])
    assert "used for both" in v.target_names({"a": "X", "b": "x"}, [])
    assert v.target_names({"a": "New"}, ["Sales"]) is None
    assert "no database of that name" in v.target_names({"a": "New"}, ["Sales"], must_exist=True)
    assert v.target_names({"a": "Sales"}, ["Sales"], must_exist=True) is None
    assert "brackets" in v.target_names({"a": "bad]name"}, [])


def test_container_and_share_rules():
    assert "backup" in v.container("sqlbackups")
    assert v.container("sqlmigration") is None
    assert v.share_path("\\\\fs01\\sql\\payroll") is None
    assert v.share_path("fs01/sql").startswith("Share:")


def test_blob_specs_one_per_database_with_a_folder_each():
    specs = state().build_specs(account_key="key==")
    assert [(s.source_database, s.target_database, s.blob.folder) for s in specs] == [
        ("Sales", "Sales", "Sales"),
        ("HR", "HR_new", "HR"),
    ]
    assert all(s.online and s.blob.account_key == "key==" for s in specs)
    assert specs[0].source.password == "pw-123" and "pw-123" not in repr(specs[0])


def test_offline_needs_a_last_backup_per_database():
    s = state(mode="offline", last_backup={"Sales": "Sales_log_9.trn"})
    assert any("Last backup file for HR" in p for p in s.problems())
    s.settings.last_backup["HR"] = "HR_full.bak"
    assert s.problems() == []
    assert [x.last_backup_name for x in s.build_specs("k")] == ["Sales_log_9.trn", "HR_full.bak"]


def test_sqldb_specs_are_offline_with_tables():
    s = state(tables={"Sales": ["dbo.Orders"]}, target_user="sqladmin")
    s.project.target_kind = "SqlDb"
    s.secrets.target_password = "tgt-pw"
    specs = s.build_specs()
    assert s.kind == TargetKind.SQL_DB
    assert [x.online for x in specs] == [False, False]
    assert specs[0].tables == ("dbo.Orders",) and specs[1].tables == ()
    assert specs[0].target_sql.password == "tgt-pw"


def test_missing_secrets_after_resume():
    s = state(backup="share", share_path="\\\\fs\\s")
    s.secrets.source_password = ""
    assert s.missing_secrets(4) == []
    assert s.missing_secrets(6) == ["source_password"]
    assert s.missing_secrets(8) == ["source_password", "share_password"]


def test_entra_source_is_refused_for_dms():
    s = state()
    s.project.source.authentication = "entra"
    assert any("Microsoft Entra" in p for p in s.problems())


def test_step_labels():
    assert step_label(4) == "4/9 Source" and step_label(9) == "9/9 Run"
