"""Azure SDK pipeline policy: never register a resource provider behind the user's back.

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
from azure.core.pipeline.policies import HTTPPolicy
from azure.mgmt.core.exceptions import ARMErrorFormat

from tui.azure_errors import translate

NOT_REGISTERED = "MissingSubscriptionRegistration"


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
            raise translate(HttpResponseError(response=response.http_response, error_format=ARMErrorFormat))
        return response
