"""A migration's state is parsed once from Azure's answer: case-insensitive, both spellings
of "canceled", unknown values kept as written, and one set of questions asked of it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui.convert import migration_detail, migration_summary
from tui.models import MigrationDetail, MigrationState, TargetKind

S = MigrationState
MI = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"
    "/providers/Microsoft.DataMigration/databaseMigrations/db1"
)


@pytest.mark.parametrize(
    "text, state",
    [
        ("InProgress", S.IN_PROGRESS),
        ("inprogress", S.IN_PROGRESS),
        ("READYFORCUTOVER", S.READY_FOR_CUTOVER),
        ("Cancelled", S.CANCELED),
        ("cancelling", S.CANCELING),
        ("  Succeeded ", S.SUCCEEDED),
        ("uploadingLogBackup", S.UPLOADING_LOG_BACKUP),
    ],
)
def test_known_values_parse_whatever_the_case_or_spelling(text, state):
    assert S.parse(text) is state
    assert S.parse(text).is_known


def test_unknown_values_are_kept_as_written():
    odd = S.parse("WaitingForSomething")
    assert isinstance(odd, S) and not odd.is_known
    assert str(odd) == f"{odd}" == "WaitingForSomething" == odd
    assert not (odd.is_final or odd.is_active or odd.is_ending or odd.is_restoring_logs)
    empty = S.parse(None)
    assert empty == "" and not empty and not empty.is_known


def test_the_state_shows_as_azure_spells_it():
    assert f"{S.parse('readyforcutover')}" == "ReadyForCutover"
    assert f"is {S.parse('cancelled')}." == "is Canceled."


def test_each_state_answers_the_questions_the_screens_ask():
    final = {s for s in S if s.is_final}
    assert final == {S.SUCCEEDED, S.FAILED, S.CANCELED}
    assert {s for s in S if s.is_ending} == {S.COMPLETING, S.CANCELING}
    assert {s for s in S if s.is_restoring_logs} == {S.IN_PROGRESS, S.READY_FOR_CUTOVER}
    assert {s for s in S if s.may_retry} == {S.FAILED, S.RETRIABLE}
    active = {s for s in S if s.is_active}
    assert active.isdisjoint(final) and S.COMPLETING not in active
    assert {S.CREATING, S.RESTORING, S.UPLOADING_FULL_BACKUP, S.RETRIABLE} <= active
    # every known state is exactly one of: active, ending, final
    for s in S:
        assert [s.is_active, s.is_ending, s.is_final].count(True) == 1, s


def _azure_migration(status: str) -> dict:
    """A migration as Azure answers it (the JSON ``convert`` reads)."""
    return {
        "id": MI,
        "name": "db1",
        "properties": {
            "kind": "SqlMi",
            "migrationStatus": status,
            "sourceDatabaseName": "db1",
            "migrationOperationId": "op",
            "provisioningState": "Succeeded",
            "sourceServerName": "src",
            "migrationService": "/dms",
        },
    }


def test_convert_parses_azures_status_once():
    d = migration_detail(_azure_migration("cancelled"))
    assert d.status is S.CANCELED and d.summary.status is S.CANCELED
    assert migration_summary(_azure_migration("cancelled")).status is S.CANCELED
    assert migration_detail(_azure_migration("Whatever")).status == "Whatever"


def test_a_model_built_from_text_still_holds_a_state():
    d = MigrationDetail(
        id=MI,
        name="db1",
        kind=TargetKind.SQL_MI,
        status="succeeded",  # type: ignore[arg-type]
        source_database="db1",
        target_database="db1",
        migration_operation_id="op",
    )
    assert d.status is S.SUCCEEDED
    assert replace(d, status="Completing").status is S.COMPLETING  # type: ignore[arg-type]


def test_dms_repeating_the_last_restored_file_means_nothing_is_restoring():
    base = MigrationDetail(
        id=MI,
        name="db1",
        kind=TargetKind.SQL_MI,
        status=S.IN_PROGRESS,
        source_database="db1",
        target_database="db1",
        migration_operation_id="op",
        last_restored_filename="db1_log_2.trn",
    )
    assert replace(base, current_restoring_filename="db1_log_2.trn").restoring_now == ""
    assert replace(base, current_restoring_filename="db1_log_3.trn").restoring_now == (
        "db1_log_3.trn"
    )
    assert base.restoring_now == ""
