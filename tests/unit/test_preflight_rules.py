"""The backup-folder rules, on the history a real source reports (SqlServerSource over a fake
pyodbc whose result sets are shaped as SQL Server 2012/2016/2022 return them) and a folder as
the Blob service lists it."""

from __future__ import annotations

import pytest

from tests.helpers.source_fakes import URL, FakeOdbc, FakeSqlServer, backup, db
from tui.models import Severity, TargetKind
from tui.preflight import check_listing
from tui.preflight.listing import BlobEntry, FolderListing
from tui.preflight.run import histories
from tui.source import SqlServerSource

YEARS = (2012, 2016, 2022)
MI, VM = TargetKind.SQL_MI, TargetKind.SQL_VM
L0 = 40_000_000_000_100  # an LSN


def sales_history(**kw):
    """A full, a differential of it and three logs, all to URL into Sales/."""
    full = backup("Sales", "full", 0, L0, L0 + 800)
    return (
        full,
        backup("Sales", "log", 10, L0, L0 + 1_000),
        backup("Sales", "diff", 20, L0 + 1_000, L0 + 1_200, diff_base=full.checkpoint_lsn),
        backup("Sales", "log", 30, L0 + 1_000, L0 + 1_500),
        backup("Sales", "log", 40, L0 + 1_500, L0 + 1_900),
        *kw.get("extra", ()),
    )


def read_history(year: int, *databases) -> dict:
    """The histories as SqlServerSource reads them from the fake server's msdb."""
    server = FakeSqlServer(year=year, databases=list(databases))
    source = SqlServerSource("sqlprod01", _pyodbc=FakeOdbc(server), user="dba", password="pw")
    try:
        return histories(source.databases())
    finally:
        source.close()


def folder(names, *, container="migrations", name="Sales", subfolders=()) -> FolderListing:
    return FolderListing(
        "acct",
        container,
        name,
        tuple(BlobEntry(n, 1_000) for n in names),
        tuple(subfolders),
    )


def files(history) -> list[str]:
    return [d.rsplit("/", 1)[-1] for b in history for d in (b.devices or (b.device,))]


def run(history, listing, *, database="Sales", target=MI, online=True, last=""):
    check = check_listing(
        database, listing, history, target=target, online=online, last_backup=last
    )
    return check, {f.rule_id: f for f in check.findings}


@pytest.mark.parametrize("year", YEARS)
def test_a_good_folder_passes(year):
    history = read_history(year, db("Sales", 5, history=sales_history()))
    check, found = run(history, folder(files(history["Sales"])))
    assert check.clear and found == {}
    assert "chain complete" in check.summary


@pytest.mark.parametrize("year", YEARS)
def test_nested_folders_block(year):
    history = read_history(year, db("Sales", 5, history=sales_history()))
    check, found = run(history, folder([], subfolders=("FULL/", "LOG/")))
    assert not check.clear
    assert found["folder-nested"].severity is Severity.BLOCKER
    assert "FULL/, LOG/" in found["folder-nested"].message
    assert "folder-chain" not in found and "folder-empty" not in found  # one cause, one finding


@pytest.mark.parametrize("year", YEARS)
def test_an_empty_folder_blocks_and_says_where_the_backups_went(year):
    local = backup("Sales", "full", 0, L0, L0 + 800, device="D:\\Backup\\Sales_full.bak")
    history = read_history(year, db("Sales", 5, history=(local,)))
    check, found = run(history, folder([]))
    assert list(found) == ["folder-empty"]
    assert "D:\\Backup\\Sales_full.bak" in found["folder-empty"].message


@pytest.mark.parametrize("year", YEARS)
def test_another_databases_backup_in_the_folder_blocks(year):
    hr = backup("HR", "full", 5, 90_000, 90_800, device=f"{URL}/Sales/HR_full_5.bak")
    history = read_history(
        year, db("Sales", 5, history=sales_history()), db("HR", 6, history=(hr,))
    )
    check, found = run(history, folder([*files(history["Sales"]), "HR_full_5.bak"]))
    finding = found["folder-other-database"]
    assert finding.severity is Severity.BLOCKER
    assert (
        "HR_full_5.bak" in finding.message
        and "MultipleDatabasesInBackupLocation" in finding.message
    )
    assert "HR's own folder" in finding.fix


def test_a_file_only_named_like_another_database_warns():
    history = read_history(2022, db("Sales", 5, history=sales_history()), db("Payroll", 6))
    check, found = run(history, folder([*files(history["Sales"]), "Payroll_full_old.bak"]))
    assert check.clear
    assert found["folder-other-database"].severity is Severity.WARNING


@pytest.mark.parametrize("year", YEARS)
def test_appended_backups_block(year):
    device = "D:\\Backup\\Sales_log.trn"
    full = backup("Sales", "full", 0, L0, L0 + 800)
    history = read_history(
        year,
        db(
            "Sales",
            5,
            history=(
                full,
                backup("Sales", "log", 10, L0, L0 + 1_000, device=device, position=1),
                backup("Sales", "log", 20, L0 + 1_000, L0 + 1_400, device=device, position=2),
            ),
        ),
    )
    check, found = run(history, folder(["Sales_full_0.bak", "Sales_log.trn"]))
    assert found["folder-appended"].severity is Severity.BLOCKER
    assert "Sales_log.trn (2 backups)" in found["folder-appended"].message


