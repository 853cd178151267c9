"""Azure SDK pipeline policies: never resend a change, never register a provider behind the
user's back.

azure-core's default ``RetryPolicy`` resends a POST after a 500/503/504, any request after a
429 with ``Retry-After``, and PUT/DELETE after a dropped connection. For a cutover, a cancel,
a create or a delete that is a second request the DBA never made — after Azure may already
have acted on the first. :class:`ReadOnlyRetryPolicy` keeps azure-core's retries for reads
(GET, HEAD: 408/429/5xx, ``Retry-After``, connection errors) and never resends anything
else; the Controller reads Azure again after a failed change (``tui.writes``).

Every ARM client of azure-mgmt-core carries ``ARMAutoResourceProviderRegistrationPolicy``:
on a 409 ``MissingSubscriptionRegistration`` it registers the provider itself and then polls
its state every 10 s of wall-clock time, with no time limit, before retrying the request. In
the app that is a worker frozen for minutes with nothing on screen. Registering
Microsoft.DataMigration is step 1 of the wizard, an explicit action the user sees; so the
Controller's clients get :class:`RefuseAutoRegistration`, which runs below that policy and
turns the 409 into the app's own error at once.
"""

from __future__ import annotations

import json

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy, RetryPolicy
from azure.mgmt.core.exceptions import ARMErrorFormat

from tui.azure_errors import translate

NOT_REGISTERED = "MissingSubscriptionRegistration"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _method(request: object) -> str:
    http = getattr(request, "http_request", request)
    return str(getattr(http, "method", "") or "").upper()


class ReadOnlyRetryPolicy(RetryPolicy):
    """``RetryPolicy`` for reads only: a request that may change something in Azure is sent
    once, whatever comes back (the caller reads Azure again to learn what happened)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._method_whitelist = SAFE_METHODS  # connection errors: resent for reads only

    def configure_retries(self, options):
        settings = super().configure_retries(options)
        settings["methods"] = SAFE_METHODS  # a per-call retry_on_methods can't widen it
        return settings

    def is_retry(self, settings, response) -> bool:
        if _method(response) not in SAFE_METHODS:
            return False  # also a 429 with Retry-After, and a POST after 500/503/504
        return super().is_retry(settings, response)

    def increment(self, settings, response=None, error=None) -> bool:
        if response is not None and _method(response) not in SAFE_METHODS:
            return False
        return super().increment(settings, response=response, error=error)


def _error_code(response: PipelineResponse) -> str:
    try:
        body = json.loads(response.http_response.text())
        return str(body.get("error", {}).get("code") or "")
    except (ValueError, AttributeError, TypeError):
        return ""


class RefuseAutoRegistration(HTTPPolicy):
    """Pass as ``per_retry_policies``: sits after the retry policy, so below the auto-registration
    policy. Raises the app's ``AzureError`` (not an azure-core error, so nothing retries it)."""

    def send(self, request: PipelineRequest) -> PipelineResponse:
        response = self.next.send(request)
        if response.http_response.status_code == 409:
            read = getattr(response.http_response, "read", None)
            if read is not None:  # a streamed body must be read before it can be looked at
                read()
        if response.http_response.status_code == 409 and _error_code(response) == NOT_REGISTERED:
            raise translate(
                HttpResponseError(response=response.http_response, error_format=ARMErrorFormat)
            )
        return response
