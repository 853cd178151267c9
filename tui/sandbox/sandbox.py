"""The sandbox: a simulated Azure (Resource Manager + DMS) and on-premises SQL Server in-process."""

from __future__ import annotations

import itertools
import ntpath
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tui.models import BackupRecord

from .arm import Answer, ArmError
from .blob_service import BlobService
from .clock import ManualClock, RealClock
from .copy_migration import TableCopyMigration
from .credential import SandboxCredential
from .dms_services import ServiceRoutes
from .faults import Fault, FaultSet
from .journal import WRITE_METHODS, Journal, without_secrets
from .migration_routes import MigrationRoutes
from .operations import DMS_API, Operations
from .resources import ResourceRoutes
from .restore_migration import BackupRestoreMigration
from .router import Req, Router
from .sqlserver import SimulatedSqlServer, unreachable
from .tde import TdeRoutes, database_certificate, export_pfx
from .transport import RecordedRequest, SandboxTransport
from .world import World

DMS_API_VERSIONS = (DMS_API, "2025-03-15-preview")
SHARE_ROOT = (
    "\\\\sqlprod01\\sqlbackups"  # the source server's D:\MSSQL\Backup, shared on the network
)
LOCAL_BACKUP_DIR = "d:\\mssql\\backup"


class Sandbox:
    """An emulated Azure Resource Manager, DMS and source SQL Server, deterministic from ``seed``.

    ``transport`` and ``credential`` plug into any Azure SDK management client. With the default
    manual clock, simulated time moves only through :meth:`advance`: an operation that needs
    simulated time (creating a DMS instance: 60 s) completes once the caller has advanced that
    far, and a poller waiting on it simply re-polls. Operations DMS accepts at once (migration
    create, cutover, cancel, retry, deletes, tag updates) are finished when first polled.

    ``auto_register_nodes``: a self-hosted integration-runtime node registers itself 45 simulated
    seconds after the first ``listAuthKeys`` of a DMS instance that has none (as if the DBA had
    installed the runtime with the key); otherwise only
    :meth:`register_integration_runtime_node` brings one online.
    """

    def __init__(self, seed: int = 0, *, clock: Any = None, auto_register_nodes: bool = True):
        self.seed = seed
        self.clock = clock if clock is not None else ManualClock()
        self.created = self.clock.now()  # the simulated moment the seeded world begins
        # every change, so that the same world can be built again (``tui.sandbox.saved``)
        self.journal = Journal()
        self.journal.listener = self.save
        # writes the world where it is kept between runs; None: it is kept nowhere
        self.persist: Callable[[], None] | None = None
        self._id_namespace = uuid.uuid5(uuid.NAMESPACE_DNS, f"seed-{seed}.sandbox.dms-tui")
        self._id_counters: dict[str, itertools.count] = {}
        self.auto_register_nodes = auto_register_nodes
        self.world = World(seed, self.clock.now)
        self._lock = self.world.lock  # one re-entrant lock guards the whole simulated estate
        self.faults = FaultSet()
        self.requests: list[RecordedRequest] = []
        self.operations = Operations(
            self.clock.now, self.clock.real_seconds, manual=self.clock.manual, new_id=self.new_id
        )
        self.resources = ResourceRoutes(self)
        self.services = ServiceRoutes(self)
        self.migrations = MigrationRoutes(self)
        self.router = Router()
        self.router.add(
            "GET",
            "/subscriptions/{sub}/providers/Microsoft.DataMigration/locations/{loc}"
            "/operationStatuses/{op}",
            self._operation_status,
        )
        self.router.add(
            "GET", "/providers/Microsoft.DataMigration/operations", self._dms_operations
        )
        self.services.register(self.router)
        self.migrations.register(self.router)
        self.resources.register(self.router)
        self.tde = TdeRoutes(self)
        self.tde.register(self.router)
        self.blob_service = BlobService(self)
        self.transport = SandboxTransport(self)
        self.credential = SandboxCredential(self.world.tenant_id)
        self.subscription_id = self.world.default_subscription
        self.source_address = self.world.source.address
        for srv in self.world.servers.values():
            srv.on_change = self._server_changed
        self.services.seed(
            self.subscription_id,
            "rg-dms-migration",
            "dms-contoso-prod",
            self.world.targets[0].location,
            {"env": "prod", "owner": "dba-team"},
            nodes=1,
        )

    @classmethod
    def realtime(cls, seed: int = 0, speed: float = 1.0) -> Sandbox:
        """For the app: simulated time follows the wall clock (``speed`` times faster)."""
        return cls(seed, clock=RealClock(speed))

    # ------------------------------------------------------------------ time

    def advance(self, seconds: float) -> None:
        """Move simulated time forward and let everything that happens meanwhile happen."""
        self.clock.advance(seconds)
        self.simulate()

    def simulate(self) -> None:
        with self._lock:
            now = self.clock.now()
            for s in self.services.all():
                self.services.progress(s)
            self.migrations.simulate(now)

    @property
    def now(self) -> float:
        return self.clock.now()

    # ------------------------------------------------------------------ keeping the world

    def save(self) -> None:
        """Write the world where it is kept between runs (nothing when it is kept nowhere)."""
        if self.persist is not None:
            self.persist()

    def _server_changed(self, kind: str, **fields: Any) -> None:
        self.journal.record(kind, self.clock.now(), **fields)

    # ------------------------------------------------------------------ the on-premises side

    def sql_server(self, address: str) -> SimulatedSqlServer:
        """The simulated engine at ``address``: the on-premises server or a target's fqdn."""
        srv = self.world.server(address)
        if srv is None:
            raise KeyError(f"no simulated SQL Server at '{address}'")
        return srv

    def connect(self, address: str, port: int | None = 1433) -> SimulatedSqlServer:
        """Connect to the simulated engine at ``address`` as a real driver would: an address
        no simulated server answers fails with what ODBC Driver 18 reports for a host it
        cannot find (SQLSTATE 08001, error 11001), translated as the real source layer does."""
        srv = self.world.server(address)
        if srv is None:
            raise unreachable(address, port)
        return srv

    def _source_db(self, database: str):
        """The on-premises database by name; KeyError naming the server when there is none."""
        db = self.world.source.get(database)
        if db is None:
            raise KeyError(f"no database '{database}' on {self.source_address}")
        return db

    def _backup_dir(self, database: str) -> str:
        db = self._source_db(database)
        for rec in reversed(db.backups):
            if rec.backup_type == "full" and rec.device.lower().startswith("https://"):
                return rec.device.rsplit("/", 1)[0]
            if rec.backup_type == "full":
                return ntpath.dirname(rec.device)
        return self.world.backup_url(db.name, "").rstrip("/")

    def _join(self, folder: str, name: str) -> str:
        return (
            f"{folder}/{name}"
            if folder.lower().startswith("https://")
            else ntpath.join(folder, name)
        )

    def take_log_backup(self, source_database: str, *, tail: bool = False) -> BackupRecord:
        """A log backup on the on-premises server, next to the database's full backup (its blob
        folder)."""
        with self._lock:
            self.simulate()
            src = self.world.source
            db = self._source_db(source_database)
            n = sum(1 for b in db.backups if b.backup_type == "log") + 1
            url = self._join(self._backup_dir(db.name), f"{db.name}_log_{n:03d}.trn")
            src.backup_log(db.name, url, tail=tail)
            return db.backups[-1]

    def add_application_databases(self, *names: str) -> None:
        """More on-premises databases shaped like SalesDB, each with its backups in its own
        folder of the migration container."""
        from .estate import add_application_databases

        add_application_databases(self.world, names)

    def fill_managed_instance(self, name: str, user_databases: int) -> int:
        """Let the managed instance ``name`` hold ``user_databases`` user databases."""
        from .estate import fill_managed_instance

        return fill_managed_instance(self.world, name, user_databases)

    def take_full_backup(self, source_database: str, url: str | None = None) -> BackupRecord:
        with self._lock:
            self.simulate()
            db = self._source_db(source_database)
            n = sum(1 for b in db.backups if b.backup_type == "full") + 1
            target = url or self._join(self._backup_dir(db.name), f"{db.name}_full_{n}.bak")
            return self.world.source.backup_full(
                db.name, target, duration=max(30.0, db.data_size_mb / 180.0)
            )

    def take_diff_backup(self, source_database: str, url: str | None = None) -> BackupRecord:
        """A differential backup next to the full one: DMS uses it to bridge a gap in the log
        chain."""
        with self._lock:
            self.simulate()
            db = self._source_db(source_database)
            n = sum(1 for b in db.backups if b.backup_type == "diff") + 1
            target = url or self._join(self._backup_dir(db.name), f"{db.name}_diff_{n}.bak")
            return self.world.source.backup_diff(
                db.name, target, duration=max(10.0, db.data_size_mb / 900.0)
            )

    def break_backup_chain(self, source_database: str) -> None:
        """The next log backup finds an earlier one taken elsewhere: DMS sees an LSN gap.

        The migration stays blocked until the missing backup is put into the folder
        (:meth:`repair_backup_chain`) or a differential backup bridges the gap
        (:meth:`take_diff_backup`)."""
        with self._lock:
            db = self._source_db(source_database)
            db.chain_gap = True
            self.journal.record("break_chain", self.now, database=db.name)

    def repair_backup_chain(self, source_database: str) -> list[BackupRecord]:
        """Copy the log backups taken elsewhere into the database's backup folder."""
        with self._lock:
            self.simulate()
            db = self._source_db(source_database)
            folder, moved = self._backup_dir(db.name), []
            for rec in db.stray_backups:
                copy = replace(rec, device=self._join(folder, ntpath.basename(rec.device)))
                self.world._backup_written(self.source_address, copy)
                moved.append(copy)
            db.stray_backups.clear()
            self.journal.record("repair_chain", self.now, database=db.name)
            return moved

    def fail_migration(self, target_database: str, code: str = "", message: str = "") -> None:
        """The migration to ``target_database`` fails now, with a ``migrationFailureError``."""
        with self._lock:
            self.simulate()
            m = self.migrations.by_target_database(target_database)
            if m is None or not m.active:
                raise KeyError(f"no running migration to '{target_database}'")
            self.journal.record(
                "fail_migration",
                self.now,
                target_database=target_database,
                code=code,
                message=message,
            )
            if isinstance(m, TableCopyMigration):
                running = [c for c in m.copies if c.copy_start <= self.now < c.rebuild_end]
                table = (
                    running[0].table.full_name
                    if running
                    else (m.copies[0].table.full_name if m.copies else "")
                )
                m.fail(
                    self.now,
                    code or "SqlDataCopyFailed",
                    message
                    or (
                        "Failure happened on 'Sink' side. ErrorCode=SqlOperationFailed, "
                        "'A database operation failed with the following error: "
                        f"The transaction log for database '{m.name}' is full due to "
                        f"'ACTIVE_TRANSACTION'.' Table: {table}"
                    ),
                )
            else:
                restoring = m.restoring if isinstance(m, BackupRestoreMigration) else None
                name = restoring.blob.file_name if restoring is not None else m.name
                m.fail(
                    self.now,
                    code or "RestoreFailed",
                    message
                    or (
                        f"Msg 3203, Level 16, State 1: Read on '{name}' failed: 13 "
                        "(The data is invalid.) RESTORE LOG is terminating abnormally."
                    ),
                )

    def register_integration_runtime_node(
        self, service_name: str, node_name: str | None = None
    ) -> str:
        """A self-hosted integration runtime node comes online for the named service."""
        with self._lock:
            for svc in self.services.all():
                if svc.name.lower() == service_name.lower():
                    name = self.services.register_node(svc, node_name).name
                    self.journal.record(
                        "register_node", self.now, service=service_name, node=node_name
                    )
                    return name
        raise KeyError(f"no migration service '{service_name}'")

    def jump_box_name(self, index: int) -> str:
        return f"JUMPBOX{index + 1:02d}"

    def share_to_local(self, path: str) -> str:
        p = path.strip().rstrip("\\/").replace("/", "\\").lower()
        if p.startswith(SHARE_ROOT):
            p = LOCAL_BACKUP_DIR + p[len(SHARE_ROOT) :]
        return p

    # ------------------------------------------------------------------ faults and requests

    def inject(self, fault: Fault) -> Fault:
        return self.faults.add(fault)

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)

    # ------------------------------------------------------------------ TDE certificates

    def export_tde_certificate(self, source_database: str, password: str) -> bytes:
        """The PFX a DBA exports on the source (BACKUP CERTIFICATE ... WITH FORMAT = 'PFX')
        for the certificate protecting ``source_database``'s encryption key."""
        with self._lock:
            db = self._source_db(source_database)
            if not db.is_encrypted:
                raise ValueError(f"{source_database} is not encrypted with TDE")
            cert = database_certificate(self.world.source, db.name)
        return export_pfx(cert, password)

    def install_tde_certificate(self, target_name: str, source_database: str) -> None:
        """What the DBA does on a SQL VM by hand (CREATE CERTIFICATE ... FROM FILE)."""
        with self._lock:
            cert = database_certificate(self.world.source, self._source_db(source_database).name)
            target = next(t for t in self.world.targets if t.name.lower() == target_name.lower())
            target.engine.certificates[cert.thumbprint] = cert

    def new_id(self, purpose: str) -> str:
        """A GUID that depends only on the seed and how many were made for ``purpose`` before."""
        with self._lock:
            counter = self._id_counters.setdefault(purpose, itertools.count(1))
            return str(uuid.uuid5(self._id_namespace, f"{purpose}:{next(counter)}"))

    def _request_id(self) -> str:
        return self.new_id("request")

    def _fault_answer(self, fault: Fault) -> Answer:
        if fault.kind == "throttle":
            secs = max(0, int(round(fault.retry_after)))
            return ArmError(
                429,
                "TooManyRequests",
                "The request is being throttled as the limit has been reached "
                "for operation type - Read_ObservationWindow_00:05:00. "
                f"Please retry after {secs} seconds.",
                headers={"Retry-After": str(secs)},
            ).answer()
        if fault.kind == "expired_token":
            return ArmError(
                401,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.",
                headers={
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/'
                    f'{self.world.tenant_id}", error="invalid_token", '
                    'error_description="The access token has expired."'
                },
            ).answer()
        codes = {
            500: "InternalServerError",
            502: "BadGateway",
            503: "ServiceUnavailable",
            504: "GatewayTimeout",
        }
        return ArmError(
            fault.status,
            codes.get(fault.status, "InternalServerError"),
            "The server encountered an internal error. Please retry the request.",
        ).answer()

    # ------------------------------------------------------------------ request handling

    def require_dms_api(self, req: Req) -> None:
        if req.api_version not in DMS_API_VERSIONS:
            raise ArmError(
                400,
                "NoRegisteredProviderFound",
                "No registered resource provider found for API version "
                f"'{req.api_version}' for type 'Microsoft.DataMigration'. "
                f"The supported api-versions are '{', '.join(DMS_API_VERSIONS)}'.",
            )

    def _handle(
        self, method: str, path: str, query: dict, headers: dict, body: Any, raw: bytes | None
    ) -> Answer:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not auth.lower().startswith("bearer "):
            return ArmError(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
            ).answer()
        if raw and body is None:
            return ArmError(
                400,
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized.",
            ).answer()
        if not any(k.lower() == "api-version" for k in query):
            return ArmError(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            ).answer()
        req = Req(method, path, query, body, headers=headers)
        with self._lock:
            at = self.clock.now()
            self.simulate()
            try:
                answer = self.router.route(req)
            except ArmError as e:
                answer = e.answer()
            # an upload is kept by its thumbprint (tui.sandbox.tde), never its PFX
            upload = TdeRoutes.is_upload(method, path)
            if method in WRITE_METHODS and answer.status < 400 and not upload:
                self.journal.record(
                    "request",
                    at,
                    method=method,
                    path=path,
                    query=dict(query),
                    body=without_secrets(self, body),
                )
            if method == "HEAD":
                answer = Answer(
                    answer.status if answer.status >= 300 else 204, None, answer.headers
                )
            return answer

    def _operation_status(self, req: Req) -> Answer:
        return self.operations.answer(req.params["sub"], req.params["loc"], req.params["op"])

    def _dms_operations(self, req: Req) -> Answer:
        ops = [
            "sqlMigrationServices/write",
            "sqlMigrationServices/delete",
            "sqlMigrationServices/read",
            "sqlMigrationServices/listAuthKeys/action",
            "sqlMigrationServices/regenerateAuthKeys/action",
            "sqlMigrationServices/monitoringData/action",
            "sqlMigrationServices/deleteNode/action",
            "databaseMigrations/write",
            "databaseMigrations/read",
            "databaseMigrations/delete",
            "databaseMigrations/cancel/action",
            "databaseMigrations/cutover/action",
        ]
        return Answer(
            200,
            {
                "value": [
                    {
                        "name": f"Microsoft.DataMigration/{o}",
                        "isDataAction": False,
                        "display": {
                            "provider": "Microsoft DataMigration",
                            "resource": o.split("/")[0],
                            "operation": o,
                            "description": o,
                        },
                    }
                    for o in ops
                ]
            },
        )
