"""Turn Azure SDK exceptions into ``AzureError`` with plain words and a fix.

The original ARM error code and HTTP status are kept; the message says what happened,
the hint says what the DBA can do about it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from tui.errors import AzureError, DmsTuiError, SignInError

F = TypeVar("F", bound=Callable)

# ARM / DMS error codes → (plain words, what to do). Matching is case-insensitive.
HINTS: dict[str, tuple[str, str]] = {
    "authorizationfailed": (
        "Your account is not allowed to do this in Azure.",
        "Ask for the Contributor role (or a custom role with Microsoft.DataMigration/* and "
        "Microsoft.Sql/*) on the resource group, then try again.",
    ),
    "expiredauthenticationtoken": (
        "Your Azure sign-in has expired.",
        "Sign in again (for the Azure CLI: `az login`), then retry.",
    ),
    "invalidauthenticationtokentenant": (
        "The signed-in account belongs to a different tenant than this subscription.",
        "Sign in to the subscription's tenant (`az login --tenant <tenant-id>`).",
    ),
    "subscriptionnotregistered": (
        "The subscription is not registered for this resource provider.",
        "Register the Microsoft.DataMigration resource provider (step 1 of the wizard).",
    ),
    "missingsubscriptionregistration": (
        "The subscription is not registered for this resource provider.",
        "Register the Microsoft.DataMigration resource provider (step 1 of the wizard).",
    ),
    "resourcenotfound": (
        "Azure could not find that resource.",
        "It may have been deleted or be in another subscription; refresh the list.",
    ),
    "resourcegroupnotfound": (
        "That resource group does not exist.",
        "Pick an existing resource group or create it in the portal first.",
    ),
    "toomanyrequests": (
        "Azure is throttling requests from this subscription.",
        "The app slows down and retries by itself; wait a moment.",
    ),
    "migrationnotreadyforcutovererror": (
        "The migration is not ready for cutover yet.",
        "Wait until every backup is restored and no log backups are pending, then retry.",
    ),
    "conflict": (
        "Azure refused because of a conflict with an existing resource or operation.",
        "Check that the name is not already in use and no other operation is running.",
    ),
    "invalidparameter": (
        "Azure rejected a value in the request.",
        "Check the field named in the message and correct it.",
    ),
    "badrequest": (
        "Azure rejected the request.",
        "Check the field named in the message and correct it.",
    ),
    "cutovernotallowedmigrationcompleteerror": (
        "The migration is already complete: there is nothing left to cut over.",
        "Follow it on the monitor; the target database is online.",
    ),
    "operationinprogress": (
        "Azure is already running an operation on this migration (a cutover, cancel or delete).",
        "Wait until it finishes; follow it on the monitor.",
    ),
    "migrationnotreadyforcancelerror": (
        "The migration can't be canceled in its current state.",
        "Check its state on the monitor.",
    ),
    "deletemigrationnotallowedmigrationinprogress": (
        "Azure does not delete a migration that is still running.",
        "Cancel it (or let it finish), then delete it.",
    ),
    "deletemigrationnotallowedcutoverinprogress": (
        "The migration is completing its cutover: it can't be deleted now.",
        "Wait until it has Succeeded, then delete it.",
    ),
    "deletemigrationnotallowedcancelinprogress": (
        "The migration is being canceled: it can't be deleted now.",
        "Wait until it is Canceled, then delete it.",
    ),
    "deletemigrationnotalloweddeleteinprogress": (
        "The migration is already being deleted.",
        "Refresh the monitor in a moment.",
    ),
    "migrationretrynotallowed": (
        "Azure retries only a migration that waits for a retry (state WaitForRetry).",
        "Check its state on the monitor; if it can't be retried, start a new migration.",
    ),
    "migrationalreadyexists": (
        "A migration to this target database already exists and is running.",
        "Follow it on the monitor, or choose another target database name.",
    ),
    "internalservererror": (
        "Azure had an internal error.",
        "Nothing was changed; retry in a minute. If it persists, open a support ticket with "
        "the code shown.",
    ),
    "serviceunavailable": (
        "The Azure service is temporarily unavailable.",
        "Nothing was changed; retry in a minute.",
    ),
}

# A change (cutover, cancel, create, delete, register) is sent once and never resent by
# itself: after a 5xx or a dropped connection Azure may or may not have acted on it.
CHANGE_UNKNOWN = (
    "It was sent once and not repeated; Azure may or may not have acted on it: "
    "check what Azure holds before doing it again."
)
CHANGE_THROTTLED = "Azure did not act on it; it was not resent. Wait a moment, then do it again."

STATUS_HINTS: dict[int, tuple[str, str]] = {
    400: HINTS["badrequest"],
    401: HINTS["expiredauthenticationtoken"],
    403: HINTS["authorizationfailed"],
    404: HINTS["resourcenotfound"],
    409: HINTS["conflict"],
    429: HINTS["toomanyrequests"],
    500: HINTS["internalservererror"],
    502: HINTS["serviceunavailable"],
    503: HINTS["serviceunavailable"],
    504: HINTS["serviceunavailable"],
}


def translate(exc: BaseException) -> DmsTuiError:
    """Any exception raised by an SDK call, as the project's error type."""
    if isinstance(exc, DmsTuiError):
        return exc
    from azure.core import exceptions as ae

    if isinstance(exc, ae.ClientAuthenticationError) and getattr(exc, "status_code", None) is None:
        return SignInError(
            "Could not sign in to Azure: " + _first_line(str(exc)),
            code="AuthenticationFailed",
            hint="Run `az login` on this machine, or set AZURE_CLIENT_ID/AZURE_TENANT_ID/"
            "AZURE_CLIENT_SECRET, or choose device-code sign-in.",
        )
    try:
        from azure.identity import CredentialUnavailableError

        if isinstance(exc, CredentialUnavailableError):
            return SignInError(
                "No Azure credential is available: " + _first_line(str(exc)),
                code="CredentialUnavailable",
                hint="Run `az login`, set the AZURE_* service principal variables, or choose "
                "device-code sign-in.",
            )
    except ImportError:  # pragma: no cover - azure-identity is a dependency
        pass
    if isinstance(exc, ae.HttpResponseError):
        status = exc.status_code
        code, message = _arm_code_and_message(exc)
        plain, hint = HINTS.get(code.lower(), STATUS_HINTS.get(status or 0, ("", "")))
        if _method_of(exc) not in ("", "GET", "HEAD") and status is not None:
            if status == 429:
                hint = CHANGE_THROTTLED
            elif status >= 500 or status == 408:
                hint = CHANGE_UNKNOWN
        text = plain or "Azure refused the request."
        if message and message.lower().rstrip(".") not in text.lower():
            text = f"{text} Azure says: {message}"
        cls = SignInError if status == 401 else AzureError
        return cls(text, code=code or (f"HTTP{status}" if status else ""), hint=hint, status=status)
    if isinstance(exc, (ae.ServiceRequestError, ae.ServiceResponseError)):
        return AzureError(
            "Could not reach Azure: the connection failed or was dropped.",
            code=type(exc).__name__,
            hint="Check the jump box's network and proxy settings. Reads are retried by "
            "themselves; a change being sent may or may not have reached Azure: check "
            "what Azure holds before doing it again.",
        )
    if isinstance(exc, ae.AzureError):
        return AzureError(
            "Azure call failed: " + _first_line(str(exc)),
            code=type(exc).__name__,
            hint="Retry; if it persists, check the log.",
        )
    return DmsTuiError(
        "Unexpected failure: " + (_first_line(str(exc)) or type(exc).__name__),
        code=type(exc).__name__,
    )


def _method_of(exc) -> str:
    """The HTTP method of the request that failed ("" when the error does not say)."""
    try:
        return str(exc.response.request.method or "").upper()
    except AttributeError:
        return ""


def _arm_code_and_message(exc) -> tuple[str, str]:
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None) or ""
    message = getattr(error, "message", None) or ""
    if not code:
        try:
            body = exc.response.json()
            inner = body.get("error", body)
            code = inner.get("code", "") or ""
            message = inner.get("message", "") or message
        except Exception:  # noqa: BLE001 - the body may be anything
            pass
    if not message:
        message = _first_line(getattr(exc, "message", "") or str(exc))
    return str(code), str(message)


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def azure_call(func: F) -> F:
    """Decorator: whatever an SDK call raises leaves as a ``DmsTuiError``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DmsTuiError:
            raise
        except Exception as exc:  # noqa: BLE001 - translated, original chained
            raise translate(exc) from exc

    return wrapper  # type: ignore[return-value]
