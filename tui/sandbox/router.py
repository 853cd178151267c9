"""Path routing for the emulated Resource Manager."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .arm import Answer, ArmError


@dataclass
class Req:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def api_version(self) -> str:
        return self.query.get("api-version", "")

    def q(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.query.items():
            if k.lower() == name.lower():
                return v
        return default


Handler = Callable[[Req], Answer]


def _compile(pattern: str) -> re.Pattern:
    out = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/"))
    return re.compile("^" + out + "/?$", re.IGNORECASE)


class Router:
    def __init__(self):
        self._routes: list[tuple[str, re.Pattern, Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method.upper(), _compile(pattern), handler))

    def route(self, req: Req) -> Answer:
        path_matched = False
        for method, rx, handler in self._routes:
            m = rx.match(req.path)
            if not m:
                continue
            path_matched = True
            if method != req.method and not (method == "GET" and req.method == "HEAD"):
                continue
            req.params = m.groupdict()
            return handler(req)
        if path_matched:
            raise ArmError(
                405,
                "MethodNotAllowed",
                f"The requested resource does not support http method '{req.method}'.",
            )
        raise unknown_route(req.path)


_TYPE_RE = re.compile(r"/providers/([^/]+)/([^/]+)", re.IGNORECASE)


def unknown_route(path: str) -> ArmError:
    found = _TYPE_RE.findall(path)
    if found:
        ns, rtype = found[-1]
        return ArmError(
            404,
            "InvalidResourceType",
            f"The resource type '{rtype}' could not be found in the namespace '{ns}' "
            "for api version in this request.",
        )
    return ArmError(404, "ResourceNotFound", f"The resource at '{path}' was not found.")
