"""Resource Manager basics and the non-DMS providers: subscriptions, resource groups, provider
registration, SQL managed instances / servers / databases, SQL VMs and storage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.models import TargetKind

from .arm import Answer, ArmError, group_not_found, not_found, ok, page
from .clock import iso
from .router import Req, Router
from .world import ResourceGroup, StorageAccount, Subscription, Target

if TYPE_CHECKING:
    from .sandbox import Sandbox

REGISTRATION_SECONDS = 30.0


class ResourceRoutes:
    def __init__(self, sb: Sandbox):
        self.sb = sb
        self.world = sb.world

    def register(self, r: Router) -> None:
        S = "/subscriptions/{sub}"
        G = S + "/resourceGroups/{rg}"
        r.add("GET", "/subscriptions", self.list_subscriptions)
        r.add("GET", "/tenants", self.list_tenants)
        r.add("GET", S, self.get_subscription)
        r.add("GET", S + "/locations", self.list_locations)
        r.add("GET", S + "/resourcegroups", self.list_groups)
        r.add("GET", G, self.get_group)
        r.add("PUT", G, self.put_group)
        r.add("GET", S + "/providers", self.list_providers)
        r.add("GET", S + "/providers/{ns}", self.get_provider)
        r.add("POST", S + "/providers/{ns}/register", self.register_provider)
        r.add("POST", S + "/providers/{ns}/unregister", self.unregister_provider)
        # SQL managed instances and logical servers
        for rtype, kind in (
            ("managedInstances", TargetKind.SQL_MI),
            ("servers", TargetKind.SQL_DB),
        ):
            r.add(
                "GET",
                S + f"/providers/Microsoft.Sql/{rtype}",
                self._list_targets(kind, by_group=False),
            )
            r.add(
                "GET",
                G + f"/providers/Microsoft.Sql/{rtype}",
                self._list_targets(kind, by_group=True),
            )
            r.add("GET", G + f"/providers/Microsoft.Sql/{rtype}/{{name}}", self._get_target(kind))
            r.add(
                "GET",
                G + f"/providers/Microsoft.Sql/{rtype}/{{name}}/databases",
                self._list_dbs(kind),
            )
            r.add(
                "GET",
                G + f"/providers/Microsoft.Sql/{rtype}/{{name}}/databases/{{db}}",
                self._get_db(kind),
            )
        vm = "/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines"
        r.add("GET", S + vm, self._list_targets(TargetKind.SQL_VM, by_group=False))
        r.add("GET", G + vm, self._list_targets(TargetKind.SQL_VM, by_group=True))
        r.add("GET", G + vm + "/{name}", self._get_target(TargetKind.SQL_VM))
        st = "/providers/Microsoft.Storage/storageAccounts"
        r.add("GET", S + st, self.list_storage)
        r.add("GET", G + st, self.list_storage)
        r.add("GET", G + st + "/{name}", self.get_storage)
        r.add("POST", G + st + "/{name}/listKeys", self.list_keys)
        r.add("GET", G + st + "/{name}/blobServices/default/containers", self.list_containers)
        r.add(
            "GET",
            G + st + "/{name}/blobServices/default/containers/{container}",
            self.get_container,
        )

    # ------------------------------------------------------------------ helpers

    def sub(self, req: Req) -> Subscription:
        sub = self.world.subscription(req.params["sub"])
        if sub is None:
            raise ArmError(
                404,
                "SubscriptionNotFound",
                f"The subscription '{req.params['sub']}' could not be found.",
            )
        return sub

    def group(self, req: Req) -> tuple[Subscription, ResourceGroup]:
        sub = self.sub(req)
        grp = sub.group(req.params["rg"])
        if grp is None:
            raise group_not_found(req.params["rg"])
        return sub, grp

    def provider_registered(self, sub: Subscription, namespace: str) -> bool:
        p = sub.providers.get(namespace.lower())
        self._progress_provider(p)
        return p is not None and p.state == "Registered"

    def _progress_provider(self, p) -> None:
        if (
            p is not None
            and p.state == "Registering"
            and p.registering_until is not None
            and self.sb.clock.now() >= p.registering_until
        ):
            p.state, p.registering_until = "Registered", None

    # ------------------------------------------------------------------ subscriptions, groups

    def _sub_json(self, s: Subscription) -> dict:
        return {
            "id": f"/subscriptions/{s.subscription_id}",
            "subscriptionId": s.subscription_id,
            "tenantId": s.tenant_id,
            "displayName": s.display_name,
            "state": s.state,
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": "EnterpriseAgreement_2014-09-01",
                "spendingLimit": "Off",
            },
            "authorizationSource": "RoleBased",
            "managedByTenants": [],
            "tags": {},
        }

    def list_subscriptions(self, req: Req) -> Answer:
        return ok(page([self._sub_json(s) for s in self.world.subscriptions.values()]))

    def list_tenants(self, req: Req) -> Answer:
        return ok(
            page(
                [
                    {
                        "id": f"/tenants/{self.world.tenant_id}",
                        "tenantId": self.world.tenant_id,
                        "tenantCategory": "Home",
                        "displayName": "Contoso",
                        "defaultDomain": "contoso.com",
                        "domains": ["contoso.com", "contoso.onmicrosoft.com"],
                    }
                ]
            )
        )

    def get_subscription(self, req: Req) -> Answer:
        return ok(self._sub_json(self.sub(req)))

    def list_locations(self, req: Req) -> Answer:
        sub = self.sub(req)
        locs = [
            ("westeurope", "West Europe"),
            ("northeurope", "North Europe"),
            ("eastus", "East US"),
        ]
        return ok(
            page(
                [
                    {
                        "id": f"/subscriptions/{sub.subscription_id}/locations/{n}",
                        "name": n,
                        "displayName": d,
                        "regionalDisplayName": f"(Europe) {d}",
                        "type": "Region",
                    }
                    for n, d in locs
                ]
            )
        )

    def _group_json(self, sub: Subscription, g: ResourceGroup) -> dict:
        return {
            "id": f"/subscriptions/{sub.subscription_id}/resourceGroups/{g.name}",
            "name": g.name,
            "type": "Microsoft.Resources/resourceGroups",
            "location": g.location,
            "tags": g.tags,
            "properties": {"provisioningState": "Succeeded"},
        }

    def list_groups(self, req: Req) -> Answer:
        sub = self.sub(req)
        return ok(page([self._group_json(sub, g) for g in sub.groups.values()]))

    def get_group(self, req: Req) -> Answer:
        sub, grp = self.group(req)
        return ok(self._group_json(sub, grp))

    def put_group(self, req: Req) -> Answer:
        sub = self.sub(req)
        body = req.body or {}
        if not body.get("location"):
            raise ArmError(
                400, "LocationRequired", "The location property is required for this definition."
            )
        existing = sub.group(req.params["rg"])
        grp = ResourceGroup(
            existing.name if existing else req.params["rg"],
            body["location"],
            body.get("tags") or {},
        )
        sub.groups[grp.name.lower()] = grp
        return ok(self._group_json(sub, grp), status=200 if existing else 201)

    # ------------------------------------------------------------------ providers

    def _provider_json(self, sub: Subscription, p) -> dict:
        self._progress_provider(p)
        return {
            "id": f"/subscriptions/{sub.subscription_id}/providers/{p.namespace}",
            "namespace": p.namespace,
            "registrationState": p.state,
            "registrationPolicy": "RegistrationRequired",
            "resourceTypes": [
                {
                    "resourceType": t,
                    "locations": ["West Europe", "North Europe", "East US"],
                    "apiVersions": ["2025-06-30", "2025-03-15-preview"]
                    if p.namespace == "Microsoft.DataMigration"
                    else ["2025-01-01"],
                }
                for t in p.resource_types
            ],
        }

    def _provider(self, req: Req):
        sub = self.sub(req)
        p = sub.providers.get(req.params["ns"].lower())
        if p is None:
            raise ArmError(
                404,
                "InvalidResourceNamespace",
                f"The resource namespace '{req.params['ns']}' is invalid.",
            )
        return sub, p

    def list_providers(self, req: Req) -> Answer:
        sub = self.sub(req)
        return ok(page([self._provider_json(sub, p) for p in sub.providers.values()]))

    def get_provider(self, req: Req) -> Answer:
        sub, p = self._provider(req)
        return ok(self._provider_json(sub, p))

    def register_provider(self, req: Req) -> Answer:
        sub, p = self._provider(req)
        self._progress_provider(p)
        if p.state in ("NotRegistered", "Unregistered", "Unregistering"):
            p.state = "Registering"
            p.registering_until = self.sb.clock.now() + REGISTRATION_SECONDS
        return ok(self._provider_json(sub, p))

    def unregister_provider(self, req: Req) -> Answer:
        sub, p = self._provider(req)
        p.state, p.registering_until = "NotRegistered", None
        return ok(self._provider_json(sub, p))

    # ------------------------------------------------------------------ targets

    def target_json(self, t: Target) -> dict:
        base = {
            "id": t.id,
            "name": t.name,
            "type": t.namespace_type,
            "location": t.location,
            "tags": {},
        }
        if t.kind == TargetKind.SQL_MI:
            props = {
                "provisioningState": t.provisioning_state,
                "state": t.state,
                "fullyQualifiedDomainName": t.fqdn,
                "collation": "SQL_Latin1_General_CP1_CI_AS",
                "publicDataEndpointEnabled": False,
                "proxyOverride": "Proxy",
                "timezoneId": "UTC",
                "minimalTlsVersion": "1.2",
                "zoneRedundant": False,
                "requestedBackupStorageRedundancy": "Geo",
                "currentBackupStorageRedundancy": "Geo",
            }
            props.update(t.props)
            return {
                **base,
                "sku": t.sku,
                "identity": {
                    "type": "SystemAssigned",
                    "principalId": "7b1e3a4c-5d6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "tenantId": self.world.tenant_id,
                },
                "properties": props,
            }
        if t.kind == TargetKind.SQL_DB:
            props = {"state": t.state, "fullyQualifiedDomainName": t.fqdn}
            props.update(t.props)
            return {**base, "kind": "v12.0", "properties": props}
        vm_id = (
            f"/subscriptions/{t.subscription_id}/resourceGroups/{t.group}/providers/"
            f"Microsoft.Compute/virtualMachines/{t.name}"
        )
        props = {
            "virtualMachineResourceId": vm_id,
            "provisioningState": t.provisioning_state,
            "sqlManagement": t.sql_management,
            "leastPrivilegeMode": "Enabled",
            "sqlServerLicenseType": t.props.get("sqlServerLicenseType"),
            "sqlImageOffer": t.props.get("sqlImageOffer"),
            "sqlImageSku": t.props.get("sqlImageSku"),
        }
        return {**base, "properties": props}

    def _targets(self, req: Req, kind: TargetKind, by_group: bool) -> list[Target]:
        if by_group:
            sub, grp = self.group(req)
            return [
                t
                for t in self.world.targets
                if t.kind == kind
                and t.subscription_id == sub.subscription_id
                and t.group.lower() == grp.name.lower()
            ]
        sub = self.sub(req)
        return [
            t
            for t in self.world.targets
            if t.kind == kind and t.subscription_id == sub.subscription_id
        ]

    def _list_targets(self, kind: TargetKind, by_group: bool):
        def handler(req: Req) -> Answer:
            return ok(page([self.target_json(t) for t in self._targets(req, kind, by_group)]))

        return handler

    def find_target(self, req: Req, kind: TargetKind, name: str | None = None) -> Target:
        sub, grp = self.group(req)
        name = name or req.params["name"]
        t = self.world.target(kind, sub.subscription_id, grp.name, name)
        if t is None:
            rtype = {
                TargetKind.SQL_MI: "Microsoft.Sql/managedInstances",
                TargetKind.SQL_DB: "Microsoft.Sql/servers",
                TargetKind.SQL_VM: "Microsoft.SqlVirtualMachine/sqlVirtualMachines",
            }[kind]
            raise not_found(rtype, name, grp.name)
        return t

    def _get_target(self, kind: TargetKind):
        def handler(req: Req) -> Answer:
            return ok(self.target_json(self.find_target(req, kind)))

        return handler

    def _db_json(self, t: Target, db) -> dict:
        body = {
            "id": f"{t.id}/databases/{db.name}",
            "name": db.name,
            "type": f"{t.namespace_type}/databases",
            "location": t.location,
        }
        created = iso(self.sb.clock.now() - 86_400 * 30)
        if t.kind == TargetKind.SQL_MI:
            body["properties"] = {
                "status": "Online" if db.state == "ONLINE" else "Restoring",
                "collation": "SQL_Latin1_General_CP1_CI_AS",
                "creationDate": created,
                "defaultSecondaryLocation": "northeurope",
            }
        else:
            body["sku"] = (
                {"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 2}
                if db.name.lower() != "master"
                else {"name": "System", "tier": "System", "capacity": 0}
            )
            body["kind"] = "v12.0,user" if db.name.lower() != "master" else "v12.0,system"
            body["properties"] = {
                "status": "Online",
                "collation": "SQL_Latin1_General_CP1_CI_AS",
                "maxSizeBytes": 34359738368,
                "creationDate": created,
                "databaseId": f"00000000-0000-0000-0000-{db.database_id:012d}",
                "currentServiceObjectiveName": "GP_Gen5_2",
                "zoneRedundant": False,
            }
        return body

    def _user_dbs(self, t: Target):
        dbs = [t.engine.get(n) for n in t.engine.names()]
        return [
            d for d in dbs if d is not None and (t.kind == TargetKind.SQL_DB or not d.is_system)
        ]

    def _list_dbs(self, kind: TargetKind):
        def handler(req: Req) -> Answer:
            t = self.find_target(req, kind)
            return ok(page([self._db_json(t, d) for d in self._user_dbs(t)]))

        return handler

    def _get_db(self, kind: TargetKind):
        def handler(req: Req) -> Answer:
            t = self.find_target(req, kind)
            db = t.engine.get(req.params["db"])
            if db is None or (kind == TargetKind.SQL_MI and db.is_system):
                raise not_found(
                    f"{t.namespace_type}/databases", f"{t.name}/{req.params['db']}", t.group
                )
            return ok(self._db_json(t, db))

        return handler

    # ------------------------------------------------------------------ storage

    def _storage_json(self, a: StorageAccount) -> dict:
        return {
            "id": a.id,
            "name": a.name,
            "type": "Microsoft.Storage/storageAccounts",
            "location": a.location,
            "kind": a.kind,
            "sku": {"name": a.sku, "tier": "Standard"},
            "tags": {},
            "properties": {
                "provisioningState": "Succeeded",
                "creationTime": iso(self.sb.clock.now() - 86_400 * 90),
                "primaryLocation": a.location,
                "statusOfPrimary": "available",
                "accessTier": "Hot",
                "supportsHttpsTrafficOnly": True,
                "minimumTlsVersion": "TLS1_2",
                "allowBlobPublicAccess": False,
                "allowSharedKeyAccess": True,
                "primaryEndpoints": {
                    "blob": a.blob_endpoint,
                    "dfs": f"https://{a.name}.dfs.core.windows.net/",
                    "file": f"https://{a.name}.file.core.windows.net/",
                    "queue": f"https://{a.name}.queue.core.windows.net/",
                    "table": f"https://{a.name}.table.core.windows.net/",
                },
            },
        }

    def list_storage(self, req: Req) -> Answer:
        if "rg" in req.params:
            sub, grp = self.group(req)
            accts = [
                a
                for a in self.world.storage
                if a.subscription_id == sub.subscription_id and a.group.lower() == grp.name.lower()
            ]
        else:
            sub = self.sub(req)
            accts = [a for a in self.world.storage if a.subscription_id == sub.subscription_id]
        return ok(page([self._storage_json(a) for a in accts]))

    def account(self, req: Req) -> StorageAccount:
        sub, grp = self.group(req)
        a = self.world.storage_account(sub.subscription_id, grp.name, req.params["name"])
        if a is None:
            raise not_found("Microsoft.Storage/storageAccounts", req.params["name"], grp.name)
        return a

    def get_storage(self, req: Req) -> Answer:
        return ok(self._storage_json(self.account(req)))

    def list_keys(self, req: Req) -> Answer:
        a = self.account(req)
        created = iso(self.sb.clock.now() - 86_400 * 90)
        return ok(
            {
                "keys": [
                    {
                        "keyName": f"key{i + 1}",
                        "value": k,
                        "permissions": "FULL",
                        "creationTime": created,
                    }
                    for i, k in enumerate(a.keys)
                ]
            }
        )

    def _container_json(self, a: StorageAccount, c) -> dict:
        last = max([b.created for b in c.blobs], default=self.sb.clock.now() - 86_400 * 30)
        return {
            "id": f"{a.id}/blobServices/default/containers/{c.name}",
            "name": c.name,
            "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
            "etag": f'"0x8DC{int(last):X}"',
            "properties": {
                "publicAccess": "None",
                "leaseStatus": "Unlocked",
                "leaseState": "Available",
                "lastModifiedTime": iso(last),
                "hasImmutabilityPolicy": False,
                "hasLegalHold": False,
                "deleted": False,
                "remainingRetentionDays": 0,
                "defaultEncryptionScope": "$account-encryption-key",
                "denyEncryptionScopeOverride": False,
            },
        }

    def list_containers(self, req: Req) -> Answer:
        a = self.account(req)
        return ok(page([self._container_json(a, c) for c in a.containers.values()]))

    def get_container(self, req: Req) -> Answer:
        a = self.account(req)
        c = a.containers.get(req.params["container"])
        if c is None:
            raise ArmError(404, "ContainerNotFound", "The specified container does not exist.")
        return ok(self._container_json(a, c))
