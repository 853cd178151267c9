"""Every state-changing operation × every fault: at most one request per action reaches Azure,
and what the DBA is told matches what Azure holds afterwards.

The Controller runs against the sandbox on a manual clock (``polling_interval=0``); each
fault hits only the operation's own request (its path and method) or, for "lro_status",
the status polls of its long-running operation. Azure acted when the answer was lost after
it did the work ("drop_after") or once it had accepted the request ("lro_status"); it did
not act on a 429, a 5xx or a connection dropped before the request reached it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_ready,
    advance_until_tail_restored,
    spec_for,
    start,
    take_tail,
)
from tui.errors import DmsTuiError
from tui.models import TargetKind
from tui.sandbox import Fault
from tui.writes import WriteFailed

FAULTS = {
    "429": lambda match, method: Fault.throttle(retry_after=1, match=match, method=method),
    "500": lambda match, method: Fault.server_error(500, match=match, method=method),
    "503": lambda match, method: Fault.server_error(503, match=match, method=method),
    "drop_before": lambda match, method: Fault.drop_connection(match=match, method=method),
    "drop_after": lambda match, method: Fault.drop_connection(
        match=match, method=method, after_processing=True
    ),
    "lro_status": lambda match, method: Fault.server_error(
        500, times=None, match="/operationStatuses/"
    ),
}
AZURE_ACTED = {"drop_after", "lro_status"}


@dataclass
class Op:
    """One state-changing operation: how to get to the moment before it, what it sends, how
    to call it, and how to read the truth from the sandbox (the state, and whether the
    operation took effect)."""

    name: str
    method: str
    path: str  # a fragment of the request's path
    prepare: Callable[[Any, Any], Any]  # (controller, sandbox) -> what ``call`` needs
    call: Callable[[Any, Any], Any]  # (controller, prepared) -> the Controller's answer
    truth: Callable[[Any], tuple[str, bool]]  # sandbox -> (state word, took effect)
    has_lro: bool = True


def _migration(sandbox, name="SalesDB"):
    m = sandbox.migrations.by_target_database(name)
    return None if m is None or m.deleting else m


def _status_truth(*took: str):
    def truth(sandbox):
        m = _migration(sandbox)
        return (m.status, m.status in took) if m is not None else ("does not exist", False)

    return truth


def _ready_for_cutover(c, sb):
    mig = start(c, sb, TargetKind.SQL_MI, "SalesDB")
    advance_until_ready(c, sb, mig.id)
    tail = take_tail(sb, "SalesDB")
    advance_until_tail_restored(c, sb, mig.id, tail)
    return mig.id, tail


def _failed_sqldb(c, sb):
    mig = start(c, sb, TargetKind.SQL_DB, "SalesDB")
    sb.advance(5)
    sb.fail_migration("SalesDB")
    return mig.id


def _canceled(c, sb):
    mig = start(c, sb, TargetKind.SQL_MI, "SalesDB")
    c.cancel_migration(mig.id)
    advance_until(c, sb, mig.id, lambda d: d.status == "Canceled")
    return mig.id


def _registered(sb):
    sub = sb.world.subscription(sb.subscription_id)
    sub.providers["microsoft.datamigration"].state = "Registered"
    return None


def _provider_truth(sb):
    p = sb.world.subscription(sb.subscription_id).providers["microsoft.datamigration"]
    return p.state, p.state in ("Registering", "Registered")


def _service_truth(sb):
    svc = next((s for s in sb.services.all() if s.name == "dms-night"), None)
    return (svc.state, True) if svc is not None else ("does not exist", False)


def _deleted_truth(sb):
    m = _migration(sb)
    return ("no longer exists", True) if m is None else (m.status, False)


OPS = [
    Op(
        "cutover",
        "POST",
        "/cutover",
        _ready_for_cutover,
        lambda c, p: c.cutover(p[0], tail_log_file=p[1]),
        _status_truth("Completing"),
    ),
    Op(
        "cancel",
        "POST",
        "/cancel",
        lambda c, sb: start(c, sb, TargetKind.SQL_MI, "SalesDB").id,
        lambda c, mid: c.cancel_migration(mid),
        _status_truth("Canceling", "Canceled"),
    ),
    Op(
        "retry",
        "POST",
        "/retry",
        _failed_sqldb,
        lambda c, mid: c.retry_migration(mid),
        _status_truth("InProgress"),
    ),
    Op(
        "register",
        "POST",
        "/providers/Microsoft.DataMigration/register",
        lambda c, sb: None,
        lambda c, _: c.register_provider(),
        _provider_truth,
        has_lro=False,
    ),
    Op(
        "dms_create",
        "PUT",
        "/sqlMigrationServices/dms-night",
        lambda c, sb: _registered(sb),
        lambda c, _: c.create_migration_service("rg-dms-migration", "dms-night", "westeurope"),
        _service_truth,
    ),
    Op(
        "migration_create",
        "PUT",
        "/databaseMigrations/SalesDB",
        lambda c, sb: spec_for(c, sb, TargetKind.SQL_MI, "SalesDB"),
        lambda c, spec: c.create_migration(spec, wait=True),
        _status_truth("InProgress"),
    ),
    Op(
        "migration_delete",
        "DELETE",
        "/databaseMigrations/SalesDB",
        _canceled,
        lambda c, mid: c.delete_migration(mid),
        _deleted_truth,
    ),
]
CASES = [
    pytest.param(op, fault, id=f"{op.name}-{fault}")
    for op in OPS
    for fault in FAULTS
    if op.has_lro or fault != "lro_status"
]


def _sent(sandbox, op: Op, since: int) -> int:
    return sum(
        1
        for r in sandbox.requests[since:]
        if r.method == op.method and op.path.lower() in r.path.lower()
    )


def _told(value: Any) -> str:
    """What the screens show for an answer (see tui.writes.accepted_text)."""
    from tui.writes import accepted_text

    state = (
        getattr(value, "status", None)
        or getattr(value, "provisioning_state", None)
        or getattr(value, "registration_state", None)
        or "the migration no longer exists"
    )
    return accepted_text("it", state)


@pytest.mark.parametrize("op,fault", CASES)
def test_one_request_per_action_and_the_truth_after_a_fault(controller, sandbox, op, fault):
    prepared = op.prepare(controller, sandbox)
    _, took_before = op.truth(sandbox)
    assert not took_before
    since = len(sandbox.requests)
    sandbox.inject(FAULTS[fault](op.path, op.method))
    try:
        value = op.call(controller, prepared)
    except DmsTuiError as exc:
        error, told = exc, exc.full_text
    else:
        error, told = None, _told(value)
    sandbox.faults.clear()
    assert _sent(sandbox, op, since) == 1, "a state-changing request was sent again"
    state, took = op.truth(sandbox)
    assert took == (fault in AZURE_ACTED)
    if took:
        # the lost answer is not reported as a failure: a fresh read shows Azure took it
        assert error is None, told
        assert told.startswith("Azure accepted") and state in told
    else:
        assert isinstance(error, WriteFailed) and error.accepted is False, told
        assert told.startswith("Azure did not act on") and state in told
        assert "Azure accepted" not in told and "Nothing was" not in told
    assert "nothing was lost" not in told.lower()


def _reads_fail_after(monkeypatch, sandbox, method: str, path_end: str) -> None:
    """From the moment a ``method`` request to ``…path_end`` reaches the sandbox, every read
    of the SalesDB migration answers 503 (Azure can't be read again)."""
    record = sandbox._record

    def on_record(rec):
        record(rec)
        if rec.method == method and rec.path.endswith(path_end):
            sandbox.inject(
                Fault.server_error(
                    503, times=None, method="GET", match="/databaseMigrations/SalesDB"
                )
            )

    monkeypatch.setattr(sandbox, "_record", on_record)


def test_a_lost_answer_that_cannot_be_read_again_is_reported_as_unknown(
    controller, sandbox, monkeypatch
):
    mid, tail = _ready_for_cutover(controller, sandbox)
    since = len(sandbox.requests)
    sandbox.inject(Fault.drop_connection(match="/cutover", method="POST", after_processing=True))
    _reads_fail_after(monkeypatch, sandbox, "POST", "/cutover")
    with pytest.raises(WriteFailed) as info:
        controller.cutover(mid, tail_log_file=tail)
    sandbox.faults.clear()
    err = info.value
    assert err.accepted is None and "outcome of the cutover" in err.message
    assert "may or may not have acted" in err.message and "Do not send it again" in err.hint
    assert sum(1 for r in sandbox.requests[since:] if r.path.endswith("/cutover")) == 1
    # and the guard stays closed: no second cutover from this Controller
    from tui.controller import CutoverAlreadyRequested

    with pytest.raises(CutoverAlreadyRequested):
        controller.cutover(mid, tail_log_file=tail)
    assert _migration(sandbox).status == "Completing"


def test_a_cutover_azure_did_not_act_on_may_be_sent_again_deliberately(controller, sandbox):
    mid, tail = _ready_for_cutover(controller, sandbox)
    sandbox.inject(Fault.server_error(503, match="/cutover", method="POST"))
    with pytest.raises(WriteFailed) as info:
        controller.cutover(mid, tail_log_file=tail)
    assert info.value.accepted is False and "is InProgress" in info.value.message
    after = controller.cutover(mid, tail_log_file=tail)  # the DBA presses again
    assert after.status == "Completing"
    assert sum(1 for r in sandbox.requests if r.path.endswith("/cutover")) == 2


def test_a_migration_created_but_not_answered_is_adopted_on_the_next_press(
    controller, sandbox, monkeypatch
):
    """The PUT's answer was lost and the read after it failed: the next press finds the
    migration running (same source database and target) and takes it as this one."""
    spec = spec_for(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    sandbox.inject(
        Fault.drop_connection(
            match="/databaseMigrations/SalesDB", method="PUT", after_processing=True
        )
    )
    _reads_fail_after(monkeypatch, sandbox, "PUT", "/databaseMigrations/SalesDB")
    with pytest.raises(WriteFailed) as info:
        controller.create_migration(spec, wait=False)
    assert info.value.accepted is None
    monkeypatch.undo()
    sandbox.faults.clear()
    again = controller.create_migration(spec, wait=False)
    assert again.source_database == "SalesDB" and again.status == "InProgress"
    puts = [r for r in sandbox.requests if r.method == "PUT" and "databaseMigrations" in r.path]
    assert len(puts) == 1


def test_another_databases_migration_on_the_same_target_name_is_not_adopted(controller, sandbox):
    start(controller, sandbox, TargetKind.SQL_MI, "InventoryHub", target_database="SalesDB")
    spec = spec_for(controller, sandbox, TargetKind.SQL_MI, "SalesDB")
    with pytest.raises(WriteFailed) as info:
        controller.create_migration(spec, wait=False)
    assert info.value.accepted is False and info.value.code == "MigrationAlreadyExists"
    assert "InventoryHub" in info.value.message
