"""The in-process HTTP transport: the real Azure SDK pipeline sends its requests here.

``send`` answers from the emulated Resource Manager (and, for ``<account>.blob.core.windows.net``,
from the emulated Blob service) without opening a socket. The response is a
``requests.Response`` wrapped the way azure-core's own ``RequestsTransport`` wraps one, so every
policy (retry, authentication, LRO polling, error mapping) sees what it would see from Azure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from azure.core.exceptions import ServiceRequestError, ServiceResponseError
from azure.core.pipeline.transport import HttpTransport, RequestsTransportResponse
from azure.core.pipeline.transport._requests_basic import (  # RequestsTransport's own helpers
    _handle_non_stream_rest_response,
    _is_rest,
)
from azure.core.rest._requests_basic import RestRequestsTransportResponse
from requests.structures import CaseInsensitiveDict

from tui import json_pieces

from .arm import Answer
from .blob_service import is_blob_host
from .tde import redact

if TYPE_CHECKING:
    from .sandbox import Sandbox


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: str
    path: str
    body: dict | list | None
    query: dict[str, str]
    auth: str = ""  # the Authorization scheme only (Bearer, SharedKey): never the secret


def _request_body(request: Any) -> bytes | None:
    content = getattr(request, "content", None)  # azure.core.rest.HttpRequest
    if content is None:
        content = getattr(request, "data", None)  # legacy transport HttpRequest
    if content is None:
        content = getattr(request, "body", None)
    if content is None:
        return None
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, (bytes, bytearray)):
        return bytes(content)
    if hasattr(content, "read"):
        return content.read()
    return json.dumps(content).encode("utf-8")


class SandboxTransport(HttpTransport):
    """azure-core ``HttpTransport`` answering from a :class:`~tui.sandbox.Sandbox`."""

    def __init__(self, sandbox: Sandbox, block_size: int = 4096):
        self._sandbox = sandbox
        self._block_size = block_size

    # HttpTransport is a context manager the pipeline opens and closes; nothing to hold open.
    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass

    def sleep(self, duration: float) -> None:
        """Called by the SDK between LRO polls and retries: follows the sandbox clock."""
        self._sandbox.clock.sleep(duration)

    def send(self, request: Any, **kwargs: Any):
        url = request.url
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        raw = _request_body(request)
        body = None
        if raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                body = None
        path = unquote(parts.path)  # as ARM routes it: "Sales%20DB" is the database "Sales DB"
        method = request.method.upper()
        auth = next((v for k, v in request.headers.items() if k.lower() == "authorization"), "")
        self._sandbox._record(
            # the log keeps no certificate or certificate password
            RecordedRequest(
                method, url, path, redact(path, body), query, auth=auth.partition(" ")[0]
            )
        )
        if is_blob_host(parts.hostname or ""):
            return self._send_blob(request, parts, query, method, kwargs)

        slow, fault = self._sandbox.faults.take(path, method)
        if slow is not None:
            slow.delay()
        if fault is not None and fault.kind == "drop_connection" and not fault.after_processing:
            raise ServiceRequestError(
                "Connection aborted: the remote end closed the connection "
                "before the request was sent (sandbox fault)."
            )
        if fault is not None and fault.kind in ("throttle", "server_error", "expired_token"):
            answer = self._sandbox._fault_answer(fault)
        else:
            answer = self._sandbox._handle(method, path, query, dict(request.headers), body, raw)
        if fault is not None and fault.kind == "drop_connection":
            raise ServiceResponseError(
                "Connection aborted: the remote end closed the connection "
                "without a response (sandbox fault)."
            )
        return self._wrap(request, answer, stream=kwargs.get("stream", False))

    def _send_blob(self, request: Any, parts: Any, query: dict, method: str, kwargs: dict):
        """The Blob service of a sandbox storage account; a name no account has does not
        resolve, as in DNS."""
        host = parts.hostname or ""
        if self._sandbox.world.storage_by_name(host.split(".", 1)[0]) is None:
            raise ServiceRequestError(
                f"Failed to resolve '{host}' ([Errno -2] Name or service not known)"
            )
        slow, fault = self._sandbox.faults.take(parts.path, method)
        if slow is not None:
            slow.delay()
        if fault is not None and fault.kind == "drop_connection":
            raise ServiceResponseError(
                "Connection aborted: the remote end closed the connection "
                "without a response (sandbox fault)."
            )
        service = self._sandbox.blob_service
        if fault is not None:
            answer = service.fault_answer(fault, dict(request.headers))
        else:
            answer = service.handle(method, host, parts.path, query, dict(request.headers))
        return self._wrap(request, answer, stream=kwargs.get("stream", False))

    def _wrap(self, request: Any, answer: Answer, *, stream: bool):
        raw = isinstance(answer.body, bytes)  # the Blob service's XML, sent as it is
        if raw:
            data = answer.body
        else:
            # in pieces: the app's UI thread runs between a 20,000-table answer's tables
            data = b"" if answer.body is None else json_pieces.dumps(answer.body).encode("utf-8")
        resp = requests.Response()
        resp.status_code = answer.status
        try:
            resp.reason = HTTPStatus(answer.status).phrase
        except ValueError:
            resp.reason = ""
        headers = CaseInsensitiveDict(answer.headers)
        headers.setdefault("x-ms-request-id", self._sandbox._request_id())
        if not raw:
            headers.setdefault("x-ms-correlation-request-id", headers["x-ms-request-id"])
        headers["Content-Length"] = str(len(data))
        if answer.body is not None and not raw:
            headers["Content-Type"] = "application/json; charset=utf-8"
        resp.headers = headers
        resp._content = data
        resp._content_consumed = True
        resp.raw = BytesIO(data)
        resp.encoding = "utf-8"
        resp.url = request.url
        if _is_rest(request):
            response = RestRequestsTransportResponse(
                request=request, internal_response=resp, block_size=self._block_size
            )
            if not stream:
                _handle_non_stream_rest_response(response)
            return response
        return RequestsTransportResponse(request, resp, self._block_size)
