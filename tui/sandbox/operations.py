"""Asynchronous operations: the ``Azure-AsyncOperation`` resources the SDK's LRO poller reads."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .arm import Answer, ArmError
from .clock import iso

DMS_API = "2025-06-30"

# check() -> (status, error dict or None, simulated seconds still to go or None)
Check = Callable[[], tuple[str, dict | None, float | None]]


@dataclass
class AsyncOperation:
    id: str
    subscription: str
    location: str
    namespace: str
    started: float
    check: Check
    status: str = "InProgress"
    error: dict | None = None
    ended: float | None = None
    collection: str = "operationStatuses"  # Microsoft.Sql names its own per operation

    @property
    def path(self) -> str:
        return (
            f"/subscriptions/{self.subscription}/providers/{self.namespace}"
            f"/locations/{self.location}/{self.collection}/{self.id}"
        )

    @property
    def url(self) -> str:
        return f"https://management.azure.com{self.path}?api-version={DMS_API}"


class Operations:
    def __init__(
        self,
        now: Callable[[], float],
        real_seconds: Callable[[float], float],
        manual: bool,
        new_id: Callable[[str], str],
    ):
        self._now = now
        self._new_id = new_id
        self._real_seconds = real_seconds
        self._manual = manual
        self._ops: dict[str, AsyncOperation] = {}

    def start(
        self,
        subscription: str,
        location: str,
        check: Check,
        namespace: str = "Microsoft.DataMigration",
        collection: str = "operationStatuses",
    ) -> tuple[AsyncOperation, dict[str, str]]:
        op = AsyncOperation(
            self._new_id("async-operation"),
            subscription,
            location,
            namespace,
            self._now(),
            check,
            collection=collection,
        )
        self._ops[op.id.lower()] = op
        self._refresh(op)
        return op, {"Azure-AsyncOperation": op.url, **self.retry_after(op)}

    def retry_after(self, op: AsyncOperation, eta: float | None = None) -> dict[str, str]:
        """How long the poller should wait: ``Retry-After`` (whole seconds) or, under a second,
        ``retry-after-ms`` (azure-core reads both; a zero would make it fall back to its 30 s
        default)."""
        if op.status != "InProgress":
            wait = 0.001  # done: let the poller read the result at once
        else:
            if eta is None:
                _, _, eta = op.check()
            wait = self._real_seconds(max(eta if eta is not None else 5.0, 0.0))
            # a manual clock only moves when the caller advances it: poll at a steady pace; on a
            # real clock wait for the work to be done, but keep the UI lively
            wait = min(max(wait, 0.2), 60.0) if self._manual else min(max(wait, 0.2), 5.0)
        if wait >= 1.0:
            return {"Retry-After": str(math.ceil(wait))}
        return {"retry-after-ms": str(max(1, int(wait * 1000)))}

    def _refresh(self, op: AsyncOperation) -> float | None:
        if op.status != "InProgress":
            return None
        status, error, eta = op.check()
        if status != "InProgress":
            op.status, op.error, op.ended = status, error, self._now()
        return eta

    def answer(self, subscription: str, location: str, op_id: str) -> Answer:
        op = self._ops.get(op_id.lower())
        if op is None or op.subscription.lower() != subscription.lower():
            raise ArmError(404, "OperationNotFound", f"The operation '{op_id}' could not be found.")
        eta = self._refresh(op)
        body: dict[str, Any] = {
            "id": op.path,
            "name": op.id,
            "status": op.status,
            "startTime": iso(op.started),
        }
        if op.ended is not None:
            body["endTime"] = iso(op.ended)
        if op.error:
            body["error"] = op.error
        return Answer(200, body, self.retry_after(op, eta))
