"""Sign-in to Azure from a jump box over SSH, with azure-identity.

Four ways, chosen by the user: reuse ``az login`` (Azure CLI), a service principal from the
environment (AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET or certificate), the
machine's managed identity, or a device code shown in the app (never printed to stdout).
Tokens stay in memory unless the user explicitly opts into a persistent token cache.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.errors import SignInError

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

ARM_SCOPE = "https://management.azure.com/.default"


class SignInMethod(str, enum.Enum):
    AZURE_CLI = "cli"
    ENVIRONMENT = "environment"
    MANAGED_IDENTITY = "managed-identity"
    DEVICE_CODE = "device-code"

    @property
    def label(self) -> str:
        return {
            "cli": "Azure CLI (reuse `az login`)",
            "environment": "Service principal from environment variables",
            "managed-identity": "This machine's managed identity",
            "device-code": "Device code (sign in on another device's browser)",
        }[self.value]


@dataclass(frozen=True)
class DeviceCodePrompt:
    """What the user needs to finish a device-code sign-in: shown on screen."""

    verification_uri: str
    user_code: str
    expires_on: datetime


def environment_ready() -> bool:
    env = os.environ
    return bool(
        env.get("AZURE_CLIENT_ID")
        and env.get("AZURE_TENANT_ID")
        and (env.get("AZURE_CLIENT_SECRET") or env.get("AZURE_CLIENT_CERTIFICATE_PATH"))
    )


def make_credential(
    method: SignInMethod,
    *,
    tenant_id: str | None = None,
    on_device_code: Callable[[DeviceCodePrompt], object] | None = None,
    persistent_cache: bool = False,
    allow_unencrypted_cache: bool = False,
) -> TokenCredential:
    """A TokenCredential for ``method``. Nothing is written to disk unless
    ``persistent_cache`` is chosen (then unencrypted only with ``allow_unencrypted_cache``)."""
    import azure.identity as ai

    cache: dict[str, Any] = {}
    if persistent_cache:
        cache["cache_persistence_options"] = ai.TokenCachePersistenceOptions(
            name="dms-tui", allow_unencrypted_storage=allow_unencrypted_cache
        )
    if method == SignInMethod.AZURE_CLI:
        return ai.AzureCliCredential(tenant_id=tenant_id) if tenant_id else ai.AzureCliCredential()
    if method == SignInMethod.ENVIRONMENT:
        if not environment_ready():
            raise SignInError(
                "The service principal variables are not set.",
                code="EnvironmentNotSet",
                hint="Export AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or "
                "AZURE_CLIENT_CERTIFICATE_PATH) before starting dms-tui.",
            )
        env = os.environ
        if tenant_id and tenant_id.lower() != env["AZURE_TENANT_ID"].lower():
            # the same (multi-tenant) service principal, signing in to another tenant
            if env.get("AZURE_CLIENT_SECRET"):
                return ai.ClientSecretCredential(
                    tenant_id, env["AZURE_CLIENT_ID"], env["AZURE_CLIENT_SECRET"]
                )
            return ai.CertificateCredential(
                tenant_id, env["AZURE_CLIENT_ID"], env["AZURE_CLIENT_CERTIFICATE_PATH"]
            )
        return ai.EnvironmentCredential()
    if method == SignInMethod.MANAGED_IDENTITY:
        if tenant_id:
            raise SignInError(
                "A managed identity signs in to its own tenant only.",
                code="ManagedIdentityOneTenant",
                hint="Pick a subscription of the machine's tenant, or sign in with the Azure "
                "CLI or a device code to work in another tenant.",
            )
        client_id = os.environ.get("AZURE_CLIENT_ID")
        return (
            ai.ManagedIdentityCredential(client_id=client_id)
            if client_id
            else ai.ManagedIdentityCredential()
        )
    if method == SignInMethod.DEVICE_CODE:

        def prompt(uri: str, code: str, expires: datetime) -> None:
            if on_device_code is not None:
                on_device_code(DeviceCodePrompt(uri, code, expires))

        kwargs: dict[str, Any] = dict(prompt_callback=prompt, **cache)
        if tenant_id:
            kwargs["tenant_id"] = tenant_id
        return ai.DeviceCodeCredential(**kwargs)
    raise SignInError(f"Unknown sign-in method {method!r}.", code="UnknownSignInMethod")


def check_credential(credential: TokenCredential) -> str:
    """Get one ARM token (blocking — call from a worker) so a bad sign-in shows up now.
    Returns the tenant the token is for ("" when it cannot be read)."""
    from tui.azure_errors import translate

    try:
        token = credential.get_token(ARM_SCOPE)
    except Exception as exc:  # noqa: BLE001 - translated
        raise translate(exc) from exc
    return token_tenant(getattr(token, "token", "") or "")


def token_tenant(token: str) -> str:
    """The ``tid`` claim of an access token (a JWT), read without verifying it — only to know
    which tenant the credential signed in to. The token itself is never kept or logged."""
    import base64
    import json

    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    return str(claims.get("tid", "") or "") if isinstance(claims, dict) else ""
