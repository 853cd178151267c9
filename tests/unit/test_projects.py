"""Saved projects: resumable, atomic, and never holding a secret."""

import pytest

from tui.errors import DmsTuiError
from tui.projects import Project, list_projects, load_project, save_project, validate_name


def test_save_and_load_keep_every_choice(dms_home):
    p = Project(
        name="payroll",
        step=6,
        subscription_id="s",
        resource_group="rg",
        databases=["Payroll", "HR"],
        source={"server": "sql01", "port": 1433},
        settings={"mode": "online", "names": {"Payroll": "Payroll"}},
        migration_ids=["/x/y"],
    )
    path = save_project(p)
    assert path.parent == dms_home / "projects"
    loaded = load_project("payroll")
    assert loaded.step == 6 and loaded.databases == ["Payroll", "HR"]
    assert loaded.settings.mode == "online" and loaded.source.server == "sql01"
    assert loaded.settings.extra["names"] == {"Payroll": "Payroll"}  # unknown: kept
    assert [x.name for x in list_projects()] == ["payroll"]


def test_secrets_are_stripped_wherever_they_sit(dms_home):
    p = Project(
        name="p1",
        source={"server": "s", "password": "Hunter2!"},
        settings={
            "blob": {"account_key": "KEY==", "container": "c"},
            "share": {"password": "SharePass"},
        },
    )
    save_project(p)
    text = (dms_home / "projects" / "p1.toml").read_text()
    for secret in ("Hunter2!", "KEY==", "SharePass"):
        assert secret not in text
    assert "container" in text


def test_bad_names_are_explained():
    assert "Project name" in validate_name("")
    assert "letters, digits" in validate_name("../evil")
    assert validate_name("payroll-2026") is None
    with pytest.raises(DmsTuiError):
        save_project(Project(name="a b"))


def test_missing_project_names_the_folder(dms_home):
    with pytest.raises(DmsTuiError) as info:
        load_project("nope")
    assert info.value.code == "ProjectNotFound"
    assert str(dms_home) in info.value.hint


def test_corrupt_file_is_reported_not_crashing(dms_home):
    (dms_home / "projects").mkdir(parents=True)
    (dms_home / "projects" / "bad.toml").write_text("step = [")
    with pytest.raises(DmsTuiError, match="can't be used: it is not valid TOML"):
        load_project("bad")
    assert list_projects() == []
