"""The headless commands (status, watch, cutover) against the sandbox's saved world, as a
runbook or a cron job would run them."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.headless_world import CUT, World, ready_with_tail, tail_restored
from tests.helpers.sandbox_migrations import advance_until, advance_until_ready
from tests.helpers.saved_world import controller_for
from tui.headless import run
from tui.models import MigrationState, TargetKind
from tui.projects import Project, save_project
from tui.sandbox import Fault
from tui.sandbox.clock import ManualClock
from tui.sandbox.saved import open_world

README = Path(__file__).resolve().parents[2] / "README.md"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")


@pytest.fixture
def world():
    return World()


# ---------------------------------------------------------------------- status


def test_status_all_fine_is_exit_0_with_the_documented_json(world):
    mig = world.start("SalesDB")
    advance_until_ready(world.controller, world.sandbox, mig.id)
    world.close()
    code, doc = world.status()
    assert code == 0
    assert doc["verdict"] == "ok" and doc["exit_code"] == 0 and doc["sandbox"] is True
    (m,) = doc["migrations"]
    assert m["source_database"] == "SalesDB" and m["target"] == "sqlmi-contoso-prod"
    assert m["state"] == "InProgress" and m["mode"] == "online"
    assert m["pending_log_backups"] == 0
    assert m["last_restored_file"] == "SalesDB_log_003.trn"
    assert m["ready_for_cutover"] is True and m["readiness"] == [] and m["attention"] == []
    # the README's example has exactly the fields the command prints
    example = json.loads(re.search(r"```json\n(.*?)\n```", README.read_text(), re.S).group(1))
    assert set(example) == set(doc)
    assert set(example["migrations"][0]) == set(m)


def test_status_text_names_state_pending_last_restored_and_readiness(world):
    world.start("SalesDB")
    world.close()
    code, out, _ = world.run("status", "--project", "payroll", "--sandbox")
    assert code == 0
    assert STAMP.match(out) and "project payroll: ok" in out
    line = next(x for x in out.splitlines() if x.startswith("SalesDB ->"))
    assert "pending log backups" in line and "last restored" in line and "not ready" in line
    assert "SalesDB not ready:" in out  # why, in plain words


def test_a_sql_database_copy_counts_its_tables(world):
    mig = world.start("StagingETL", TargetKind.SQL_DB)
    advance_until(
        world.controller, world.sandbox, mig.id, lambda d: d.status == MigrationState.SUCCEEDED
    )
    world.close()
    code, doc = world.status()
    assert code == 0
    (m,) = doc["migrations"]
    assert m["kind"] == "SqlDb" and m["mode"] == "offline" and m["state"] == "Succeeded"
    assert m["tables"] == {"done": 3, "total": 3} and m["ready_for_cutover"] is False
    code, out, _ = world.run("status", "--project", "payroll", "--sandbox")
    assert "StagingETL -> sql-contoso-prod/StagingETL | Succeeded | tables 3/3 copied" in out
    assert "not ready" not in out  # no cutover for SQL Database: nothing to be ready for


def test_a_failed_migration_is_exit_1(world):
    world.start("SalesDB")
    world.sandbox.advance(60)
    world.sandbox.fail_migration("SalesDB")
    world.close()
    code, doc = world.status()
    assert code == 1 and doc["verdict"] == "attention"
    (m,) = doc["migrations"]
    assert m["state"] == "Failed" and m["error"]["code"] == "RestoreFailed"
    assert m["attention"][0].startswith("Failed:")


def test_a_blocked_restore_is_exit_1(world):
    mig = world.start("Warehouse")  # its folder misses a log backup: an LSN gap
    advance_until(
        world.controller, world.sandbox, mig.id, lambda d: bool(d.blocking_reason), limit=80
    )
    world.close()
    code, doc = world.status()
    assert code == 1
    assert any(a.startswith("Restore blocked:") for a in doc["migrations"][0]["attention"])


def test_an_empty_backup_folder_is_stalled_exit_1(world):
    world.start("LedgerArchive")
    world.sandbox.advance(5 * 60)
    world.close()
    code, doc = world.status()
    assert code == 0, doc  # five minutes in: DMS may not have scanned yet
    world.wall.now += 2 * 60  # closed two minutes at 10x: twenty-five simulated minutes in
    code, doc = world.status()
    assert code == 1
    (note,) = doc["migrations"][0]["attention"]
    assert note.startswith("Stalled: no backup file seen 25 minutes") and "folder" in note


def test_azure_out_of_reach_is_exit_2(world, monkeypatch):
    world.start("SalesDB")
    world.close()
    with_fault(monkeypatch, Fault.drop_connection(times=None))
    code, doc = world.status()
    assert code == 2 and doc["verdict"] == "unreachable"
    assert doc["unreachable"][0]["id"] == world.ids[0] and doc["migrations"] == []


def test_outside_the_sandbox_sign_in_never_prompts(monkeypatch):
    from tui.errors import SignInError

    save_project(Project(name="prod", step=9, subscription_id="sub", sign_in="device-code"))
    asked = []

    def no_cli(method, **kw):
        asked.append(method.value)
        raise SignInError("Azure CLI is not signed in.", code="CredentialUnavailable")

    monkeypatch.setattr("tui.signin.make_credential", no_cli)
    monkeypatch.delenv("AZURE_CLIENT_ID", raising=False)
    out, err = io.StringIO(), io.StringIO()
    assert run(["status", "--project", "prod"], out=out, err=err) == 2
    assert asked == ["cli"]  # never the device code: nobody is there to type it
    assert "Could not sign in" in err.getvalue() and "az login" in err.getvalue()
    assert out.getvalue() == ""


def test_a_sandbox_project_needs_sandbox_and_an_unknown_one_is_named(world):
    world.start("SalesDB")
    code, _, err = world.run("status", "--project", "payroll")
    assert code == 2 and "add --sandbox" in err
    code, _, err = world.run("status", "--project", "nope", "--sandbox")
    assert code == 2 and "No saved project named 'nope'" in err


# ---------------------------------------------------------------------- watch


def test_watch_prints_one_plain_line_per_change(world):
    world.start("SalesDB")
    world.close()

    def sleep(seconds: float) -> None:
        world.clocks[-1].advance(seconds)

    code, out, _ = world.run(
        "watch", "--project", "payroll", "--sandbox", "--interval", "20", sleep=sleep, rounds=30
    )
    assert code == 0
    lines = out.splitlines()
    assert all(STAMP.match(x) for x in lines), lines
    assert "\x1b" not in out
    assert 2 < len(lines) < 30  # only changes: 30 reads, fewer lines
    bodies = [x.split(" ", 1)[1] for x in lines]
    assert all(a != b for a, b in zip(bodies, bodies[1:], strict=False))  # never twice the same
    assert "last restored -" in bodies[0]
    assert "last restored SalesDB_log_003.trn" in bodies[-1] and "ready for cutover" in bodies[-1]
    stamps = [x.split(" ", 1)[0] for x in lines]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_ctrl_c_ends_watch_cleanly(world):
    world.start("SalesDB")
    world.close()
    calls = []

    def sleep(seconds: float) -> None:
        calls.append(seconds)
        if len(calls) == 2:
            raise KeyboardInterrupt
        world.clocks[-1].advance(seconds)

    code, out, _ = world.run("watch", "--project", "payroll", "--sandbox", sleep=sleep)
    assert code == 0
    assert out.splitlines()[-1].endswith("watch ended (Ctrl+C)")


# ---------------------------------------------------------------------- cutover


def test_cutover_before_the_tail_log_is_restored_is_refused(world):
    tail = ready_with_tail(world)
    world.close()  # the tail-log was just taken: DMS has not listed it yet
    code, out, err = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    assert code == 1 and out == ""
    assert "Refused" in err and "not ready" in err and tail in err and "Nothing was sent" in err
    assert world.saved_cutovers() == 0


def test_cutover_needs_a_confirmation(world):
    tail = tail_restored(world)
    code, _, err = world.run(*CUT, "--tail-log", tail)  # stdin is no terminal
    assert code == 1 and "no terminal to confirm on" in err and "--confirm SalesDB" in err
    code, _, err = world.run(*CUT, "--tail-log", tail, "--confirm", "salesdb")
    assert code == 1 and "does not repeat the database name" in err
    assert world.saved_cutovers() == 0


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cutover_typed_at_the_terminal_sends_one_request(world):
    tail = tail_restored(world)
    code, _, err = world.run(*CUT, "--tail-log", tail, stdin=Tty("SalesDB-typo\n"))
    assert code == 1 and "Type the database name (SalesDB)" in err
    assert world.saved_cutovers() == 0
    code, out, _ = world.run(*CUT, "--tail-log", tail, stdin=Tty("SalesDB\n"))
    assert code == 0 and "Cutover sent for SalesDB" in out
    assert world.saved_cutovers() == 1


class CtrlC(Tty):
    def readline(self, *a) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_at_the_prompt_sends_nothing(world):
    tail = tail_restored(world)
    code, _, err = world.run(*CUT, "--tail-log", tail, stdin=CtrlC())
    assert code == 1 and "interrupted at the prompt. Nothing was sent." in err
    assert world.saved_cutovers() == 0


def test_cutover_with_confirm_sends_once_and_never_twice(world):
    tail = tail_restored(world)
    code, out, _ = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    assert code == 0 and re.search(r"Azure reports (Completing|Succeeded)", out)
    assert world.saved_cutovers() == 1
    code, _, err = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    assert code == 1 and "Refused" in err  # completing now: the gate refuses, nothing sent
    assert world.saved_cutovers() == 1
    # the app, started later, sees the cutover the runbook sent
    sb, _ = open_world(0, make_clock=ManualClock, wall=world.wall)
    d = advance_until(
        controller_for(sb), sb, world.ids[0], lambda d: d.status == MigrationState.SUCCEEDED
    )
    assert d.status == MigrationState.SUCCEEDED


def with_fault(monkeypatch, fault: Fault) -> None:
    """The sandbox the command opens answers with ``fault``."""
    import tui.sandbox.saved as saved

    real_open = saved.open_world

    def faulty(*a, **kw):
        sb, notice = real_open(*a, **kw)
        sb.inject(fault)
        return sb, notice

    monkeypatch.setattr(saved, "open_world", faulty)


def test_a_lost_cutover_answer_is_read_again_and_told(world, monkeypatch):
    tail = tail_restored(world)
    with_fault(monkeypatch, Fault.drop_connection(match="/cutover", after_processing=True))
    code, out, _ = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    # the answer was lost; the read that follows shows Azure took it
    assert code == 0 and re.search(r"Azure reports (Completing|Succeeded)", out)
    assert world.saved_cutovers() == 1  # sent once, never resent


def test_a_cutover_that_did_not_reach_azure_says_what_azure_holds(world, monkeypatch):
    tail = tail_restored(world)
    with_fault(monkeypatch, Fault.drop_connection(match="/cutover"))
    code, out, err = world.run(*CUT, "--tail-log", tail, "--confirm", "SalesDB")
    assert code == 2 and out == ""
    assert "did not go as asked" in err
    assert "Read again: Azure holds SalesDB as InProgress" in err
    assert world.saved_cutovers() == 0


def test_cutover_of_a_database_not_in_the_project_is_refused(world):
    world.start("SalesDB")
    world.close()
    code, _, err = world.run(
        "cutover", "--project", "payroll", "--sandbox", "--database", "Nope", "--tail-log", "x"
    )
    assert code == 1 and "no migration of project 'payroll'" in err


# ---------------------------------------------------------------------- no Textual


def test_headless_commands_import_no_textual(world, dms_home):
    world.start("SalesDB")
    world.close()
    script = (
        "import sys\n"
        "from tui.cli import main\n"
        "code = main(['status', '--project', 'payroll', '--sandbox', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'screens', 'widgets', 'rich'))\n"
        "print('LOADED', loaded, 'CODE', code, file=sys.stderr)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "DMS_TUI_HOME": str(dms_home)},
        timeout=120,
    )
    assert "LOADED [] CODE 0" in done.stderr, done.stderr
    assert json.loads(done.stdout)["migrations"][0]["source_database"] == "SalesDB"
