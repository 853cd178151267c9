"""Azure SDK failures become AzureError with plain words, the ARM code and a fix."""

import json

import pytest
from azure.core.exceptions import HttpResponseError, ServiceRequestError

from tui.azure_errors import azure_call, translate
from tui.errors import AzureError, DmsTuiError, SignInError


class FakeResponse:
    def __init__(self, status, body):
        self.status_code = status
        self.reason = "reason"
        self._body = json.dumps(body).encode()
        self.headers = {"content-type": "application/json"}
        self.request = None

    def text(self, encoding=None):
        return self._body.decode()

    def body(self):
        return self._body

    def json(self):
        return json.loads(self._body)


def http_error(status, code, message):
    return HttpResponseError(
        response=FakeResponse(status, {"error": {"code": code, "message": message}})
    )


def test_known_code_gets_plain_words_code_and_hint():
    err = translate(
        http_error(403, "AuthorizationFailed", "The client 'x' does not have authorization")
    )
    assert isinstance(err, AzureError)
    assert err.code == "AuthorizationFailed"
    assert "not allowed" in err.message
    assert "Contributor" in err.hint
    assert "does not have authorization" in err.message  # Azure's own words kept


def test_cutover_not_ready_code_is_explained():
    err = translate(http_error(400, "MigrationNotReadyForCutoverError", "Not ready"))
    assert "not ready for cutover" in err.message
    assert err.status == 400


def test_unknown_code_falls_back_to_status():
    err = translate(http_error(503, "SomethingNew", "busy"))
    assert err.code == "SomethingNew"
    assert "temporarily unavailable" in err.message


def test_401_is_a_sign_in_error():
    assert isinstance(
        translate(http_error(401, "ExpiredAuthenticationToken", "expired")), SignInError
    )


def test_dropped_connection_is_plain():
    err = translate(ServiceRequestError("Connection reset by peer"))
    assert "Could not reach Azure" in err.message
    assert err.code == "ServiceRequestError"


def test_decorator_translates_and_chains():
    @azure_call
    def boom():
        raise http_error(404, "ResourceNotFound", "gone")

    with pytest.raises(AzureError) as info:
        boom()
    assert isinstance(info.value.__cause__, HttpResponseError)
    assert str(info.value).endswith("[ResourceNotFound]")


def test_project_errors_pass_through():
    original = DmsTuiError("x", code="Y")
    assert translate(original) is original


def test_an_unexpected_failure_without_words_is_named_by_its_kind():
    assert translate(RuntimeError()).message == "Unexpected failure: RuntimeError"
    assert translate(RuntimeError("disk full")).message == "Unexpected failure: disk full"


class FakeRequest:
    def __init__(self, method):
        self.method = method


def _with_method(err, method):
    err.response.request = FakeRequest(method)
    return err


@pytest.mark.parametrize(
    "status,code",
    [(500, "InternalServerError"), (503, "ServiceUnavailable"), (504, "GatewayTimeout")],
)
def test_a_failed_change_never_says_nothing_was_changed(status, code):
    """A read that failed changed nothing; a change that failed may have been done: it is
    never resent by itself, and the DBA is told to check what Azure holds."""
    read = translate(_with_method(http_error(status, code, "boom"), "GET"))
    assert "Nothing was changed" in read.hint
    for method in ("POST", "PUT", "DELETE"):
        change = translate(_with_method(http_error(status, code, "boom"), method))
        assert "may or may not have acted" in change.hint and "not repeated" in change.hint
        assert "Nothing was" not in change.hint and "nothing was lost" not in change.hint.lower()


def test_a_throttled_change_was_not_done_and_not_resent():
    err = translate(_with_method(http_error(429, "TooManyRequests", "slow down"), "POST"))
    assert "Azure did not act on it" in err.hint and "not resent" in err.hint


def test_a_dropped_connection_does_not_promise_nothing_was_lost():
    err = translate(ServiceRequestError("Connection reset by peer"))
    assert "nothing was lost" not in err.hint.lower()
    assert "check what Azure holds" in err.hint


@pytest.mark.parametrize(
    "code",
    [
        "CutoverNotAllowedMigrationCompleteError",
        "OperationInProgress",
        "DeleteMigrationNotAllowedMigrationInProgress",
        "DeleteMigrationNotAllowedCutoverInProgress",
        "DeleteMigrationNotAllowedCancelInProgress",
        "MigrationRetryNotAllowed",
        "MigrationNotReadyForCancelError",
        "MigrationAlreadyExists",
    ],
)
def test_dms_refusals_of_the_spec_are_explained(code):
    err = translate(http_error(400, code, "Azure's own words"))
    assert err.code == code and err.hint
    assert not err.message.startswith("Azure rejected the request")  # its own plain words
