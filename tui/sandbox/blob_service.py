"""The Blob service's List Blobs, answered from the sandbox's storage accounts.

``https://<account>.blob.core.windows.net/<container>?restype=container&comp=list`` with
``prefix``, ``delimiter``, ``marker`` and ``maxresults``, answered as the real service does:
the ``EnumerationResults`` XML (blobs and ``BlobPrefix`` placeholders in name order, at most
``maxresults`` — 5,000 by default — a page, ``NextMarker`` to go on), the ``x-ms-version``
the request asked for echoed, and the service's error XML (``<Error><Code>…``, also in the
``x-ms-error-code`` header) for a missing container, a wrong or refused key, a token whose
identity holds no data role, a missing version header. The real ``azure-storage-blob``
client runs against it through the sandbox transport.

Requests are signed with the account key (``SharedKey``, checked here the way the service
checks it: HMAC-SHA256 over the canonical request) or carry a bearer token the sandbox
credential issued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from email.utils import formatdate
from typing import TYPE_CHECKING
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from .arm import Answer

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .world import BlobFile, StorageAccount

BLOB_HOST_SUFFIX = ".blob.core.windows.net"
MAX_RESULTS = 5000
SIGNED_HEADERS = (
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
)


def is_blob_host(host: str) -> bool:
    return host.lower().endswith(BLOB_HOST_SUFFIX)


class BlobError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: str = "", headers=None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = dict(headers or {})


class BlobService:
    """One Blob service endpoint per sandbox storage account."""

    def __init__(self, sandbox: Sandbox):
        self.sb = sandbox
        self.page_size = MAX_RESULTS  # the most a page holds, whatever maxresults asks

    def handle(
        self, method: str, host: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> Answer:
        hdr = {k.lower(): v for k, v in headers.items()}
        request_id = self.sb.new_id("blob-request")
        version = hdr.get("x-ms-version", "")
        try:
            account = self.sb.world.storage_by_name(host.split(".", 1)[0])
            if account is None:  # unreachable in practice: the transport refuses the name
                raise BlobError(400, "InvalidUri", "The requested URI does not exist.")
            self._authorize(account, method, path, query, hdr)
            if not version:
                raise BlobError(
                    400,
                    "MissingRequiredHeader",
                    "An HTTP header that's mandatory for this request is not specified.",
                    "<HeaderName>x-ms-version</HeaderName>",
                )
            body = self._route(account, method, path, query)
        except BlobError as err:
            return self._error(err, request_id, version, hdr)
        return Answer(200, body, self._headers(request_id, version, hdr))

    def fault_answer(self, fault, headers: dict[str, str]) -> Answer:
        """An injected fault as the Blob service answers it (503 ServerBusy, 500, 401)."""
        hdr = {k.lower(): v for k, v in headers.items()}
        version = hdr.get("x-ms-version", "")
        request_id = self.sb.new_id("blob-request")
        if fault.kind == "throttle":
            err = BlobError(
                503,
                "ServerBusy",
                "The server is busy.",
                headers={"Retry-After": str(max(0, int(round(fault.retry_after))))},
            )
        elif fault.kind == "expired_token":
            err = BlobError(
                401,
                "InvalidAuthenticationInfo",
                "Server failed to authenticate the request. Lifetime validation failed. The "
                "token is expired.",
            )
        else:
            err = BlobError(
                fault.status,
                "InternalError",
                "The server encountered an internal error. Please retry the request.",
            )
        return self._error(err, request_id, version, hdr)

    # ------------------------------------------------------------------ authorization

    def _authorize(
        self,
        account: StorageAccount,
        method: str,
        path: str,
        query: dict[str, str],
        hdr: dict[str, str],
    ) -> None:
        auth = hdr.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme == "SharedKey":
            name, _, signature = value.partition(":")
            if not account.allow_shared_key_access:
                raise BlobError(
                    403,
                    "KeyBasedAuthenticationNotPermitted",
                    "Key based authentication is not permitted on this storage account.",
                )
            wanted = string_to_sign(account.name, method, path, query, hdr)
            if name != account.name or not any(
                hmac.compare_digest(signature, sign(key, wanted)) for key in account.keys
            ):
                raise BlobError(
                    403,
                    "AuthenticationFailed",
                    "Server failed to authenticate the request. Make sure the value of "
                    "Authorization header is formed correctly including the signature.",
                    f"<AuthenticationErrorDetail>The MAC signature found in the HTTP request "
                    f"'{escape(signature)}' is not the same as any computed signature."
                    "</AuthenticationErrorDetail>",
                )
            return
        if scheme == "Bearer":
            if value not in self.sb.credential.issued:
                raise BlobError(
                    401,
                    "InvalidAuthenticationInfo",
                    "Authentication information is not given in the correct format. Check "
                    "the value of Authorization header.",
                )
            if not account.signed_in_can_read:
                raise BlobError(
                    403,
                    "AuthorizationPermissionMismatch",
                    "This request is not authorized to perform this operation using this "
                    "permission.",
                )
            return
        raise BlobError(
            401,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the information in "
            "the www-authenticate header.",
            headers={
                "WWW-Authenticate": "Bearer authorization_uri=https://login.microsoftonline.com/"
                f"{self.sb.world.tenant_id}/oauth2/authorize resource_id=https://storage.azure.com"
            },
        )

    # ------------------------------------------------------------------ List Blobs

    def _route(
        self, account: StorageAccount, method: str, path: str, query: dict[str, str]
    ) -> bytes:
        container_name = unquote(path).strip("/")
        low = {k.lower(): v for k, v in query.items()}
        if (
            method not in ("GET", "HEAD")
            or "/" in container_name
            or not container_name
            or low.get("restype") != "container"
            or low.get("comp") != "list"
        ):
            raise BlobError(
                400,
                "UnsupportedHttpVerb" if method not in ("GET", "HEAD") else "InvalidUri",
                "The resource doesn't support specified Http Verb."
                if method not in ("GET", "HEAD")
                else "The requested URI does not represent any resource on the server.",
            )
        with self.sb.world.lock:
            container = account.containers.get(container_name)
            if container is None:
                raise BlobError(404, "ContainerNotFound", "The specified container does not exist.")
            now = self.sb.clock.now()
            blobs = sorted((b for b in container.blobs if b.created <= now), key=lambda b: b.path)
        return self._list(account, container_name, blobs, low)

    def _list(
        self, account: StorageAccount, container: str, blobs: list[BlobFile], q: dict[str, str]
    ) -> bytes:
        prefix = q.get("prefix", "")
        delimiter = q.get("delimiter", "")
        try:
            wanted = int(q["maxresults"]) if "maxresults" in q else MAX_RESULTS
        except ValueError:
            wanted = 0
        if wanted < 1:
            raise BlobError(
                400,
                "OutOfRangeQueryParameterValue",
                "One of the query parameters specified in the request URI is outside the "
                "permissible range.",
                f"<QueryParameterName>maxresults</QueryParameterName>"
                f"<QueryParameterValue>{escape(q.get('maxresults', ''))}</QueryParameterValue>",
            )
        size = min(wanted, self.page_size, MAX_RESULTS)
        entries: list[tuple[str, BlobFile | None]] = []  # (name, blob) or (prefix, None)
        seen_prefixes: set[str] = set()
        for b in blobs:
            if not b.path.startswith(prefix):
                continue
            rest = b.path[len(prefix) :]
            if delimiter and delimiter in rest:
                group = prefix + rest[: rest.index(delimiter) + len(delimiter)]
                if group not in seen_prefixes:
                    seen_prefixes.add(group)
                    entries.append((group, None))
                continue
            entries.append((b.path, b))
        marker = q.get("marker", "")
        start = _decode_marker(marker)
        if start:
            entries = [e for e in entries if e[0] >= start]
        page, remaining = entries[:size], entries[size:]
        next_marker = _encode_marker(remaining[0][0]) if remaining else ""
        return self._xml(account, container, q, page, next_marker)

    def _xml(
        self,
        account: StorageAccount,
        container: str,
        q: dict[str, str],
        page: list[tuple[str, BlobFile | None]],
        next_marker: str,
    ) -> bytes:
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f"<EnumerationResults ServiceEndpoint={quoteattr(account.blob_endpoint)} "
            f"ContainerName={quoteattr(container)}>",
        ]
        for tag, key in (
            ("Prefix", "prefix"),
            ("Marker", "marker"),
            ("MaxResults", "maxresults"),
            ("Delimiter", "delimiter"),
        ):
            if key in q:
                out.append(f"<{tag}>{escape(q[key])}</{tag}>")
        out.append("<Blobs>")
        for name, blob in page:
            if blob is None:
                out.append(f"<BlobPrefix><Name>{escape(name)}</Name></BlobPrefix>")
            else:
                out.append(_blob_xml(blob))
        out.append("</Blobs>")
        out.append(
            f"<NextMarker>{escape(next_marker)}</NextMarker>" if next_marker else "<NextMarker />"
        )
        out.append("</EnumerationResults>")
        return "".join(out).encode("utf-8")

    # ------------------------------------------------------------------ answers

    def _headers(self, request_id: str, version: str, hdr: dict[str, str]) -> dict[str, str]:
        out = {
            "Content-Type": "application/xml",
            "Server": "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0",
            "x-ms-request-id": request_id,
            "Date": formatdate(self.sb.clock.now(), usegmt=True),
        }
        if version:
            out["x-ms-version"] = version
        if "x-ms-client-request-id" in hdr:
            out["x-ms-client-request-id"] = hdr["x-ms-client-request-id"]
        return out

    def _error(self, err: BlobError, request_id: str, version: str, hdr: dict) -> Answer:
        when = datetime.fromtimestamp(self.sb.clock.now(), UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.0000000Z"
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f"<Error><Code>{err.code}</Code><Message>{escape(err.message)}\n"
            f"RequestId:{request_id}\nTime:{when}</Message>{err.detail}</Error>"
        ).encode()
        headers = self._headers(request_id, version, hdr)
        headers["x-ms-error-code"] = err.code
        headers.update(err.headers)
        return Answer(err.status, body, headers)


# ---------------------------------------------------------------------- Shared Key


def string_to_sign(
    account: str, method: str, path: str, query: dict[str, str], hdr: dict[str, str]
) -> str:
    """The canonical request the service signs (Authorize with Shared Key, version
    2009-09-19 and later): verb, the standard headers, the x-ms-* headers sorted, and the
    resource with its query parameters sorted, names lower-cased, values decoded."""
    values = dict(hdr)
    if values.get("content-length") == "0":
        values["content-length"] = ""
    lines = [method.upper()] + [values.get(h, "") for h in SIGNED_HEADERS]
    ms = sorted((k, v) for k, v in hdr.items() if k.startswith("x-ms-"))
    canonical_headers = "".join(f"{k}:{v.strip()}\n" for k, v in ms)
    resource = f"/{account}{path or '/'}"
    for name in sorted(query, key=str.lower):
        resource += f"\n{name.lower()}:{query[name]}"
    return "\n".join(lines) + "\n" + canonical_headers + resource


def sign(key: str, text: str) -> str:
    digest = hmac.new(base64.b64decode(key), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


# ---------------------------------------------------------------------- XML pieces


def _blob_xml(b: BlobFile) -> str:
    created = formatdate(b.created, usegmt=True)
    etag = f"0x8DC{int(b.created * 1000) & 0xFFFFFFFFFFFF:X}"
    props = (
        f"<Creation-Time>{created}</Creation-Time>"
        f"<Last-Modified>{created}</Last-Modified>"
        f"<Etag>{etag}</Etag>"
        f"<Content-Length>{b.size}</Content-Length>"
        f"<Content-Type>{escape(b.content_type)}</Content-Type>"
        "<Content-Encoding /><Content-Language /><Content-CRC64 /><Content-MD5 />"
        "<Cache-Control /><Content-Disposition />"
        "<BlobType>BlockBlob</BlobType>"
        "<AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>"
        "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>"
        "<ServerEncrypted>true</ServerEncrypted>"
    )
    return (
        f"<Blob><Name>{escape(b.path)}</Name><Properties>{props}</Properties><OrMetadata /></Blob>"
    )


def _encode_marker(name: str) -> str:
    """An opaque continuation marker, shaped like the service's ("2!<n>!<base64>")."""
    raw = base64.b64encode(name.encode("utf-8")).decode("ascii")
    return f"2!{len(raw)}!{raw}"


def _decode_marker(marker: str) -> str:
    if not marker:
        return ""
    try:
        _, _, raw = marker.split("!", 2)
        return base64.b64decode(raw).decode("utf-8")
    except ValueError:
        raise BlobError(
            400,
            "OutOfRangeQueryParameterValue",
            "One of the query parameters specified in the request URI is outside the "
            "permissible range.",
            f"<QueryParameterName>marker</QueryParameterName>"
            f"<QueryParameterValue>{escape(marker)}</QueryParameterValue>",
        ) from None
