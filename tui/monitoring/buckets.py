"""The monitor's state buckets: the five counts at its top, and which bucket a migration is in."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from tui.cutover import restore_blockers
from tui.models import MigrationDetail, MigrationState, TargetKind


class Bucket(str, enum.Enum):
    """The five counts at the top of the monitor (and "other" for everything else)."""

    IN_PROGRESS = "in progress"
    READY = "ready for cutover"
    COMPLETING = "completing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    OTHER = "other"


COUNTED = (Bucket.IN_PROGRESS, Bucket.READY, Bucket.COMPLETING, Bucket.SUCCEEDED, Bucket.FAILED)


def bucket_of(state: MigrationState, detail: MigrationDetail | None = None) -> Bucket:
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
