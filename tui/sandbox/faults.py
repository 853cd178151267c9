"""Transport faults a test (or the sandbox UI) can inject.

Each fault applies to the next ``times`` requests whose path contains ``match`` (``times=None``:
forever) and, when ``method`` is set, that use that HTTP method, in the order the faults were
injected. ``Fault.slow`` delays the answer (for its seconds, or until its ``until`` event is
set) and lets the request go on; the others replace the answer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Fault:
    kind: str  # throttle, server_error, drop_connection, slow, expired_token
    times: int | None = 1
    match: str = ""
    status: int = 0
    retry_after: float = 0.0
    seconds: float = 0.0
    after_processing: bool = False  # drop_connection: the service did the work, the answer was lost
    method: str = ""  # only requests with this HTTP method ("" = any)
    until: threading.Event | None = field(default=None, compare=False)  # slow: answer when set
    hits: int = field(default=0, compare=False)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def throttle(
        cls, retry_after: float = 1, times: int | None = 1, match: str = "", method: str = ""
    ) -> Fault:
        """429 Too Many Requests with ``Retry-After`` (ARM error code ``TooManyRequests``)."""
        return cls(
            "throttle", times=times, match=match, status=429, retry_after=retry_after, method=method
        )

    @classmethod
    def server_error(
        cls, status: int = 500, times: int | None = 1, match: str = "", method: str = ""
    ) -> Fault:
        """A 5xx answer (500 InternalServerError, 502, 503 ServiceUnavailable, 504)."""
        if not 500 <= status <= 599:
            raise ValueError("server_error needs a 5xx status")
        return cls("server_error", times=times, match=match, status=status, method=method)

    @classmethod
    def drop_connection(
        cls,
        times: int | None = 1,
        match: str = "",
        after_processing: bool = False,
        method: str = "",
    ) -> Fault:
        """The connection drops: before the request reached Azure (``ServiceRequestError``) or,
        with ``after_processing``, after Azure acted on it but before the answer came back
        (``ServiceResponseError``)."""
        return cls(
            "drop_connection",
            times=times,
            match=match,
            after_processing=after_processing,
            method=method,
        )

    @classmethod
    def slow(
        cls,
        seconds: float,
        times: int | None = 1,
        match: str = "",
        until: threading.Event | None = None,
    ) -> Fault:
        """Really wait ``seconds`` (wall clock) before answering; with ``until``, answer as
        soon as that event is set, ``seconds`` being then only the bound."""
        return cls("slow", times=times, match=match, seconds=seconds, until=until)

    def delay(self) -> None:
        """The wait of a slow fault, in the thread sending the request."""
        if self.until is not None:
            self.until.wait(self.seconds)
        else:
            time.sleep(self.seconds)

    @classmethod
    def expired_token(cls, times: int | None = 1, match: str = "") -> Fault:
        """401 with ARM code ``ExpiredAuthenticationToken``."""
        return cls("expired_token", times=times, match=match, status=401)

    # ------------------------------------------------------------------ matching

    def applies_to(self, path: str, method: str = "") -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method and method and self.method.upper() != method.upper():
            return False
        return not self.match or self.match.lower() in path.lower()

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times


class FaultSet:
    """The injected faults, consumed in injection order. Thread-safe."""

    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.spent]

    def take(self, path: str, method: str = "") -> tuple[Fault | None, Fault | None]:
        """The slow fault and the answer-replacing fault for this request (each may be None)."""
        slow = other = None
        with self._lock:
            for f in self._faults:
                if not f.applies_to(path, method):
                    continue
                if f.kind == "slow":
                    if slow is None:
                        slow = f
                        f.hits += 1
                elif other is None:
                    other = f
                    f.hits += 1
            self._faults = [f for f in self._faults if not f.spent]
        return slow, other
