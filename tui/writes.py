"""State-changing requests: sent once, and after any error the truth is read back from Azure.

The SDK never resends them (``tui.arm_policy.ReadOnlyRetryPolicy``). When one fails —
refused, throttled, a 5xx, a connection dropped before or after Azure acted, or the status
poll of its long-running operation failing — what the client saw is not the truth. The
resource is read again and the DBA is told what Azure holds: "Azure accepted the cutover:
… is Completing", or "Azure did not act on it: … is still InProgress", or, when even the
read fails, that the outcome is unknown and must be checked before doing it again.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tui.azure_errors import translate
from tui.errors import AzureError, DmsTuiError

T = TypeVar("T")


class WriteFailed(AzureError):
    """A state-changing request did not end as asked. ``accepted`` is what a fresh read
    shows: ``False`` Azure holds no trace of it (it may be done again, deliberately),
    ``None`` unknown (don't do it again before checking), ``True`` Azure took it but
    reading it back failed."""

    def __init__(
        self,
        message: str,
        *,
        accepted: bool | None,
        code: str = "",
        hint: str = "",
        status: int | None = None,
        state: str = "",
    ):
        super().__init__(message, code=code, hint=hint, status=status)
        self.accepted = accepted
        self.state = state


def accepted_text(action: str, state: str) -> str:
    """What the DBA reads when Azure took the request (answered or found by a re-read)."""
    return f"Azure accepted {action}: {state}."


def _refusal(err: DmsTuiError) -> bool:
    """Azure answered and said no (a 4xx other than throttling or a timeout)."""
    status = getattr(err, "status", None) or 0
    return 400 <= status < 500 and status not in (408, 429)


def send_once(
    action: str,
    send: Callable[[], Any],
    read: Callable[[], T],
    took_effect: Callable[[T, DmsTuiError], bool],
    describe: Callable[[T], str],
) -> T:
    """Run ``send`` (one request, never repeated here); return a fresh ``read()``.

    On any failure the resource is read again: when ``took_effect(value, error)`` says
    Azure acted, the fresh value is returned as if the answer had arrived; otherwise a
    :class:`WriteFailed` says what Azure holds. ``action`` names the request in plain
    words ("the cutover of SalesDB")."""
    try:
        send()
    except Exception as exc:  # noqa: BLE001 - every failure is checked against Azure
        err = translate(exc)
        try:
            value = read()
        except Exception as again:  # noqa: BLE001
            lost = translate(again)
            raise WriteFailed(
                f"The outcome of {action} is unknown: {err.message} Reading Azure again "
                f"failed too ({lost.message}). Azure may or may not have acted on it.",
                accepted=None,
                code=err.code,
                status=err.status,
                hint="Do not send it again until the monitor shows what Azure holds; it "
                "keeps reading by itself.",
            ) from exc
        if took_effect(value, err):
            return value
        state = describe(value)
        raise WriteFailed(
            f"Azure did not act on {action}: {state}. {err.message}",
            accepted=False,
            code=err.code,
            status=err.status,
            state=state,
            hint=err.hint
            if _refusal(err)
            else "It was sent once and not repeated; do it again when Azure answers normally.",
        ) from exc
    try:
        return read()
    except Exception as exc:  # noqa: BLE001
        lost = translate(exc)
        raise WriteFailed(
            f"Azure accepted {action}, but reading it back failed: {lost.message}",
            accepted=True,
            code=lost.code,
            status=lost.status,
            hint="Do not send it again: follow it on the monitor.",
        ) from exc


def send_unconfirmed(action: str, send: Callable[[], Any], read: Callable[[], str]) -> None:
    """Run ``send`` once, for a change Azure keeps no readable trace of (a certificate
    uploaded to a managed instance). A refusal is said as Azure said it (nothing changed).
    Any other failure leaves the outcome unknown: ``read()`` says what Azure does hold
    around it (the instance and its state) and the DBA is told that, never that it failed."""
    try:
        send()
    except Exception as exc:  # noqa: BLE001 - every failure is told as it is
        err = translate(exc)
        if _refusal(err):
            raise WriteFailed(
                f"Azure refused {action}: {err.message}",
                accepted=False,
                code=err.code,
                status=err.status,
                hint=err.hint,
            ) from exc
        try:
            held = read()
        except Exception as again:  # noqa: BLE001
            held = f"reading Azure again failed too ({translate(again).message})"
        raise WriteFailed(
            f"The outcome of {action} is unknown: {err.message} It was sent once and not "
            f"repeated. Azure keeps no list of uploaded certificates to read back; {held}.",
            accepted=None,
            code=err.code,
            status=err.status,
            state=held,
            hint="Upload the same file again, deliberately, when Azure answers normally. A "
            "restore that fails with 'Cannot find server certificate with thumbprint' means "
            "it is not on the instance.",
        ) from exc
