"""The sandbox's Blob service against the real ``azure-storage-blob`` client: List Blobs with
prefix and delimiter, NextMarker paging, the version header, and the service's error XML."""

from __future__ import annotations

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
)
from azure.core.rest import HttpRequest
from azure.storage.blob import BlobPrefix, ContainerClient


def client(sb, container="sqlmigration", *, key=None, identity=False, account=None):
    acct = account or sb.world.migration_account
    credential = (
        sb.credential
        if identity
        else {"account_name": acct.name, "account_key": key or acct.keys[0]}
    )
    return ContainerClient(
        acct.blob_endpoint, container, credential=credential, transport=sb.transport
    )


def blob_requests(sb):
    return [r for r in sb.requests if ".blob.core.windows.net" in r.url]


def test_a_folder_is_listed_one_level_deep_with_the_real_client(sb):
    headers = []
    items = list(
        client(sb).walk_blobs(
            name_starts_with="SalesDB/",
            raw_response_hook=lambda r: headers.append(r.http_response.headers),
        )
    )
    assert [b.name for b in items] == [
        "SalesDB/SalesDB_full_1.bak",
        "SalesDB/SalesDB_full_2.bak",
        "SalesDB/SalesDB_log_001.trn",
        "SalesDB/SalesDB_log_002.trn",
        "SalesDB/SalesDB_log_003.trn",
    ]
    assert all(b.size > 0 and b.last_modified is not None for b in items)
    [req] = blob_requests(sb)
    assert req.method == "GET" and req.auth == "SharedKey"
    assert req.url.startswith(f"{sb.world.migration_account.blob_endpoint}sqlmigration?")
    assert req.query == {
        "restype": "container",
        "comp": "list",
        "prefix": "SalesDB/",
        "delimiter": "/",
    }
    from azure.storage.blob._shared.constants import X_MS_VERSION

    assert headers[0]["x-ms-version"] == X_MS_VERSION  # the version asked for, echoed
    assert headers[0]["Content-Type"] == "application/xml"


def test_nested_folders_come_back_as_prefixes(sb):
    items = list(client(sb).walk_blobs(name_starts_with="CrmLegacy/"))
    assert all(isinstance(i, BlobPrefix) for i in items)
    assert [i.name for i in items] == ["CrmLegacy/FULL/", "CrmLegacy/LOG/"]


def test_pages_follow_next_marker_to_the_end(sb):
    names = [b.name for b in client(sb).walk_blobs(name_starts_with="SalesDB/", results_per_page=2)]
    assert len(names) == 5 and names == sorted(names)
    reqs = blob_requests(sb)
    assert len(reqs) == 3
    assert "marker" not in reqs[0].query
    assert reqs[1].query["marker"] and reqs[2].query["marker"] != reqs[1].query["marker"]
    assert all(r.query["maxresults"] == "2" for r in reqs)


def test_the_service_page_limit_holds_even_when_more_is_asked(sb):
    sb.blob_service.page_size = 2
    names = [b.name for b in client(sb).list_blobs(name_starts_with="SalesDB/")]
    assert len(names) == 5 and len(blob_requests(sb)) == 3


def test_a_missing_container_answers_container_not_found(sb):
    with pytest.raises(ResourceNotFoundError) as err:
        list(client(sb, "no-such-container").list_blobs())
    assert err.value.status_code == 404 and err.value.error_code == "ContainerNotFound"
    assert "The specified container does not exist." in str(err.value)


def test_a_wrong_key_is_refused_as_the_service_refuses_it(sb):
    acct = sb.world.migration_account
    wrong = acct.keys[1][:-8] + "AAAAAAA="
    with pytest.raises(ClientAuthenticationError) as err:
        list(client(sb, key=wrong).list_blobs())
    assert err.value.status_code == 403 and err.value.error_code == "AuthenticationFailed"


def test_the_signed_in_identity_reads_only_with_a_data_role(sb):
    names = [b.name for b in client(sb, identity=True).list_blobs(name_starts_with="Ledger/")]
    assert "Ledger/LedgerArchive_full.bak" in names
    assert blob_requests(sb)[-1].auth == "Bearer"
    sb.world.migration_account.signed_in_can_read = False
    with pytest.raises(HttpResponseError) as err:
        list(client(sb, identity=True).list_blobs())
    assert err.value.status_code == 403
    assert err.value.error_code == "AuthorizationPermissionMismatch"


def test_an_account_without_shared_key_access_refuses_the_key(sb):
    sb.world.migration_account.allow_shared_key_access = False
    with pytest.raises(HttpResponseError) as err:
        list(client(sb).list_blobs())
    assert err.value.error_code == "KeyBasedAuthenticationNotPermitted"


def test_an_account_that_does_not_exist_does_not_resolve(sb):
    from tui.sandbox.world import StorageAccount

    ghost = StorageAccount(sb.subscription_id, "stnosuchaccount", "rg", "westeurope", keys=["a2V5"])
    with pytest.raises(ServiceRequestError):
        list(client(sb, account=ghost).list_blobs())


def test_a_request_without_the_version_header_is_refused(sb):
    token = sb.credential.get_token("https://storage.azure.com/.default").token
    url = f"{sb.world.migration_account.blob_endpoint}sqlmigration?restype=container&comp=list"
    resp = sb.transport.send(HttpRequest("GET", url, headers={"Authorization": f"Bearer {token}"}))
    assert resp.status_code == 400
    assert resp.headers["x-ms-error-code"] == "MissingRequiredHeader"
    assert b"<Code>MissingRequiredHeader</Code>" in resp.content


def test_a_log_backup_taken_in_the_sandbox_appears_in_the_folder(sb):
    before = {b.name for b in client(sb).list_blobs(name_starts_with="SalesDB/")}
    rec = sb.take_log_backup("SalesDB")
    after = {b.name for b in client(sb).list_blobs(name_starts_with="SalesDB/")}
    assert after - before == {"SalesDB/" + rec.device.rsplit("/", 1)[-1]}


def test_the_awkward_layouts_are_seeded(sb):
    c = client(sb)

    def names(prefix):
        return [i.name for i in c.walk_blobs(name_starts_with=prefix)]

    assert names("LedgerArchive/") == []
    assert "Ledger/LedgerArchive_full.bak" in names("Ledger/")
    assert names("Payments/") == ["Payments/Payments_full.bak", "Payments/Payments_log.trn"]
    assert "Intranet/readme.txt" in names("Intranet/")
    copy = [b.name for b in client(sb, "sqlbackups").list_blobs()]
    assert copy and all(n.startswith("SalesDB/") for n in copy)
