"""Project files on disk: damaged ones reported (never raised through), names that stay in
the projects folder, one writer at a time, migration ids merged, private modes, temp files
of interrupted saves cleaned."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tests.helpers.other_instance import OtherInstance
from tests.helpers.project_files import DAMAGED, write
from tui.errors import DmsTuiError
from tui.projects import (
    Project,
    ProjectExists,
    ProjectLocked,
    clean_temp_files,
    delete_project,
    holder_of,
    list_projects,
    load_project,
    lock_project,
    project_path,
    projects_dir,
    save_project,
    scan_projects,
    validate_name,
)


# file content → words the reason must hold
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- damaged files


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_file_is_listed_with_reason_and_path_and_the_others_load(case):
    save_project(Project(name="payroll", step=4))
    data, reason = DAMAGED[case]
    path = write(case, data)
    entries = scan_projects()
    damaged = [e for e in entries if e.project is None]
    assert [e.path for e in damaged] == [path]
    assert reason in damaged[0].problem
    assert [p.name for p in list_projects()] == ["payroll"]
    assert load_project("payroll").step == 4
    with pytest.raises(DmsTuiError) as info:
        load_project(case)
    assert info.value.code == "ProjectDamaged"
    assert str(path) in str(info.value) and reason in str(info.value)


def test_nested_settings_of_the_wrong_type_are_damage_too():
    write("p", b'name = "p"\n[settings]\nlast_backup = 5\n')
    [entry] = scan_projects()
    assert entry.project is None
    assert "settings.last_backup should be a table" in entry.problem


def test_a_step_out_of_range_is_damage_not_a_silent_reset():
    write("p", b'name = "p"\nstep = 42\n')
    [entry] = scan_projects()
    assert "step should be 1 to 9, not 42" in entry.problem


def test_an_unreadable_file_is_listed_as_damaged():
    path = write("locked-out", b'name = "locked-out"\n')
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make it a folder instead
        path.chmod(0o600)
        path.unlink()
        path.mkdir()
    [entry] = scan_projects()
    assert entry.project is None and "can't be read" in entry.problem


def test_a_copy_of_a_project_is_shown_once_with_a_note():
    save_project(Project(name="payroll", step=5, migration_ids=["/m/1"]))
    copy = projects_dir() / "payroll-copy.toml"
    copy.write_bytes(project_path("payroll").read_bytes())
    entries = scan_projects()
    assert [e.name for e in entries] == ["payroll"]
    assert any("payroll-copy.toml" in note for note in entries[0].notes)
    with pytest.raises(DmsTuiError, match="rename the file to payroll.toml"):
        load_project("payroll-copy")


def test_unknown_keys_from_a_newer_version_are_kept_out_not_fatal():
    write("p", b'name = "p"\nstep = 2\nfuture_field = "x"\n')
    assert load_project("p").step == 2


# ---------------------------------------------------------------- names and paths


def test_names_are_matched_whole_and_control_characters_refused():
    assert validate_name("payroll") is None
    for bad in ("payroll\n", "pay\x00roll", "pay\troll"):
        message = validate_name(bad)
        assert message.startswith("Project name:") and "control character" in message
    for bad in ("../outside", "a/b", ".hidden", "a" * 65):
        assert "Project name: use letters" in validate_name(bad)


def test_a_name_never_reaches_outside_the_projects_folder(dms_home):
    save_project(Project(name="inside"))
    outside = dms_home / "outside.toml"
    outside.write_text('name = "outside"\nstep = 9\nmigration_ids = ["/secret/id"]\n')
    for name in ("../outside", "..", "../../etc/passwd", "inside/../../outside"):
        with pytest.raises(DmsTuiError) as info:
            load_project(name)
        assert info.value.code == "InvalidProjectName"
        with pytest.raises(DmsTuiError):
            delete_project(name)
    assert outside.exists() and project_path("inside").exists()


def test_the_command_line_refuses_a_project_outside_the_folder(dms_home, capsys):
    from tui.cli import main

    (dms_home / "outside.toml").parent.mkdir(parents=True, exist_ok=True)
    (dms_home / "outside.toml").write_text('name = "outside"\n')
    assert main(["--sandbox", "--project", "../outside"]) == 2
    assert "--project: Project name: use letters" in capsys.readouterr().err


def test_delete_removes_only_that_project():
    save_project(Project(name="a"))
    save_project(Project(name="b"))
    delete_project("a")
    assert [p.name for p in list_projects()] == ["b"]


# ---------------------------------------------------------------- one writer, merged ids


def test_two_lock_holders_exclude_each_other_and_say_who():
    save_project(Project(name="payroll"))
    first = lock_project("payroll")
    with pytest.raises(ProjectLocked) as info:
        lock_project("payroll")  # a second hold, even in this process
    holder = info.value.holder
    assert holder.pid == os.getpid() and holder.user and holder.host
    assert f"process {os.getpid()}" in str(info.value)
    assert holder_of("payroll", project_path("payroll")) == holder
    with pytest.raises(ProjectLocked):  # nor can anyone write without the lock
        save_project(Project(name="payroll", step=5))
    assert load_project("payroll").step == 1
    first.release()
    assert holder_of("payroll", project_path("payroll")) is None
    lock_project("payroll").release()


def test_a_lock_held_by_another_process_names_it_and_dies_with_it(dms_home):
    save_project(Project(name="payroll"))
    with OtherInstance("payroll", dms_home) as other:
        with pytest.raises(ProjectLocked) as info:
            lock_project("payroll")
        assert info.value.holder.pid == other.pid
        assert holder_of("payroll", project_path("payroll")).pid == other.pid
        with pytest.raises(ProjectLocked):
            save_project(Project(name="payroll", step=5))
    lock_project("payroll").release()


def test_saving_keeps_migration_ids_another_writer_added():
    p = Project(name="payroll", migration_ids=["/m/a"])
    save_project(p)
    # another (older, lock-less) dms-tui added a migration meanwhile
    text = project_path("payroll").read_text().replace('"/m/a"', '"/m/a", "/m/b"')
    project_path("payroll").write_text(text)
    with lock_project("payroll") as lock:
        p.step = 5
        save_project(p, lock=lock)
    saved = load_project("payroll")
    assert saved.migration_ids == ["/m/a", "/m/b"] and saved.step == 5
    assert p.migration_ids == ["/m/a", "/m/b"]  # memory sees it too
    save_project(p, forget=["/M/B"])  # a migration deleted in Azure: deliberately dropped
    assert load_project("payroll").migration_ids == ["/m/a"]


def test_creating_never_replaces_an_existing_project():
    save_project(Project(name="hr", migration_ids=["/m/hr"]))
    with pytest.raises(ProjectExists):
        save_project(Project(name="hr"), create=True)
    assert load_project("hr").migration_ids == ["/m/hr"]


# ---------------------------------------------------------------- private files, temp files


def test_projects_and_exports_are_private_whatever_the_umask(dms_home):
    from tests.helpers.monitor_fakes import mi_detail
    from tui.export import export_migration

    old = os.umask(0o022)
    try:
        projects_dir().mkdir(parents=True, mode=0o755)
        os.chmod(projects_dir(), 0o755)  # as earlier versions left it
        path = save_project(Project(name="payroll"))
        with lock_project("payroll") as lock:
            lock_file = lock.path
        exports = export_migration(mi_detail(pending=0), stamp="x")
    finally:
        os.umask(old)
    assert mode(projects_dir()) == 0o700
    assert mode(path) == 0o600 and mode(lock_file) == 0o600
    assert mode(exports[0].parent) == 0o700
    assert {mode(p) for p in exports} == {0o600}


def test_exports_into_a_folder_the_dba_named_are_private_files_in_an_untouched_folder(tmp_path):
    from tests.helpers.monitor_fakes import mi_detail
    from tui.export import export_migration

    tmp_path.chmod(0o755)
    paths = export_migration(mi_detail(pending=0), folder=tmp_path, stamp="x")
    assert mode(tmp_path) == 0o755 and {mode(p) for p in paths} == {0o600}


def test_only_stale_temp_files_of_our_own_pattern_are_removed():
    save_project(Project(name="payroll"))
    folder = projects_dir()
    old = time.time() - 3600
    stale = folder / ".payroll.k2j4x_9a.tmp"
    fresh = folder / ".payroll.abcdefgh.tmp"
    others = [
        folder / ".payroll.notes.tmp",
        folder / ".payroll.k2j4x_9a.tmp.keep",
        folder / "payroll.k2j4x_9a.tmp",
        folder / ".payroll-2.k2j4x_9a.tmp.txt",
    ]
    for path in [stale, fresh, *others]:
        path.write_text("x")
        os.utime(path, (old, old))
    os.utime(fresh)  # written just now: a save in progress, maybe
    with lock_project("payroll"):
        pass
    assert not stale.exists()
    assert fresh.exists() and all(p.exists() for p in others)
    assert clean_temp_files("payroll", now=time.time() + 3600) == [fresh]


def test_temp_files_of_a_project_open_elsewhere_are_left_alone(dms_home):
    save_project(Project(name="payroll"))
    stale = projects_dir() / ".payroll.k2j4x_9a.tmp"
    with OtherInstance("payroll", dms_home):
        stale.write_text("x")
        os.utime(stale, (time.time() - 3600,) * 2)
        scan_projects()
        assert stale.exists()
    scan_projects()  # nobody holds it now
    assert not stale.exists()


def test_an_interrupted_save_leaves_the_old_file_whole(monkeypatch):
    import tui.private_files as pf

    save_project(Project(name="payroll", step=3, migration_ids=["/m/1"]))
    before = project_path("payroll").read_bytes()

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(pf.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        save_project(Project(name="payroll", step=6))
    assert project_path("payroll").read_bytes() == before
    assert not list(projects_dir().glob(".payroll.*.tmp"))


def test_temp_files_of_a_project_never_created_are_cleaned_without_litter():
    folder = projects_dir()
    folder.mkdir(parents=True)
    leftover = folder / ".newproj.abcdefgh.tmp"
    leftover.write_text("x")
    os.utime(leftover, (time.time() - 3600,) * 2)
    assert scan_projects() == []
    assert sorted(p.name for p in folder.iterdir()) == []
