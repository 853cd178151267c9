"""The tail-log gate in the Controller, against the sandbox's DMS that lists a new backup file
only at its next scan of the backup location (as Azure does, minutes later)."""

from __future__ import annotations

import inspect

import pytest

from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_ready,
    cutover_posts,
    start,
    take_tail,
)
from tui.controller import Controller, CutoverNotReady
from tui.errors import DmsTuiError
from tui.models import TargetKind


def _listed(tail):
    return lambda d: any(f.name == tail for f in d.backup_files)


@pytest.fixture
def caught_up(controller, sandbox):
    """An online MI migration with every listed backup restored: the tail-log is next."""
    mig = start(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.take_log_backup("SalesDB")
    return advance_until_ready(controller, sandbox, mig.id)


def test_tail_log_taken_but_not_yet_listed_refuses_and_sends_nothing(
    controller, sandbox, caught_up
):
    tail = take_tail(sandbox, "SalesDB")
    sandbox.advance(5)
    d = controller.get_migration(caught_up.id)
    # exactly what Azure shows right after the tail-log: nothing pending, the previous
    # file the last restored one — "ready" by the pending count alone
    assert d.pending_log_backups == 0 and d.last_restored_filename != tail
    assert not _listed(tail)(d)
    with pytest.raises(CutoverNotReady) as info:
        controller.cutover(d.id, tail_log_file=tail)
    assert info.value.reasons == [
        f"Waiting for DMS to restore {tail}: DMS has not listed it yet (it looks for new "
        "files in the backup location every few minutes)."
    ]
    assert cutover_posts(sandbox) == 0


def test_tail_log_listed_but_restoring_refuses(controller, sandbox, caught_up):
    tail = take_tail(sandbox, "SalesDB")
    d = advance_until(
        controller,
        sandbox,
        caught_up.id,
        lambda d: any(f.name == tail and f.status == "Restoring" for f in d.backup_files),
        step=1,
        limit=400,
    )
    with pytest.raises(CutoverNotReady) as info:
        controller.cutover(d.id, tail_log_file=tail)
    assert f"Waiting for DMS to restore {tail}: it is Restoring." in info.value.reasons
    assert cutover_posts(sandbox) == 0


def test_tail_log_restored_sends_exactly_one_cutover(controller, sandbox, caught_up):
    tail = take_tail(sandbox, "SalesDB")
    d = advance_until(
        controller,
        sandbox,
        caught_up.id,
        lambda d: d.last_restored_filename == tail and d.pending_log_backups == 0,
    )
    after = controller.cutover(d.id, tail_log_file=tail)
    assert after.status == "Completing"
    assert cutover_posts(sandbox) == 1
    sandbox.advance(60)
    assert controller.get_migration(d.id).status == "Succeeded"
    assert cutover_posts(sandbox) == 1


def test_another_file_restored_last_is_not_the_tail_log(controller, sandbox, caught_up):
    """The DBA names the tail-log they are about to take: an older restored file does not
    count, a later one does not stand in for it."""
    tail = take_tail(sandbox, "SalesDB")
    d = advance_until(controller, sandbox, caught_up.id, lambda d: d.last_restored_filename == tail)
    with pytest.raises(CutoverNotReady):
        controller.cutover(d.id, tail_log_file="SalesDB_tail_20990101_000000_000.trn")
    assert cutover_posts(sandbox) == 0


def test_no_path_cuts_over_without_naming_the_tail_log(controller, sandbox, caught_up):
    param = inspect.signature(Controller.cutover).parameters["tail_log_file"]
    assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is param.empty
    with pytest.raises(DmsTuiError) as missing:
        controller.cutover(caught_up.id)  # type: ignore[call-arg]
    assert missing.value.code == "TypeError"
    for name in ("", "   "):
        with pytest.raises(CutoverNotReady) as info:
            controller.cutover(caught_up.id, tail_log_file=name)
        assert "not named" in info.value.reasons[0]
    assert cutover_posts(sandbox) == 0
