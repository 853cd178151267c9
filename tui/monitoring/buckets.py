"""The monitor's state buckets: the counts at its top, and which bucket a migration is in.

Every state the list's Status column shows has its own bucket, so the counts add up to the
rows: a migration ready for cutover is counted (and shown) as ready, a stalled one as stalled,
a canceled one as canceled — not failed."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from tui.cutover import restore_blockers
from tui.models import MigrationDetail, MigrationState, TargetKind


class Bucket(str, enum.Enum):
    """The counts at the top of the monitor (and "other" for everything else)."""

    IN_PROGRESS = "in progress"
    STALLED = "stalled"
    READY = "ready for cutover"
    COMPLETING = "completing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    OTHER = "other"


COUNTED = (
    Bucket.IN_PROGRESS,
    Bucket.STALLED,
    Bucket.READY,
    Bucket.COMPLETING,
    Bucket.SUCCEEDED,
    Bucket.FAILED,
    Bucket.CANCELED,
)


def bucket_of(
    state: MigrationState, detail: MigrationDetail | None = None, *, stalled: bool = False
) -> Bucket:
    """``stalled``: the stall detector flagged the migration (``monitoring.stall``)."""
    if stalled and state.is_active:
        return Bucket.STALLED
    if state == MigrationState.READY_FOR_CUTOVER:
        return Bucket.READY
    if state.is_active:
        if (
            detail is not None
            and detail.online
            and detail.kind != TargetKind.SQL_DB
            and not restore_blockers(detail)
        ):  # caught up: the tail-log can be taken
            return Bucket.READY
        return Bucket.IN_PROGRESS
    if state in (MigrationState.CANCELED, MigrationState.CANCELING):
        return Bucket.CANCELED  # on its way to Canceled: nothing more will be restored
    if state.is_ending:
        return Bucket.COMPLETING
    if state == MigrationState.SUCCEEDED:
        return Bucket.SUCCEEDED
    if state.is_final:
        return Bucket.FAILED
    return Bucket.OTHER


def count_buckets(buckets: Iterable[Bucket]) -> dict[Bucket, int]:
    counts = {b: 0 for b in Bucket}
    for b in buckets:
        counts[b] += 1
    return counts
