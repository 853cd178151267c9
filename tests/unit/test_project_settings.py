"""A project's settings are typed: older files keep loading (missing keys take their default,
unknown ones are kept and written back), and step 7 and the summary check them with one rule
set, in the same words."""

from __future__ import annotations

from tui import validation as v
from tui.project_settings import MigrationSettings, SourceSettings
from tui.projects import Project, load_project, save_project, scan_projects
from tui.wizard_state import WizardState

OLD_FILE = """\
name = "payroll"
step = 7
target_kind = "SqlMi"
databases = ["Payroll", "HR"]

[source]
server = "sql01"
user = "migrator"
future_option = "kept"

[settings]
backup = "share"
share_path = '\\\\fs01\\sqlbackups'
target_names = { Payroll = "Payroll_new" }
names = { Payroll = "Payroll" }
"""


def _write(dms_home, text: str) -> None:
    folder = dms_home / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "payroll.toml").write_text(text)


def test_an_older_file_loads_typed_and_keeps_what_it_does_not_know(dms_home):
    _write(dms_home, OLD_FILE)
    p = load_project("payroll")
    assert isinstance(p.source, SourceSettings) and isinstance(p.settings, MigrationSettings)
    assert (p.source.server, p.source.port, p.source.encrypt) == ("sql01", 1433, True)
    assert p.settings.backup == "share" and p.settings.online  # no mode: online
    assert p.settings.share_path == "\\\\fs01\\sqlbackups"
    assert p.settings.target_names == {"Payroll": "Payroll_new"} and p.settings.last_backup == {}
    assert p.source.params("pw").password == "pw" and p.source.params().user == "migrator"
    save_project(p)
    again = load_project("payroll")
    assert again.source.extra == {"future_option": "kept"}
    assert again.settings.extra == {"names": {"Payroll": "Payroll"}}
    assert again.settings == p.settings and again.source == p.source


def test_a_setting_of_the_wrong_type_lists_the_file_as_damaged(dms_home):
    _write(dms_home, OLD_FILE.replace('target_names = { Payroll = "Payroll_new" }', "mode = 3"))
    [entry] = scan_projects()
    assert entry.project is None and "settings.mode should be text" in entry.problem


def _state(**settings) -> WizardState:
    p = Project(
        name="payroll",
        service_id="/svc",
        target_kind="SqlMi",
        target_id="/mi",
        source={"server": "sql01", "user": "sa"},
        databases=["Payroll", "backupdb"],
        settings=settings,
    )
    s = WizardState(p)
    s.secrets.source_password = "pw"
    return s


def test_the_summary_says_what_step_7_says():
    s = _state(backup="blob", container="backups", mode="offline")
    rules = v.migration_settings(s.settings, s.project.databases, share_password=False)
    assert rules == [
        "Storage account: pick the storage account that holds the backups (for an SMB "
        "share: the one DMS uploads them to).",
        'Container backups: DMS rejects container names with the word "backup"; use '
        "another container.",
        'Folder backupdb: DMS rejects folder names with the word "backup" — use an SMB '
        "share for this database, or rename the folder.",
        "Last backup file for Payroll: type the file name of the last backup DMS should "
        "restore, e.g. Payroll_log_042.trn.",
        "Last backup file for backupdb: type the file name of the last backup DMS should "
        "restore, e.g. backupdb_log_042.trn.",
    ]
    assert [p for p in s.problems() if p.startswith("Step 7 · ")] == [
        f"Step 7 · {r}" for r in rules
    ]


def test_share_rules_name_the_runtime_the_user_and_the_password():
    s = _state(backup="share", storage_account_id="/acct", share_path="\\\\fs01\\b")
    rules = v.migration_settings(
        s.settings, ["Payroll"], share_password=False, runtime_state="Offline"
    )
    assert [r.split(":")[0] for r in rules] == ["Share", "Share user", "Share password"]
    assert "integration runtime is Offline" in rules[0]
    assert not v.migration_settings(
        MigrationSettings(
            backup="share", storage_account_id="/a", share_path="\\\\fs\\b", share_user="C\\u"
        ),
        ["Payroll"],
        share_password=True,
        runtime_state="Online",
    )