def test_a_file_reused_with_init_leaves_a_gap_not_an_appended_file():
    device = f"{URL}/Sales/Sales_log.trn"
    full = backup("Sales", "full", 0, L0, L0 + 800)
    history = read_history(
        2016,
        db(
            "Sales",
            5,
            history=(
                full,
                backup("Sales", "log", 10, L0, L0 + 1_000, device=device),
                backup("Sales", "log", 20, L0 + 1_000, L0 + 1_400, device=device),
            ),
        ),
    )
    check, found = run(history, folder(["Sales_full_0.bak", "Sales_log.trn"]))
    assert "folder-appended" not in found
    assert "overwritten by a later backup" in found["folder-chain"].message


@pytest.mark.parametrize("year", YEARS)
def test_a_missing_log_breaks_the_chain(year):
    history = read_history(year, db("Sales", 5, history=sales_history()))
    names = [n for n in files(history["Sales"]) if n != "Sales_log_30.trn"]
    check, found = run(history, folder(names))
    chain = found["folder-chain"]
    assert chain.severity is Severity.BLOCKER and "Sales_log_30.trn" in chain.message
    assert "restore plan is broken" in chain.message


def test_a_differential_in_the_folder_bridges_missing_logs_before_it():
    history = read_history(2022, db("Sales", 5, history=sales_history()))
    names = [n for n in files(history["Sales"]) if n != "Sales_log_10.trn"]
    check, found = run(history, folder(names))
    assert check.clear and "folder-chain" not in found


def test_the_fix_offers_the_differential_when_it_is_elsewhere():
    history = read_history(2022, db("Sales", 5, history=sales_history()))
    names = [
        n for n in files(history["Sales"]) if n not in ("Sales_log_10.trn", "Sales_diff_20.dif")
    ]
    check, found = run(history, folder(names))
    assert "Sales_log_10.trn" in found["folder-chain"].message
    assert "Sales_diff_20.dif" in found["folder-chain"].fix


def test_the_latest_full_missing_blocks():
    history = read_history(2012, db("Sales", 5, history=sales_history()))
    names = [n for n in files(history["Sales"]) if n != "Sales_full_0.bak"]
    check, found = run(history, folder(names))
    assert "latest full backup, Sales_full_0.bak" in found["folder-chain"].message


def test_a_striped_backup_needs_every_stripe():
    full = backup("Sales", "full", 0, L0, L0 + 800, stripes=3)
    log = backup("Sales", "log", 10, L0, L0 + 1_000)
    history = read_history(2022, db("Sales", 5, history=(full, log)))
    every = files(history["Sales"])
    assert len(every) == 4
    assert run(history, folder(every))[0].clear
    check, found = run(history, folder([n for n in every if not n.endswith(".2")]))
    assert "not wholly in" in found["folder-chain"].message


@pytest.mark.parametrize("year", YEARS)
def test_backups_without_checksum_warn(year):
    full = backup("Sales", "full", 0, L0, L0 + 800, checksum=False)
    history = read_history(year, db("Sales", 5, history=(full,)))
    check, found = run(history, folder(files(history["Sales"])))
    assert check.clear
    assert found["folder-checksum"].severity is Severity.WARNING


def test_the_word_backup_in_the_container_or_folder_blocks_a_managed_instance_only():
    history = read_history(2022, db("SalesBackup", 5, history=()))
    check, found = run(
        history, folder([], container="sqlbackups", name="SalesBackup"), database="SalesBackup"
    )
    [first, second] = [f for f in check.findings if f.rule_id == "folder-name-backup"]
    assert 'container name "sqlbackups"' in first.message
    assert 'folder name "SalesBackup"' in second.message
    _, on_vm = run(
        history,
        folder([], container="sqlbackups", name="SalesBackup"),
        database="SalesBackup",
        target=VM,
    )
    assert "folder-name-backup" not in on_vm


def test_files_that_are_no_backups_warn():
    history = read_history(2016, db("Sales", 5, history=sales_history()))
    check, found = run(history, folder([*files(history["Sales"]), "readme.txt"]))
    assert check.clear
    assert found["folder-stray-file"].severity is Severity.WARNING
    assert "readme.txt" in found["folder-stray-file"].message


def test_offline_last_backup_must_be_in_the_folder_and_last():
    history = read_history(2022, db("Sales", 5, history=sales_history()))
    names = files(history["Sales"])
    ok, found = run(history, folder(names), online=False, last="Sales_log_40.trn")
    assert ok.clear and found == {}
    _, found = run(history, folder(names), online=False, last="Sales_log_99.trn")
    assert "is not in" in found["folder-last-backup"].message
    _, found = run(history, folder(names), online=False, last="Sales/Sales_log_30.trn")
    last = found["folder-last-backup"]
    assert last.severity is Severity.BLOCKER
    assert "Sales_log_40.trn was taken after it" in last.message
    assert "Type Sales_log_40.trn" in last.fix
    _, online = run(history, folder(names), online=True, last="")
    assert "folder-last-backup" not in online


def test_no_full_backup_at_all_blocks():
    log = backup("Sales", "log", 10, L0, L0 + 1_000)
    history = read_history(2022, db("Sales", 5, history=(log,)))
    check, found = run(history, folder(files(history["Sales"])))
    assert "no full backup" in found["folder-chain"].message
