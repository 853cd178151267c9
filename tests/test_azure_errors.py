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
    return HttpResponseError(response=FakeResponse(status, {"error": {"code": code,
                                                                      "message": message}}))


def test_known_code_gets_plain_words_code_and_hint():
    err = translate(http_error(403, "AuthorizationFailed", "The client 'x' does not have "
                                                           "authorization"))
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
    assert isinstance(translate(http_error(401, "ExpiredAuthenticationToken", "expired")),
                      SignInError)


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
