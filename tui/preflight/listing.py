"""A database's backup folder as the Blob service lists it, through ``azure-storage-blob``.

The Controller owns these calls (they are Azure calls): it hands over the credential — the
storage account key it fetched through Azure, or the signed-in identity's token credential —
and its azure-core transport (the sandbox's, in tests and ``--sandbox``). Blocking: call from
a worker. Every failure leaves as an ``AzureError`` with plain words, the Blob service's own
error code (``ContainerNotFound``, ``AuthorizationPermissionMismatch`` …) and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.errors import AzureError

PAGE_SIZE = 5000  # the most the service returns in one page


@dataclass(frozen=True)
class BlobEntry:
    """One blob directly in the folder."""

    name: str  # the file name, without the folder
    size: int = 0
    last_modified: datetime | None = None
    blob_type: str = ""  # BlockBlob, PageBlob, AppendBlob


@dataclass(frozen=True)
class FolderListing:
    """What ``<container>/<folder>/`` holds: its files, and the folders nested in it."""

    account: str
    container: str
    folder: str
    blobs: tuple[BlobEntry, ...] = ()
    subfolders: tuple[str, ...] = ()  # names below the folder, each ending in "/"
    auth: str = ""  # "account key" or "signed-in identity": how it was read

    @property
    def where(self) -> str:
        return f"{self.account}/{self.container}/{self.folder}/"

    @property
    def names(self) -> list[str]:
        return [b.name for b in self.blobs]


def account_url(account: str) -> str:
    return f"https://{account}.blob.core.windows.net"


def list_folder(
    account: str,
    container: str,
    folder: str,
    credential: Any,
    *,
    transport: Any = None,
    auth: str = "",
    page_size: int = PAGE_SIZE,
) -> FolderListing:
    """List ``folder`` one level deep (List Blobs with ``prefix=<folder>/``, ``delimiter=/``),
    following ``NextMarker`` to the end."""
    from azure.storage.blob import BlobPrefix, ContainerClient

    kwargs: dict[str, Any] = {"retry_total": 3}
    if transport is not None:
        kwargs["transport"] = transport
    prefix = folder.strip("/") + "/"
    blobs: list[BlobEntry] = []
    nested: list[str] = []
    try:
        client = ContainerClient(account_url(account), container, credential=credential, **kwargs)
        with client:
            for item in client.walk_blobs(
                name_starts_with=prefix, delimiter="/", results_per_page=page_size
            ):
                if isinstance(item, BlobPrefix):
                    nested.append(item.name[len(prefix) :])
                    continue
                blob_type = getattr(item.blob_type, "value", item.blob_type)
                blobs.append(
                    BlobEntry(
                        name=item.name[len(prefix) :],
                        size=int(item.size or 0),
                        last_modified=item.last_modified,
                        blob_type=str(blob_type or ""),
                    )
                )
    except AzureError:
        raise
    except Exception as exc:  # noqa: BLE001 - translated with the service's code kept
        raise blob_error(exc, account, container, auth) from exc
    return FolderListing(
        account, container, folder.strip("/"), tuple(blobs), tuple(nested), auth=auth
    )


# The Blob service's error codes → (plain words, the fix). Matching is case-insensitive.
BLOB_HINTS: dict[str, tuple[str, str]] = {
    "containernotfound": (
        "The container {container} does not exist in the storage account {account}.",
        "Check the container chosen on step 7, or create it and put the backups there.",
    ),
    "authorizationpermissionmismatch": (
        "Your sign-in may not read blobs in {account}: it holds no data role there.",
        "Ask for the Storage Blob Data Reader role on the storage account (or the "
        "container), or for a role that may list the account keys.",
    ),
    "authorizationfailure": (
        "The storage account {account} refused the request: its firewall or network "
        "rules do not admit this machine, or your sign-in may not use it.",
        "Add this jump box's address to the storage account's firewall (or reach it "
        "through its private endpoint), then check again.",
    ),
    "authenticationfailed": (
        "The storage account {account} refused the account key.",
        "The key may have been rotated just now: check again; if it persists, use the "
        "signed-in identity with Storage Blob Data Reader.",
    ),
    "keybasedauthenticationnotpermitted": (
        "The storage account {account} does not accept account keys (shared key access "
        "is disabled).",
        "Use the signed-in identity: ask for Storage Blob Data Reader on the account.",
    ),
    "invalidauthenticationinfo": (
        "The storage account {account} refused your sign-in token.",
        "Sign in again (for the Azure CLI: `az login`), then check again.",
    ),
    "noauthenticationinformation": (
        "The request to {account} carried no credential.",
        "Sign in to Azure, then check again.",
    ),
    "serverbusy": (
        "The storage account {account} is busy.",
        "Wait a moment and check again.",
    ),
}


def blob_error(exc: BaseException, account: str, container: str, auth: str = "") -> AzureError:
    """An ``azure-storage-blob`` exception in plain words, with the service's code kept."""
    from azure.core import exceptions as ae

    how = f" (read with the {auth})" if auth else ""
    if isinstance(exc, ae.HttpResponseError):
        raw = getattr(exc, "error_code", None) or _header(exc, "x-ms-error-code")
        code = str(getattr(raw, "value", raw) or "")
        status = exc.status_code
        plain, hint = BLOB_HINTS.get(
            code.lower(),
            ("The Blob service of {account} refused the request.", "Check again in a moment."),
        )
        return AzureError(
            plain.format(account=account, container=container) + how,
            code=code or (f"HTTP{status}" if status else ""),
            hint=hint,
            status=status,
        )
    if isinstance(exc, (ae.ServiceRequestError, ae.ServiceResponseError)):
        return AzureError(
            f"Could not reach the Blob service of {account}: {_first_line(str(exc))}",
            code=type(exc).__name__,
            hint="Check that the storage account exists and that this jump box resolves "
            f"and reaches {account}.blob.core.windows.net (proxy, firewall, private DNS).",
        )
    if isinstance(exc, ae.ClientAuthenticationError):
        return AzureError(
            f"Could not sign in to read {account}: {_first_line(str(exc))}",
            code="AuthenticationFailed",
            hint="Sign in to Azure again, then check again.",
        )
    return AzureError(
        f"Listing the backups in {account}/{container} failed: {_first_line(str(exc))}",
        code=type(exc).__name__,
        hint="Check again; if it persists, look at the storage account in the portal.",
    )


def _header(exc: BaseException, name: str) -> str:
    try:
        return str(exc.response.headers.get(name) or "")  # type: ignore[attr-defined]
    except AttributeError:
        return ""


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0] if text else ""
