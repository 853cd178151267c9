"""A migration's problem in plain words: the failure, the restore-blocking reason or the
completion error, each with the likely fix."""

from __future__ import annotations

from tui.models import MigrationDetail


def problem_text(detail: MigrationDetail) -> str:
    """The restore-blocking reason or the failure, in plain words with the likely fix."""
    from tui.dms_errors import hint_for

    if detail.error is not None:
        e = detail.error
        return (
            f"Failed: {e.message} [{e.code}]\nFix: {e.hint}"
            if e.code
            else f"Failed: {e.message}\nFix: {e.hint}"
        )
    if detail.blocking_reason:
        return f"Restore blocked: {detail.blocking_reason}\nFix: {hint_for(detail.blocking_reason)}"
    if detail.complete_restore_error:
        return (
            f"Completing failed: {detail.complete_restore_error}\n"
            f"Fix: {hint_for(detail.complete_restore_error)}"
        )
    return ""
