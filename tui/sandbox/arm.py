"""Azure Resource Manager conventions: answers, the error envelope, ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int
    body: Any = None  # dict/list (sent as JSON) or None (empty body)
    headers: dict[str, str] = field(default_factory=dict)


class ArmError(Exception):
    """Raised by handlers; becomes ``{"error": {"code", "message", "target"?, "details"?}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str | None = None,
        details: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = details
        self.headers = headers or {}

    def answer(self) -> Answer:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.target:
            err["target"] = self.target
        if self.details:
            err["details"] = self.details
        return Answer(self.status, {"error": err}, dict(self.headers))


def not_found(resource_type: str, name: str, group: str | None = None) -> ArmError:
    where = f" under resource group '{group}'" if group else ""
    return ArmError(
        404,
        "ResourceNotFound",
        f"The Resource '{resource_type}/{name}'{where} was not found. For more details "
        "please go to https://aka.ms/ARMResourceNotFoundFix",
    )


def group_not_found(group: str) -> ArmError:
    return ArmError(404, "ResourceGroupNotFound", f"Resource group '{group}' could not be found.")


def bad_request(code: str, message: str, target: str | None = None) -> ArmError:
    return ArmError(400, code, message, target=target)


def ok(body: Any = None, status: int = 200, **headers: str) -> Answer:
    return Answer(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


_ID_RE = re.compile(
    r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/([^/]+)/([^/]+)/([^/]+)(?:/.*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResourceId:
    subscription: str
    group: str
    namespace: str
    type: str
    name: str

    @property
    def full_type(self) -> str:
        return f"{self.namespace}/{self.type}"


def parse_id(resource_id: str | None) -> ResourceId | None:
    """Split an ARM id ``/subscriptions/s/resourceGroups/g/providers/Ns/type/name``."""
    if not resource_id:
        return None
    rid = resource_id if resource_id.startswith("/") else "/" + resource_id
    m = _ID_RE.match(rid.rstrip("/"))
    if not m:
        return None
    return ResourceId(*m.groups())


def same_id(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a.strip("/").lower() == b.strip("/").lower()


def page(items: list[dict]) -> dict:
    return {"value": items}
