"""The Controller: the only code that calls Azure. No Textual in here.

Sync methods, safe to call from thread workers. Every method returns ``tui.models``
dataclasses and raises ``tui.errors.DmsTuiError`` (usually ``AzureError``) with plain words,
the original ARM code and a hint. SDK clients are made lazily, each with the same
credential and (when given) the same azure-core transport — the sandbox's, in tests and in
``--sandbox``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui import convert, json_pieces
from tui import models as m
from tui.azure_errors import azure_call
from tui.azure_ids import TARGET_TYPES, parse_migration_id, parse_resource_id
from tui.cutover import cutover_blockers, file_name_of, route
from tui.errors import AzureError, DmsTuiError
from tui.limits import InstanceCapacity
from tui.writes import WriteFailed, send_once, send_unconfirmed

if TYPE_CHECKING:  # the SDK is imported when the first client is made
    from azure.core.credentials import TokenCredential
    from azure.core.pipeline.transport import HttpTransport

DMS_NAMESPACE = "Microsoft.DataMigration"
# the Blob service's answers that mean "not with the account key": use the signed-in identity
KEY_REFUSED = {"keybasedauthenticationnotpermitted", "authenticationfailed"}
EXPAND_DETAILS = "MigrationStatusDetails"


def _error_map() -> dict[int, Any]:
    from azure.core.exceptions import (
        ClientAuthenticationError,
        ResourceExistsError,
        ResourceNotFoundError,
        ResourceNotModifiedError,
    )

    return {
        401: ClientAuthenticationError,
        404: ResourceNotFoundError,
        409: ResourceExistsError,
        304: ResourceNotModifiedError,
    }


class CutoverNotReady(AzureError):
    """The migration is not ready for cutover; ``reasons`` lists every unmet condition."""

    def __init__(self, reasons: list[str], detail: m.MigrationDetail | None = None):
        self.reasons = list(reasons)
        self.detail = detail
        super().__init__(
            "Cutover refused: the migration is not ready. " + " ".join(self.reasons),
            code="CutoverNotReady",
            hint="Stop application traffic, take the tail-log backup into the backup "
            "location, and wait until DMS has restored it and nothing is pending or "
            "restoring.",
        )


class CutoverAlreadyRequested(AzureError):
    """A cutover for this migration was already sent from this app; never send a second."""


class Controller:
    """Facade over the Azure SDK clients for one subscription."""

    def __init__(
        self,
        credential: TokenCredential,
        subscription_id: str,
        *,
        transport: HttpTransport | None = None,
        polling_interval: float | None = None,
        retry_total: int = 4,
        retry_backoff_factor: float = 0.5,
        retry_backoff_max: float = 30.0,
    ):
        self.credential = credential
        self.subscription_id = subscription_id
        self._transport = transport
        self._polling_interval = polling_interval
        self._retry: dict[str, Any] = dict(
            retry_total=retry_total,
            retry_backoff_factor=retry_backoff_factor,
            retry_backoff_max=retry_backoff_max,
        )
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._cutover_lock = threading.Lock()
        self._cutovers_sent: set[str] = set()

    # ------------------------------------------------------------------ plumbing

    def for_subscription(self, subscription_id: str) -> Controller:
        """A Controller on another subscription with the same sign-in and transport."""
        return Controller(
            self.credential,
            subscription_id,
            transport=self._transport,
            polling_interval=self._polling_interval,
            **self._retry,
        )

    def _kwargs(self) -> dict[str, Any]:
        # no silent 10 s polling: step 1 registers; and no change is ever resent by the SDK
        from tui.arm_policy import ReadOnlyRetryPolicy, RefuseAutoRegistration

        kw: dict[str, Any] = dict(
            retry_policy=ReadOnlyRetryPolicy(**self._retry),
            per_retry_policies=[RefuseAutoRegistration()],
        )
        if self._transport is not None:
            kw["transport"] = self._transport
        return kw

    def _lro(self) -> dict[str, Any]:
        return (
            {} if self._polling_interval is None else {"polling_interval": self._polling_interval}
        )

    def _client(self, name: str) -> Any:
        with self._lock:
            client = self._clients.get(name)
            if client is None:
                client = self._clients[name] = self._make_client(name)
            return client

    def _make_client(self, name: str) -> Any:
        kw = self._kwargs()
        if name == "dms":
            from azure.mgmt.datamigration import DataMigrationManagementClient

            return DataMigrationManagementClient(self.credential, self.subscription_id, **kw)
        if name == "resource":
            # the subpackage path holds in every release pyproject.toml admits (26 dropped
            # the top-level re-export)
            from azure.mgmt.resource.resources import ResourceManagementClient

            return ResourceManagementClient(self.credential, self.subscription_id, **kw)
        if name == "subscriptions":
            from azure.mgmt.resource.subscriptions import SubscriptionClient

            return SubscriptionClient(self.credential, **kw)
        if name == "sql":
            from azure.mgmt.sql import SqlManagementClient

            return SqlManagementClient(self.credential, self.subscription_id, **kw)
        if name == "sqlvm":
            from azure.mgmt.sqlvirtualmachine import SqlVirtualMachineManagementClient

            return SqlVirtualMachineManagementClient(self.credential, self.subscription_id, **kw)
        if name == "storage":
            from azure.mgmt.storage import StorageManagementClient

            return StorageManagementClient(self.credential, self.subscription_id, **kw)
        raise KeyError(name)

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                try:
                    client.close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
            self._clients.clear()

    # ------------------------------------------------------------------ scope

    @azure_call
    def list_subscriptions(self) -> list[m.Subscription]:
        subs = self._client("subscriptions").subscriptions.list()
        return sorted(
            (
                m.Subscription(
                    subscription_id=s.subscription_id or "",
                    display_name=s.display_name or s.subscription_id or "",
                    state=str(s.state or ""),
                    tenant_id=s.tenant_id,
                )
                for s in subs
            ),
            key=lambda s: s.display_name.lower(),
        )

    @azure_call
    def list_tenants(self) -> list[m.Tenant]:
        """The tenants the signed-in account belongs to, with their names and domains."""
        tenants = self._client("subscriptions").tenants.list()
        return sorted(
            (
                m.Tenant(
                    tenant_id=t.tenant_id or "",
                    display_name=t.display_name or "",
                    default_domain=t.default_domain or "",
                )
                for t in tenants
                if t.tenant_id
            ),
            key=lambda t: (t.display_name or t.tenant_id).lower(),
        )

    @azure_call
    def list_resource_groups(self) -> list[m.ResourceGroup]:
        groups = self._client("resource").resource_groups.list()
        return sorted(
            (
                m.ResourceGroup(name=g.name or "", location=g.location or "", id=g.id or "")
                for g in groups
            ),
            key=lambda g: g.name.lower(),
        )

    @azure_call
    def provider_state(self, namespace: str = DMS_NAMESPACE) -> m.ProviderState:
        provider = self._client("resource").providers.get(namespace)
        return m.ProviderState(
            namespace=provider.namespace or namespace,
            registration_state=provider.registration_state or "NotRegistered",
        )

    @azure_call
    def register_provider(
        self,
        namespace: str = DMS_NAMESPACE,
        *,
        wait: bool = False,
        timeout: float = 600.0,
        poll_every: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        on_progress: Callable[[m.ProviderState], None] | None = None,
    ) -> m.ProviderState:
        """Ask Azure to register ``namespace`` (one request; after an error the state is read
        again); with ``wait``, poll until Registered."""
        providers = self._client("resource").providers
        state = send_once(
            f"the registration of {namespace}",
            lambda: providers.register(namespace),
            lambda: self.provider_state(namespace),
            lambda st, _err: st.registration_state.lower() in ("registering", "registered"),
            lambda st: f"{namespace} is {st.registration_state}",
        )
        if not wait:
            return state
        deadline = time.monotonic() + timeout
        while not state.registered:
            if on_progress:
                on_progress(state)
            if time.monotonic() > deadline:
                raise AzureError(
                    f"{namespace} is still {state.registration_state} after {int(timeout)} s.",
                    code="RegistrationTimeout",
                    hint="Registration carries on in Azure; check again later.",
                )
            sleep(poll_every)
            state = self.provider_state(namespace)
        return state

    # ------------------------------------------------------------------ DMS instances

    @azure_call
    def list_migration_services(
        self,
        resource_group: str | None = None,
    ) -> list[m.MigrationService]:
        ops = self._client("dms").sql_migration_services
        items = (
            ops.list_by_resource_group(resource_group)
            if resource_group
            else ops.list_by_subscription()
        )
        return sorted((convert.migration_service(s) for s in items), key=lambda s: s.name.lower())

    @azure_call
    def get_migration_service(self, service_id: str) -> m.MigrationService:
        rid = parse_resource_id(service_id)
        svc = self._client("dms").sql_migration_services.get(rid.resource_group, rid.name)
        return convert.migration_service(svc)

    @azure_call
    def create_migration_service(
        self,
        resource_group: str,
        name: str,
        location: str,
        *,
        tags: dict[str, str] | None = None,
        wait: bool = True,
    ) -> m.MigrationService:
        """Create a DMS instance (one request). ``wait=False`` returns once Azure accepted it
        (provisioning goes on in Azure; poll ``get_migration_service``). After an error or a
        lost answer the instance is read again: one that now exists is the one asked for."""
        from azure.mgmt.datamigration import models as dm

        body = dm.SqlMigrationService(location=location, tags=tags or None)
        ops = self._client("dms").sql_migration_services
        service_id = self._service_id(resource_group, name)
        before = self._service_or_none(service_id)

        def send() -> None:
            if wait:
                ops.begin_create_or_update(resource_group, name, body, **self._lro()).result()
            else:
                ops.begin_create_or_update(resource_group, name, body, polling=False).result()

        def describe(svc: m.MigrationService | None) -> str:
            return f"the DMS instance {name} " + (
                "does not exist" if svc is None else f"is {svc.provisioning_state}"
            )

        created = send_once(
            f"the creation of the DMS instance {name}",
            send,
            lambda: self._service_or_none(service_id),
            lambda svc, _err: svc is not None and before is None,
            describe,
        )
        if created is None:
            raise AzureError(
                f"Azure answered, but the DMS instance {name} does not exist.",
                code="ResourceNotFound",
                hint="Refresh the list and try again.",
            )
        return created

    def _service_or_none(self, service_id: str) -> m.MigrationService | None:
        try:
            return self.get_migration_service(service_id)
        except AzureError as exc:
            if exc.status == 404:
                return None
            raise

    def _service_id(self, resource_group: str, name: str) -> str:
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{resource_group}"
            f"/providers/{DMS_NAMESPACE}/sqlMigrationServices/{name}"
        )

    @azure_call
    def list_auth_keys(self, service_id: str) -> m.AuthKeys:
        rid = parse_resource_id(service_id)
        keys = self._client("dms").sql_migration_services.list_auth_keys(
            rid.resource_group, rid.name
        )
        return m.AuthKeys(auth_key1=keys.auth_key1 or "", auth_key2=keys.auth_key2 or "")

    @azure_call
    def integration_runtime(self, service_id: str) -> m.IntegrationRuntime:
        rid = parse_resource_id(service_id)
        data = self._client("dms").sql_migration_services.list_monitoring_data(
            rid.resource_group, rid.name
        )
        return convert.integration_runtime(data)

    @azure_call
    def list_service_migrations(self, service_id: str) -> list[m.MigrationSummary]:
        """Every database migration run by this DMS instance, one summary each (Azure's
        answer carries every migration's status details, a SQL Database migration's every
        table included: none of them is read)."""
        rid = parse_resource_id(service_id)
        path = (
            f"/subscriptions/{_seg(rid.subscription_id)}/resourceGroups/"
            f"{_seg(rid.resource_group)}/providers/{DMS_NAMESPACE}/sqlMigrationServices/"
            f"{_seg(rid.name)}/listMigrations"
        )
        return [
            convert.migration_summary(item)
            for page in self._read_pages(path)
            for item in page.get("value") or ()
            if isinstance(item, dict)
        ]

    # ------------------------------------------------------------------ reads as JSON

    def _read(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """GET ``url`` through the DMS client's own pipeline — the same credential,
        read-only retry policy and transport as every SDK call — and the JSON object Azure
        answered, unread by the SDK's models (``convert`` reads it in one pass). A refusal
        raises as the SDK's own operations raise it.

        The answer is parsed once, here, in pieces (``json_pieces``): not by the pipeline
        as well (``stream=True`` keeps its decoding policy out), and never in one call that
        holds the interpreter for tens of milliseconds while the screen waits for a key."""
        from azure.core.exceptions import HttpResponseError, map_error
        from azure.core.rest import HttpRequest
        from azure.mgmt.core.exceptions import ARMErrorFormat

        client = self._client("dms")
        # ``send_request`` in most releases of the generated client, ``_send_request`` in
        # 10.x: the same thing, the request sent through the client's pipeline
        send = getattr(client, "send_request", None) or client._send_request
        response = send(HttpRequest("GET", url, params=params or {}), stream=True)
        response.read()
        if response.status_code != 200:
            map_error(status_code=response.status_code, response=response, error_map=_error_map())
            raise HttpResponseError(response=response, error_format=ARMErrorFormat)
        try:
            body = json_pieces.loads(response.text())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise AzureError(
                "Azure's answer could not be read: it is not the JSON object expected.",
                code="InvalidResponse",
                hint="Retry; if it persists, a proxy between this machine and Azure may be "
                "changing the answers.",
            )
        return body

    def _dms_api(self) -> str:
        """The api-version the DMS client's own operations send (2025-06-30 for 10.x)."""
        return str(self._client("dms")._config.api_version)

    def _read_pages(self, path: str, params: dict[str, str] | None = None):
        """Each page of a list, following ``nextLink`` (which carries its own query; the
        api-version is added when it does not)."""
        from urllib.parse import parse_qs, urlparse

        api = {"api-version": self._dms_api()}
        page = self._read(path, {**api, **(params or {})})
        yield page
        seen: set[str] = set()
        while isinstance(page.get("nextLink"), str) and page["nextLink"] not in seen:
            link = page["nextLink"]
            seen.add(link)
            has_api = "api-version" in parse_qs(urlparse(link).query)
            page = self._read(link, None if has_api else api)
            yield page

    # ------------------------------------------------------------------ targets, storage

    @azure_call
    def list_targets(self, kind: m.TargetKind) -> list[m.Target]:
        if kind == m.TargetKind.SQL_MI:
            items = [self._target(kind, i) for i in self._client("sql").managed_instances.list()]
        elif kind == m.TargetKind.SQL_DB:
            items = [self._target(kind, i) for i in self._client("sql").servers.list()]
        else:
            items = [
                self._target(kind, i) for i in self._client("sqlvm").sql_virtual_machines.list()
            ]
        return sorted(items, key=lambda t: t.name.lower())

    @staticmethod
    def _target(kind: m.TargetKind, res: Any) -> m.Target:
        props = getattr(res, "properties", None)
        get = (
            (lambda name: getattr(props, name, None))
            if props is not None
            else (lambda name: getattr(res, name, None))
        )
        rid = parse_resource_id(res.id)
        sku = getattr(getattr(res, "sku", None), "name", "") or ""
        state = str(get("state") or "")
        usable, reason = True, ""
        if kind in (m.TargetKind.SQL_MI, m.TargetKind.SQL_DB):
            if state and state.lower() != "ready":
                usable = False
                what = "managed instance" if kind == m.TargetKind.SQL_MI else "server"
                reason = (
                    f"The {what} is {state}, not Ready: wait until it is Ready "
                    "before migrating to it."
                )
        else:
            raw = get("sql_management") or ""
            mode = str(getattr(raw, "value", raw))  # the SDK gives an enum member
            state = mode
            if mode.lower() != "full":
                usable = False
                reason = (
                    f"The SQL IaaS Agent extension is in {mode or 'no'} mode: DMS needs "
                    "full mode. Switch the VM's SQL IaaS extension to full mode in the "
                    "portal (SQL virtual machine → SQL IaaS Agent) and retry."
                )
        return m.Target(
            id=res.id,
            name=res.name or rid.name,
            kind=kind,
            resource_group=rid.resource_group,
            location=res.location or "",
            state=state,
            fqdn=str(get("fully_qualified_domain_name") or ""),
            usable=usable,
            reason=reason,
            sku=str(sku),
        )

    @azure_call
    def upload_tde_certificate(self, target_id: str, pfx: bytes, password: str) -> None:
        """Upload a PFX (a TDE certificate with its private key) to the managed instance
        ``target_id``, so it can restore backups of the databases that certificate protects.
        One request per call, never resent; Azure keeps no list of uploaded certificates,
        so after a lost answer the instance is read and the outcome said to be unknown."""
        import base64

        rid = parse_resource_id(target_id)
        if not pfx:
            raise DmsTuiError(
                "Certificate file: it is empty.",
                code="EmptyCertificate",
                hint="Export the certificate again (BACKUP CERTIFICATE ... WITH FORMAT = "
                "'PFX') and copy the whole file to this machine.",
            )
        body = {
            "properties": {
                "privateBlob": base64.b64encode(pfx).decode("ascii"),
                "certPassword": password,
            }
        }
        sql = self._client("sql")

        def send() -> None:
            ops = sql.managed_instance_tde_certificates
            ops.begin_create(rid.resource_group, rid.name, body, **self._lro()).result()

        def read() -> str:
            mi = sql.managed_instances.get(rid.resource_group, rid.name)
            return f"{rid.name} is {getattr(mi, 'state', None) or 'there'}"

        send_unconfirmed(f"the TDE certificate upload to {rid.name}", send, read)

    @azure_call
    def target_databases(self, target_id: str) -> list[str]:
        """Names of the databases already on a target (to refuse clashing names)."""
        rid = parse_resource_id(target_id)
        sql = self._client("sql")
        if rid.resource_type.lower() == "managedinstances":
            items = sql.managed_databases.list_by_instance(rid.resource_group, rid.name)
        elif rid.resource_type.lower() == "servers":
            items = sql.databases.list_by_server(rid.resource_group, rid.name)
        else:
            return []  # a SQL VM's databases are not listed by Azure; DMS checks on create
        return sorted(d.name for d in items if d.name)

    @azure_call
    def instance_capacity(self, target_id: str) -> InstanceCapacity:
        """A managed instance's tier and the user databases it holds, for its limit."""
        rid = parse_resource_id(target_id)
        sql = self._client("sql")
        mi = sql.managed_instances.get(rid.resource_group, rid.name)
        props = getattr(mi, "properties", None) or mi
        names = self.target_databases(target_id)
        return InstanceCapacity(
            name=mi.name or rid.name,
            tier=str(getattr(getattr(mi, "sku", None), "tier", "") or ""),
            next_gen=bool(getattr(props, "is_general_purpose_v2", False)),
            databases=tuple(names),
        )

    @azure_call
    def list_storage_accounts(self) -> list[m.StorageAccount]:
        items = self._client("storage").storage_accounts.list()
        result = []
        for a in items:
            rid = parse_resource_id(a.id)
            result.append(
                m.StorageAccount(
                    id=a.id,
                    name=a.name or rid.name,
                    resource_group=rid.resource_group,
                    location=a.location or "",
                    kind=str(a.kind or ""),
                )
            )
        return sorted(result, key=lambda a: a.name.lower())

    @azure_call
    def list_containers(self, storage_account_id: str) -> list[str]:
        rid = parse_resource_id(storage_account_id)
        items = self._client("storage").blob_containers.list(rid.resource_group, rid.name)
        return sorted(c.name for c in items if c.name)

    @azure_call
    def storage_account_key(self, storage_account_id: str) -> str:
        """The first account key — a secret: keep it in memory only."""
        rid = parse_resource_id(storage_account_id)
        keys = self._client("storage").storage_accounts.list_keys(rid.resource_group, rid.name)
        # azure-mgmt-storage 25 models are mappings: ``.keys`` is the dict method there
        from collections.abc import Mapping

        items = keys.get("keys") if isinstance(keys, Mapping) else keys.keys
        for key in items or []:
            value = key.get("value") if isinstance(key, Mapping) else getattr(key, "value", None)
            if value:
                return value
        raise AzureError(
            "The storage account returned no keys.",
            code="NoStorageKeys",
            hint="Your account may lack listKeys permission on it; use managed "
            "identity instead or ask for the Storage Account Key Operator role.",
        )

    @azure_call
    def list_backup_folders(
        self, storage_account_id: str, container: str, folders: list[str]
    ) -> list[Any]:
        """What each ``<container>/<folder>/`` holds, listed by the Blob service through
        ``azure-storage-blob``: per folder a ``tui.preflight.listing.FolderListing``, or the
        ``AzureError`` that listing it raised.

        Read with the account key fetched through Azure once (kept in memory for this call
        only); when the key cannot be had (no listKeys permission) or the account refuses
        keys, with the signed-in identity, which then needs Storage Blob Data Reader."""
        from tui.preflight.listing import list_folder

        name = parse_resource_id(storage_account_id).name
        key_error: DmsTuiError | None = None
        try:
            key: str | None = self.storage_account_key(storage_account_id)
        except DmsTuiError as exc:
            key, key_error = None, exc
        out: list[Any] = []
        for folder in folders:
            try:
                if key is not None:
                    try:
                        out.append(self._list_folder(list_folder, name, container, folder, key))
                        continue
                    except AzureError as exc:
                        if (exc.code or "").lower() not in KEY_REFUSED:
                            raise
                        key, key_error = None, exc
                out.append(self._list_folder(list_folder, name, container, folder, None))
            except AzureError as exc:
                if key_error is not None and key is None:
                    exc.hint = f"{exc.hint} The account key could not be used either: {key_error}"
                out.append(exc)
        return out

    def _list_folder(self, list_folder: Any, account: str, container: str, folder: str, key):
        if key is not None:
            credential: Any = {"account_name": account, "account_key": key}
            auth = "account key"
        else:
            credential, auth = self.credential, "signed-in identity"
        return list_folder(
            account, container, folder, credential, transport=self._transport, auth=auth
        )

    def list_backup_folder(self, storage_account_id: str, container: str, folder: str) -> Any:
        """One folder (see ``list_backup_folders``); raises its ``AzureError``."""
        [result] = self.list_backup_folders(storage_account_id, container, [folder])
        if isinstance(result, Exception):
            raise result
        return result

    # ------------------------------------------------------------------ migrations

    def _migration_ops(self, kind: m.TargetKind) -> Any:
        dms = self._client("dms")
        return {
            m.TargetKind.SQL_MI: dms.database_migrations_sql_mi,
            m.TargetKind.SQL_VM: dms.database_migrations_sql_vm,
            m.TargetKind.SQL_DB: dms.database_migrations_sql_db,
        }[kind]

    @azure_call
    def create_migration(self, spec: m.MigrationSpec, *, wait: bool = True) -> m.MigrationDetail:
        """Create one ``databaseMigrations`` resource (one per database), with one request.

        A migration of the same source database to the same target that is already running
        is recognised as this one (an earlier answer was lost): it is returned, nothing is
        sent. After an error or a lost answer the migration is read again, and one created
        meanwhile (a new operation id) is returned as if the answer had arrived."""
        from tui.azure_ids import migration_id_for
        from tui.migration_body import build

        try:
            body = build(spec)
        except ValueError as exc:
            raise DmsTuiError(
                str(exc), code="InvalidMigrationSpec", hint="Complete the settings step."
            ) from None
        rid = parse_resource_id(spec.target_id)
        ops = self._migration_ops(spec.kind)
        migration_id = migration_id_for(spec.target_id, spec.target_database)
        before = self._migration_or_none(migration_id)
        if before is not None and _same_migration(before, spec) and not before.status.is_final:
            return before

        def send() -> None:
            if wait:
                ops.begin_create_or_update(
                    rid.resource_group, rid.name, spec.target_database, body, **self._lro()
                ).result()
            else:
                ops.begin_create_or_update(
                    rid.resource_group, rid.name, spec.target_database, body, polling=False
                ).result()

        def took(after: m.MigrationDetail | None, _err: DmsTuiError) -> bool:
            return (
                after is not None
                and _same_migration(after, spec)
                and (
                    before is None or after.migration_operation_id != before.migration_operation_id
                )
            )

        what = f"{spec.source_database} → {rid.name}/{spec.target_database}"
        created = send_once(
            f"the creation of the migration {what}",
            send,
            lambda: self._migration_or_none(migration_id),
            took,
            lambda d: f"{what} does not exist" if d is None else f"{route(d)} is {d.status}",
        )
        if created is None:
            raise AzureError(
                f"Azure answered, but the migration {what} does not exist.",
                code="ResourceNotFound",
                hint="Refresh the monitor and try again.",
            )
        return created

    def _migration_or_none(self, migration_id: str) -> m.MigrationDetail | None:
        try:
            return self.get_migration(migration_id)
        except AzureError as exc:
            if exc.status == 404:
                return None
            raise

    @azure_call
    def get_migration(self, migration_id: str) -> m.MigrationDetail:
        """The migration with ``$expand=MigrationStatusDetails``, read from Azure's JSON in
        one pass: 20,000 tables through the SDK's models took over a second a read."""
        mid = self._parse(migration_id)
        ns, rtype = TARGET_TYPES[mid.kind]
        path = (
            f"/subscriptions/{_seg(mid.subscription_id)}/resourceGroups/"
            f"{_seg(mid.resource_group)}/providers/{ns}/{rtype}/{_seg(mid.target_name)}"
            f"/providers/{DMS_NAMESPACE}/databaseMigrations/{_seg(mid.database)}"
        )
        return convert.migration_detail(
            self._read(path, {"$expand": EXPAND_DETAILS, "api-version": self._dms_api()})
        )

    @azure_call
    def backup_location(self, migration_id: str) -> m.BlobBackupSource | m.ShareBackupSource | None:
        """Where the migration reads its backups (no key or password): the blob container
        (the folder is the source database's name) or the SMB share. ``None`` when unknown."""
        mid = self._parse(migration_id)
        res = self._migration_ops(mid.kind).get(mid.resource_group, mid.target_name, mid.database)
        props = res.properties
        config = getattr(props, "backup_configuration", None)
        source = getattr(config, "source_location", None)
        blob = getattr(source, "azure_blob", None)
        if blob is not None and blob.storage_account_resource_id:
            return m.BlobBackupSource(
                storage_account_id=blob.storage_account_resource_id,
                container=blob.blob_container_name or "",
                folder=props.source_database_name or "",
                auth_type=blob.auth_type or "AccountKey",
            )
        share = getattr(source, "file_share", None)
        if share is not None and share.path:
            return m.ShareBackupSource(path=share.path, user_name=share.username or "")
        return None

    @staticmethod
    def _parse(migration_id: str):
        try:
            return parse_migration_id(migration_id)
        except ValueError as exc:
            raise DmsTuiError(
                str(exc),
                code="InvalidMigrationId",
                hint="Use the full Azure id of a databaseMigrations resource.",
            ) from None

    def _operation_input(self, detail: m.MigrationDetail) -> Any:
        from azure.mgmt.datamigration import models as dm

        if not detail.migration_operation_id:
            raise AzureError(
                "Azure has not given this migration an operation id yet.",
                code="NoOperationId",
                hint="Wait a few seconds and retry.",
            )
        return dm.MigrationOperationInput(migration_operation_id=detail.migration_operation_id)

    @staticmethod
    def _status_is(
        *states: m.MigrationState,
    ) -> Callable[[m.MigrationDetail | None, DmsTuiError], bool]:
        return lambda d, _err: d is not None and d.status in states

    @staticmethod
    def _describe(d: m.MigrationDetail | None) -> str:
        return "the migration no longer exists" if d is None else f"{route(d)} is {d.status}"

    @staticmethod
    def _read_back(action: str, detail: m.MigrationDetail | None) -> m.MigrationDetail:
        """The migration after a change Azure accepted; gone by the time it was read back
        (deleted meanwhile) is said in words, never handed on as nothing."""
        if detail is None:
            raise WriteFailed(
                f"Azure accepted {action}, but the migration no longer exists.",
                accepted=True,
                code="ResourceNotFound",
                status=404,
                hint="It was deleted meanwhile: refresh the monitor.",
            )
        return detail

    @azure_call
    def cancel_migration(self, migration_id: str) -> m.MigrationDetail:
        """Cancel (one request; after an error the migration is read again)."""
        mid = self._parse(migration_id)
        detail = self.get_migration(migration_id)
        if detail.status.is_final:
            raise AzureError(
                f"The migration is already {detail.status}; there is nothing to cancel.",
                code="MigrationFinished",
            )
        body = self._operation_input(detail)
        ops = self._migration_ops(mid.kind)
        action = f"the cancel of {route(detail)}"
        after = send_once(
            action,
            lambda: ops.begin_cancel(
                mid.resource_group, mid.target_name, mid.database, body, **self._lro()
            ).result(),
            lambda: self._migration_or_none(migration_id),
            self._status_is(m.MigrationState.CANCELING, m.MigrationState.CANCELED),
            self._describe,
        )
        return self._read_back(action, after)

    @azure_call
    def retry_migration(self, migration_id: str) -> m.MigrationDetail:
        """Retry a failed SQL Database migration (one request; after an error the migration
        is read again)."""
        mid = self._parse(migration_id)
        if mid.kind != m.TargetKind.SQL_DB:
            raise AzureError(
                "Only Azure SQL Database migrations can be retried; start a new "
                "migration for this database instead.",
                code="RetryNotSupported",
            )
        detail = self.get_migration(migration_id)
        body = self._operation_input(detail)
        ops = self._migration_ops(mid.kind)

        def took(d: m.MigrationDetail | None, _err: DmsTuiError) -> bool:
            return (
                d is not None
                and not d.status.is_final
                and (d.migration_state or "").lower() != "waitforretry"
            )

        action = f"the retry of {route(detail)}"
        after = send_once(
            action,
            lambda: ops.begin_retry(
                mid.resource_group, mid.target_name, mid.database, body, **self._lro()
            ).result(),
            lambda: self._migration_or_none(migration_id),
            took,
            self._describe,
        )
        return self._read_back(action, after)

    @azure_call
    def delete_migration(self, migration_id: str) -> None:
        """Delete a finished migration's record (one request; after an error it is read
        again: gone means deleted)."""
        mid = self._parse(migration_id)
        detail = self.get_migration(migration_id)
        if not detail.status.is_final:
            raise AzureError(
                f"The migration is {detail.status}: cancel it (or let it finish) "
                "before deleting it.",
                code="MigrationActive",
            )
        ops = self._migration_ops(mid.kind)
        send_once(
            f"the deletion of {route(detail)}",
            lambda: ops.begin_delete(
                mid.resource_group, mid.target_name, mid.database, **self._lro()
            ).result(),
            lambda: self._migration_or_none(migration_id),
            lambda d, _err: d is None,
            self._describe,
        )

    def cutover_blockers(
        self,
        migration_id: str,
        tail_log_file: str,
    ) -> tuple[m.MigrationDetail, list[str]]:
        """Re-read the migration; what stands between it and a safe cutover."""
        detail = self.get_migration(migration_id)
        return detail, cutover_blockers(detail, tail_log_file)

    @azure_call
    def cutover(self, migration_id: str, *, tail_log_file: str) -> m.MigrationDetail:
        """Complete an online migration — only once its tail-log is restored, and only once.

        ``tail_log_file`` names the tail-log backup (a file name, URL or path). The
        migration is re-read right before the request; unless that file is the last
        restored (or covered by what was restored) and nothing is pending, restoring or
        blocking, ``CutoverNotReady`` lists why and nothing is sent. A second call for the
        same migration from this Controller raises ``CutoverAlreadyRequested``, unless a
        fresh read showed that Azure did not act on the first.
        """
        mid = self._parse(migration_id)
        key = mid.id.lower()
        with self._cutover_lock:
            if key in self._cutovers_sent:
                raise CutoverAlreadyRequested(
                    "Cutover was already requested for this migration.",
                    code="CutoverAlreadyRequested",
                    hint="Follow it on the monitor: Completing, then Succeeded.",
                )
            if not file_name_of(tail_log_file):
                raise CutoverNotReady(
                    [
                        "The tail-log backup file is not named: the cutover "
                        "waits until DMS has restored it."
                    ]
                )
            detail, reasons = self.cutover_blockers(migration_id, tail_log_file)
            if reasons:
                raise CutoverNotReady(reasons, detail)
            body = self._operation_input(detail)
            self._cutovers_sent.add(key)
        ops = self._migration_ops(mid.kind)
        action = f"the cutover of {route(detail)}"
        try:
            after = send_once(
                action,
                lambda: ops.begin_cutover(
                    mid.resource_group, mid.target_name, mid.database, body, **self._lro()
                ).result(),
                lambda: self._migration_or_none(migration_id),
                self._status_is(m.MigrationState.COMPLETING, m.MigrationState.SUCCEEDED),
                self._describe,
            )
        except WriteFailed as exc:
            if exc.accepted is False:  # Azure holds no trace of it: a deliberate retry may go
                with self._cutover_lock:
                    self._cutovers_sent.discard(key)
            raise
        return self._read_back(action, after)


def _seg(name: str) -> str:
    """One segment of an ARM path, quoted as the SDK quotes it."""
    from urllib.parse import quote

    return quote(name, safe="")


def _same_migration(d: m.MigrationDetail, spec: m.MigrationSpec) -> bool:
    """The migration Azure holds is the one ``spec`` asks for (same source database and
    kind, same DMS instance when Azure says which)."""
    service = (d.migration_service_id or "").strip("/").lower()
    return (
        (d.source_database or "").lower() == spec.source_database.lower()
        and d.kind == spec.kind
        and (not service or service == spec.migration_service_id.strip("/").lower())
    )


__all__ = ["Controller", "CutoverNotReady", "CutoverAlreadyRequested", "TARGET_TYPES"]
