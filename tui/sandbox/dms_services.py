"""``Microsoft.DataMigration/sqlMigrationServices``: the DMS instance and its integration
runtime."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .arm import Answer, ArmError, not_found, ok, page, same_id
from .router import Req, Router

if TYPE_CHECKING:
    from .sandbox import Sandbox

DMS_NAMESPACE = "Microsoft.DataMigration"
SERVICE_TYPE = f"{DMS_NAMESPACE}/sqlMigrationServices"
PROVISION_SECONDS = 60.0
UPDATE_SECONDS = 0.0
DELETE_SECONDS = 0.0
NODE_REGISTRATION_SECONDS = 45.0  # installing the runtime on the jump box and registering a key


@dataclass
class IrNode:
    name: str
    online_at: float
    version: str = "5.44.8984.1"
    memory_mb: int = 12_288
    cpu: int = 7
    jobs_limit: int = 10


@dataclass
class Service:
    subscription: str
    group: str
    name: str
    location: str
    tags: dict[str, str]
    created: float
    ready_at: float
    state: str = "Provisioning"  # Provisioning, Updating, Succeeded, Deleting
    deleting_at: float | None = None
    auth_keys: list[str] = field(default_factory=list)
    nodes: list[IrNode] = field(default_factory=list)
    node_due_at: float | None = None  # a node comes online then (after the keys were fetched)
    sent_bytes: float = 0.0
    received_bytes: float = 0.0

    @property
    def id(self) -> str:
        return (
            f"/subscriptions/{self.subscription}/resourceGroups/{self.group}/providers/"
            f"{SERVICE_TYPE}/{self.name}"
        )

    @property
    def ir_name(self) -> str:
        return f"{self.name}-ir"


class ServiceRoutes:
    def __init__(self, sb: Sandbox):
        self.sb = sb
        self.services: dict[str, Service] = {}

    # ------------------------------------------------------------------ state

    def now(self) -> float:
        return self.sb.clock.now()

    def progress(self, svc: Service) -> None:
        now = self.now()
        if svc.state in ("Provisioning", "Updating") and now >= svc.ready_at:
            svc.state = "Succeeded"
        if svc.state == "Deleting" and svc.deleting_at is not None and now >= svc.deleting_at:
            self.services.pop(svc.id.lower(), None)
        if svc.node_due_at is not None and now >= svc.node_due_at:
            svc.nodes.append(IrNode(self.sb.jump_box_name(len(svc.nodes)), svc.node_due_at))
            svc.node_due_at = None

    def all(self) -> list[Service]:
        for s in list(self.services.values()):
            self.progress(s)
        return list(self.services.values())

    def find(self, service_id: str) -> Service | None:
        for s in self.all():
            if same_id(s.id, service_id):
                return s
        return None

    def seed(
        self, subscription: str, group: str, name: str, location: str, tags: dict, *, nodes: int
    ) -> Service:
        now = self.now()
        svc = Service(
            subscription,
            group,
            name,
            location,
            tags,
            created=now - 86_400 * 14,
            ready_at=now - 86_400 * 14,
            state="Succeeded",
            auth_keys=[self._key(name), self._key(name)],
        )
        for i in range(nodes):
            svc.nodes.append(IrNode(self.sb.jump_box_name(i), now - 86_400 * 13))
        self.services[svc.id.lower()] = svc
        return svc

    def ir_state(self, svc: Service) -> str:
        if svc.state in ("Provisioning",):
            return "NeedRegistration"
        online = [n for n in svc.nodes if n.online_at <= self.now()]
        return "Online" if online else "NeedRegistration"

    def ir_online(self, svc: Service) -> bool:
        self.progress(svc)
        return self.ir_state(svc) == "Online"

    def register_node(self, svc: Service, node_name: str | None = None) -> IrNode:
        self.progress(svc)
        node = IrNode(node_name or self.sb.jump_box_name(len(svc.nodes)), self.now())
        svc.nodes.append(node)
        svc.node_due_at = None
        return node

    def _key(self, name: str) -> str:
        key_id = self.sb.new_id("integration-runtime-key")
        secret = base64.b64encode(hashlib.sha256(f"{key_id}/{name}".encode()).digest()).decode(
            "ascii"
        )
        return (
            f"IR@{key_id}@{name}@ServiceEndpoint="
            f"{self.sb.world.targets[0].location}.frontend.clouddatahub.net@{secret}"
        )

    # ------------------------------------------------------------------ routes

    def register(self, r: Router) -> None:
        G = (
            "/subscriptions/{sub}/resourceGroups/{rg}/providers"
            "/Microsoft.DataMigration/sqlMigrationServices"
        )
        one = G + "/{name}"
        for method, pattern, fn in (
            (
                "GET",
                "/subscriptions/{sub}/providers/Microsoft.DataMigration/sqlMigrationServices",
                self.list_sub,
            ),
            ("GET", G, self.list_group),
            ("GET", one, self.get),
            ("PUT", one, self.put),
            ("PATCH", one, self.patch),
            ("DELETE", one, self.delete),
            ("POST", one + "/listAuthKeys", self.list_auth_keys),
            ("POST", one + "/regenerateAuthKeys", self.regenerate_auth_keys),
            ("POST", one + "/deleteNode", self.delete_node),
            ("POST", one + "/listMonitoringData", self.monitoring),
            ("GET", one + "/listMigrations", self.list_migrations),
        ):
            r.add(method, pattern, self._checked(fn))

    def _checked(self, fn):
        def handler(req: Req) -> Answer:
            self.sb.require_dms_api(req)
            return fn(req)

        return handler

    def json(self, svc: Service) -> dict:
        self.progress(svc)
        return {
            "properties": {
                "provisioningState": svc.state,
                "integrationRuntimeState": self.ir_state(svc),
            },
            "location": svc.location,
            "tags": dict(svc.tags),
            "id": svc.id,
            "name": svc.name,
            "type": SERVICE_TYPE,
            "systemData": {"createdBy": "dba@contoso.com", "createdByType": "User"},
        }

    def _get(self, req: Req) -> Service:
        sub, grp = self.sb.resources.group(req)
        svc = self.find(
            f"/subscriptions/{sub.subscription_id}/resourceGroups/{grp.name}/providers/"
            f"{SERVICE_TYPE}/{req.params['name']}"
        )
        if svc is None:
            raise not_found(SERVICE_TYPE, req.params["name"], grp.name)
        return svc

    def list_sub(self, req: Req) -> Answer:
        sub = self.sb.resources.sub(req)
        return ok(
            page(
                [
                    self.json(s)
                    for s in self.all()
                    if s.subscription.lower() == sub.subscription_id.lower()
                ]
            )
        )

    def list_group(self, req: Req) -> Answer:
        sub, grp = self.sb.resources.group(req)
        return ok(
            page(
                [
                    self.json(s)
                    for s in self.all()
                    if s.subscription.lower() == sub.subscription_id.lower()
                    and s.group.lower() == grp.name.lower()
                ]
            )
        )

    def get(self, req: Req) -> Answer:
        return ok(self.json(self._get(req)))

    def _op_for(self, svc: Service, done, *, ends_with_delete: bool = False) -> dict[str, str]:
        """The async operation of a PUT/PATCH (``done`` once the service is Succeeded) or a
        DELETE (``ends_with_delete``). A create or update whose service is deleted before it
        finishes ends as ARM ends it — Canceled — so a poller on it stops."""

        def check():
            self.progress(svc)
            if done():
                return "Succeeded", None, None
            gone = svc.state == "Deleting" or self.services.get(svc.id.lower()) is not svc
            if gone and not ends_with_delete:
                return (
                    "Canceled",
                    {
                        "code": "OperationCanceled",
                        "message": f"Operation Cancelled: the service "
                        f"'{svc.name}' was deleted before the operation finished.",
                    },
                    None,
                )
            remaining = (
                svc.ready_at if svc.state != "Deleting" else (svc.deleting_at or 0)
            ) - self.now()
            return "InProgress", None, max(remaining, 0.0)

        _, headers = self.sb.operations.start(svc.subscription, svc.location, check)
        return headers

    def put(self, req: Req) -> Answer:
        sub, grp = self.sb.resources.group(req)
        if not self.sb.resources.provider_registered(sub, DMS_NAMESPACE):
            # ARM refuses to create a resource of a provider the subscription is not registered for.
            # (The SDK's auto-registration policy would then register and poll every 10 s of real
            # time: the app's clients turn it off, and step 1 registers the provider.)
            raise ArmError(
                409,
                "MissingSubscriptionRegistration",
                f"The subscription is not registered to use namespace '{DMS_NAMESPACE}'. See "
                "https://aka.ms/rps-not-found for how to register subscriptions.",
                details=[
                    {
                        "code": "MissingSubscriptionRegistration",
                        "target": DMS_NAMESPACE,
                        "message": f"The subscription is not registered to use namespace "
                        f"'{DMS_NAMESPACE}'. See https://aka.ms/rps-not-found for "
                        "how to register subscriptions.",
                    }
                ],
            )
        name = req.params["name"]
        body = req.body if isinstance(req.body, dict) else {}
        location = (body.get("location") or "").replace(" ", "").lower()
        if not location:
            raise ArmError(
                400,
                "LocationRequired",
                "The location property is required for this definition.",
                target="location",
            )
        if not (3 <= len(name) <= 63):
            raise ArmError(
                400, "InvalidResourceName", f"The resource name '{name}' is invalid.", target="name"
            )
        rid = (
            f"/subscriptions/{sub.subscription_id}/resourceGroups/{grp.name}"
            f"/providers/{SERVICE_TYPE}/{name}"
        )
        svc = self.find(rid)
        now = self.now()
        if svc is not None and svc.state == "Deleting":
            raise ArmError(409, "Conflict", f"The service '{name}' is being deleted.")
        if svc is None:
            svc = Service(
                sub.subscription_id,
                grp.name,
                name,
                location,
                body.get("tags") or {},
                created=now,
                ready_at=now + PROVISION_SECONDS,
                state="Provisioning",
                auth_keys=[self._key(name), self._key(name)],
            )
            self.services[svc.id.lower()] = svc
            status = 201
        else:
            if location != svc.location:
                raise ArmError(
                    400,
                    "InvalidRequestContent",
                    "The location of an existing service cannot be changed.",
                    target="location",
                )
            if "tags" in body:
                svc.tags = body.get("tags") or {}
            if svc.state == "Succeeded":
                svc.state, svc.ready_at = "Updating", now + UPDATE_SECONDS
            status = 200
        headers = self._op_for(svc, lambda: svc.state == "Succeeded")
        return Answer(status, self.json(svc), headers)

    def patch(self, req: Req) -> Answer:
        svc = self._get(req)
        body = req.body if isinstance(req.body, dict) else {}
        if "tags" in body:
            svc.tags = body.get("tags") or {}
        headers = self._op_for(svc, lambda: svc.state == "Succeeded")
        return Answer(200, self.json(svc), headers)

    def delete(self, req: Req) -> Answer:
        sub, grp = self.sb.resources.group(req)
        rid = (
            f"/subscriptions/{sub.subscription_id}/resourceGroups/{grp.name}"
            f"/providers/{SERVICE_TYPE}/{req.params['name']}"
        )
        svc = self.find(rid)
        if svc is None:
            return Answer(204)
        if svc.state != "Deleting":
            svc.state, svc.deleting_at = "Deleting", self.now() + DELETE_SECONDS
        headers = self._op_for(svc, lambda: self.find(rid) is None, ends_with_delete=True)
        return Answer(202, None, headers)

    def _ready(self, svc: Service) -> None:
        if svc.state != "Succeeded":
            raise ArmError(
                409,
                "ServiceNotReady" if svc.state != "Deleting" else "Conflict",
                "The operation cannot be performed while the service is in the "
                f"'{svc.state}' state.",
            )

    def list_auth_keys(self, req: Req) -> Answer:
        svc = self._get(req)
        self._ready(svc)
        if not svc.nodes and svc.node_due_at is None and self.sb.auto_register_nodes:
            svc.node_due_at = self.now() + NODE_REGISTRATION_SECONDS
        return ok({"authKey1": svc.auth_keys[0], "authKey2": svc.auth_keys[1]})

    def regenerate_auth_keys(self, req: Req) -> Answer:
        svc = self._get(req)
        self._ready(svc)
        body = req.body if isinstance(req.body, dict) else {}
        key_name = body.get("keyName") or ""
        index = {"authkey1": 0, "authkey2": 1}.get(key_name.lower())
        if index is None:
            raise ArmError(
                400,
                "InvalidKeyName",
                f"Key name '{key_name}' is not valid. Use 'authKey1' or 'authKey2'.",
                target="keyName",
            )
        svc.auth_keys[index] = self._key(svc.name)
        canonical = f"authKey{index + 1}"
        return ok({"keyName": canonical, canonical: svc.auth_keys[index]})

    def delete_node(self, req: Req) -> Answer:
        svc = self._get(req)
        body = req.body if isinstance(req.body, dict) else {}
        node_name, ir = body.get("nodeName") or "", body.get("integrationRuntimeName") or ""
        if ir and ir.lower() != svc.ir_name.lower():
            raise ArmError(
                400,
                "InvalidIntegrationRuntimeName",
                f"Integration runtime '{ir}' does not belong to service '{svc.name}' "
                f"(its integration runtime is '{svc.ir_name}').",
                target="integrationRuntimeName",
            )
        self.progress(svc)
        match = [n for n in svc.nodes if n.name.lower() == node_name.lower()]
        if not match:
            raise ArmError(
                400,
                "IntegrationRuntimeNodeNotFound",
                f"Node '{node_name}' is not registered with integration runtime '{svc.ir_name}'.",
                target="nodeName",
            )
        svc.nodes = [n for n in svc.nodes if n is not match[0]]
        return ok({"nodeName": match[0].name, "integrationRuntimeName": svc.ir_name})

    def monitoring(self, req: Req) -> Answer:
        svc = self._get(req)
        now = self.now()
        running = self.sb.migrations.running_jobs(svc.id)
        nodes = []
        for i, n in enumerate(svc.nodes):
            if n.online_at > now:
                continue
            share = running // max(1, len(svc.nodes)) + (
                1 if i < running % max(1, len(svc.nodes)) else 0
            )
            up = now - n.online_at
            nodes.append(
                {
                    "nodeName": n.name,
                    "availableMemoryInMB": n.memory_mb - 350 * share,
                    "cpuUtilization": min(95, n.cpu + 9 * share),
                    "concurrentJobsLimit": n.jobs_limit,
                    "concurrentJobsRunning": share,
                    "maxConcurrentJobs": n.jobs_limit,
                    "sentBytes": round(0.05 * up / 3600 + 0.9 * share, 6),
                    "receivedBytes": round(0.03 * up / 3600 + 1.7 * share, 6),
                }
            )
        return ok({"name": svc.ir_name, "nodes": nodes})

    def list_migrations(self, req: Req) -> Answer:
        svc = self._get(req)
        return ok(page(self.sb.migrations.json_for_service(svc.id)))
