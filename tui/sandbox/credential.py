"""A TokenCredential that hands out fake bearer tokens (no identity platform involved)."""

from __future__ import annotations

import itertools
import threading
import time

from azure.core.credentials import AccessToken, AccessTokenInfo


class SandboxCredential:
    """Implements both ``get_token`` and ``get_token_info`` of azure-core's credential protocols."""

    def __init__(self, tenant_id: str):
        self.tenant_id = tenant_id
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.issued: list[str] = []

    def _new_token(self) -> tuple[str, int]:
        with self._lock:
            n = next(self._counter)
            token = f"sandbox-token-{n}"
            self.issued.append(token)
        return token, int(time.time()) + 3600

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs,
    ) -> AccessToken:
        token, expires = self._new_token()
        return AccessToken(token, expires)

    def get_token_info(self, *scopes: str, options: dict | None = None) -> AccessTokenInfo:
        token, expires = self._new_token()
        return AccessTokenInfo(token, expires, token_type="Bearer", refresh_on=expires - 300)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()
