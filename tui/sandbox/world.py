"""The seeded Azure estate and on-premises server: everything deterministic from ``seed``."""

from __future__ import annotations

import base64
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.models import BackupRecord, ServerInfo, TargetKind

from .sqlserver import (
    SimDatabase,
    SimTable,
    SimulatedSqlServer,
    data_files,
    many_tables_factory,
    oltp_tables,
)

LOCATION = "westeurope"


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Provider:
    namespace: str
    state: str = "Registered"
    registering_until: float | None = None
    resource_types: tuple[str, ...] = ()


@dataclass
class Subscription:
    subscription_id: str
    display_name: str
    tenant_id: str
    state: str = "Enabled"
    groups: dict[str, ResourceGroup] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)

    def group(self, name: str) -> ResourceGroup | None:
        return self.groups.get(name.lower())


@dataclass
class ResourceGroup:
    name: str
    location: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class BlobFile:
    """A backup file in a container, with the header DMS reads from it."""

    path: str  # inside the container: "<folder>/<file>"
    database: str
    backup_type: str  # full, log
    first_lsn: int
    last_lsn: int
    size: int
    has_checksum: bool
    backup_start: float
    backup_finish: float
    created: float  # when it appeared in the container
    server: str = ""
    base_lsn: int = 0  # database_backup_lsn: the full backup a differential or log belongs to
    # "" for a file that is no backup (a note, a script): DMS reads no header from it
    content_type: str = "application/octet-stream"

    @property
    def is_backup(self) -> bool:
        return bool(self.backup_type)

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


@dataclass
class Container:
    name: str
    blobs: list[BlobFile] = field(default_factory=list)

    def files_in(self, folder: str) -> list[BlobFile]:
        f = folder.strip("/").lower()
        return [b for b in self.blobs if b.folder.lower() == f]


@dataclass
class StorageAccount:
    subscription_id: str
    name: str
    group: str
    location: str
    kind: str = "StorageV2"
    sku: str = "Standard_LRS"
    keys: list[str] = field(default_factory=list)
    containers: dict[str, Container] = field(default_factory=dict)
    # the Blob service: whether it accepts the account key (allowSharedKeyAccess), and
    # whether the signed-in identity holds a data role (Storage Blob Data Reader) on it
    allow_shared_key_access: bool = True
    signed_in_can_read: bool = True

    @property
    def id(self) -> str:
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.group}/providers/"
            f"Microsoft.Storage/storageAccounts/{self.name}"
        )

    @property
    def blob_endpoint(self) -> str:
        return f"https://{self.name}.blob.core.windows.net/"


@dataclass
class Target:
    """A managed instance, SQL VM or logical server, with the engine behind it."""

    kind: TargetKind
    subscription_id: str
    name: str
    group: str
    location: str
    fqdn: str
    engine: SimulatedSqlServer
    state: str = "Ready"  # MI: Ready / Creating ...; server: Ready
    provisioning_state: str = "Succeeded"
    sku: dict = field(default_factory=dict)
    sql_management: str = "Full"  # SQL VM: Full, LightWeight, NoAgent
    props: dict = field(default_factory=dict)

    @property
    def namespace_type(self) -> str:
        return {
            TargetKind.SQL_MI: "Microsoft.Sql/managedInstances",
            TargetKind.SQL_DB: "Microsoft.Sql/servers",
            TargetKind.SQL_VM: "Microsoft.SqlVirtualMachine/sqlVirtualMachines",
        }[self.kind]

    @property
    def id(self) -> str:
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.group}"
            f"/providers/{self.namespace_type}/{self.name}"
        )


class World:
    """All simulated resources. Guarded by ``lock`` (re-entrant; handlers nest)."""

    def __init__(self, seed: int, now: Callable[[], float]):
        self.seed = seed
        self.now = now
        self.lock = threading.RLock()
        rng = random.Random(seed)
        self.tenant_id = _guid(rng)
        self.subscriptions: dict[str, Subscription] = {}
        self.targets: list[Target] = []
        self.storage: list[StorageAccount] = []
        self.servers: dict[str, SimulatedSqlServer] = {}
        self._seed_azure(rng)
        self._seed_source(rng)

    # ------------------------------------------------------------------ lookups

    def subscription(self, sub_id: str) -> Subscription | None:
        return self.subscriptions.get(sub_id.lower())

    def target(self, kind: TargetKind, sub: str, group: str, name: str) -> Target | None:
        for t in self.targets:
            if (
                t.kind == kind
                and t.subscription_id.lower() == sub.lower()
                and t.group.lower() == group.lower()
                and t.name.lower() == name.lower()
            ):
                return t
        return None

    def storage_account(self, sub: str, group: str | None, name: str) -> StorageAccount | None:
        for a in self.storage:
            if (
                a.subscription_id.lower() == sub.lower()
                and a.name.lower() == name.lower()
                and (group is None or a.group.lower() == group.lower())
            ):
                return a
        return None

    def storage_by_name(self, name: str) -> StorageAccount | None:
        for a in self.storage:
            if a.name.lower() == name.lower():
                return a
        return None

    def server(self, address: str) -> SimulatedSqlServer | None:
        """The engine at ``address`` (accepts ``tcp:host,port`` and ``host\\instance`` forms)."""
        key = address.strip().lower()
        if key.startswith("tcp:"):
            key = key[4:]
        key = key.split(",")[0].split("\\")[0].strip()
        for srv in self.servers.values():
            if key in srv.aliases:
                return srv
        return None

    # ------------------------------------------------------------------ seeding: Azure

    def _seed_azure(self, rng: random.Random) -> None:
        main_id = _guid(rng)
        self.default_subscription = main_id
        main = Subscription(main_id, "Contoso Production", self.tenant_id)
        self.subscriptions[main_id.lower()] = main
        if seed_has_second_subscription(self.seed):
            dev_id = _guid(rng)
            dev = Subscription(dev_id, "Contoso Dev/Test", self.tenant_id)
            dev.groups["rg-sandbox-dev"] = ResourceGroup("rg-sandbox-dev", LOCATION, {"env": "dev"})
            dev.providers = _providers()
            self.subscriptions[dev_id.lower()] = dev
        for name, tags in (
            ("rg-dms-migration", {"env": "prod", "owner": "dba-team"}),
            ("rg-sql-targets", {"env": "prod"}),
            ("rg-network", {"env": "prod"}),
        ):
            main.groups[name.lower()] = ResourceGroup(name, LOCATION, tags)
        main.providers = _providers()

        dns_zone = "".join(rng.choice("0123456789abcdef") for _ in range(12))
        self.dns_zone = dns_zone
        sub = main_id
        lock = self.lock

        def engine(address: str, version: str, major: int, edition: str) -> SimulatedSqlServer:
            info = ServerInfo(
                server=address,
                version=version,
                major_version=major,
                edition=edition,
                product_level="RTM",
                host_platform="Windows",
                is_sysadmin=True,
                server_name=address.split(".")[0].upper(),
            )
            srv = SimulatedSqlServer(address, info, lock, self.now)
            self.servers[address.lower()] = srv
            return srv

        mi_prod = f"sqlmi-contoso-prod.{dns_zone}.database.windows.net"
        mi = Target(
            TargetKind.SQL_MI,
            sub,
            "sqlmi-contoso-prod",
            "rg-sql-targets",
            LOCATION,
            mi_prod,
            engine(mi_prod, "12.0.2000.8", 12, "SQL Azure"),
            state="Ready",
            sku={"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 8},
            props={
                "vCores": 8,
                "storageSizeInGB": 1024,
                "isGeneralPurposeV2": False,
                "licenseType": "BasePrice",
                "administratorLogin": "miadmin",
                "dnsZone": dns_zone,
                "subnetId": f"/subscriptions/{sub}/resourceGroups/rg-network/providers/"
                "Microsoft.Network/virtualNetworks/vnet-sql/subnets/snet-mi",
            },
        )
        mi_dev_fqdn = f"sqlmi-contoso-dev.{dns_zone}.database.windows.net"
        mi_dev = Target(
            TargetKind.SQL_MI,
            sub,
            "sqlmi-contoso-dev",
            "rg-sql-targets",
            LOCATION,
            mi_dev_fqdn,
            engine(mi_dev_fqdn, "12.0.2000.8", 12, "SQL Azure"),
            state="Creating",
            provisioning_state="Creating",
            sku={"name": "BC_Gen5", "tier": "BusinessCritical", "family": "Gen5", "capacity": 4},
            props={
                "vCores": 4,
                "storageSizeInGB": 256,
                "licenseType": "LicenseIncluded",
                "administratorLogin": "miadmin",
                "dnsZone": dns_zone,
                "subnetId": f"/subscriptions/{sub}/resourceGroups/rg-network/providers/"
                "Microsoft.Network/virtualNetworks/vnet-sql/subnets/snet-mi-dev",
            },
        )
        srv_fqdn = "sql-contoso-prod.database.windows.net"
        logical = Target(
            TargetKind.SQL_DB,
            sub,
            "sql-contoso-prod",
            "rg-sql-targets",
            LOCATION,
            srv_fqdn,
            engine(srv_fqdn, "12.0.2000.8", 12, "SQL Azure"),
            state="Ready",
            props={
                "version": "12.0",
                "administratorLogin": "sqladmin",
                "publicNetworkAccess": "Enabled",
                "minimalTlsVersion": "1.2",
            },
        )
        vm_fqdn = f"sqlvm-contoso-01.{LOCATION}.cloudapp.azure.com"
        vm = Target(
            TargetKind.SQL_VM,
            sub,
            "sqlvm-contoso-01",
            "rg-sql-targets",
            LOCATION,
            vm_fqdn,
            engine(vm_fqdn, "16.0.4135.4", 16, "Enterprise Edition (64-bit)"),
            sql_management="Full",
            props={
                "sqlImageOffer": "SQL2022-WS2022",
                "sqlImageSku": "Enterprise",
                "sqlServerLicenseType": "PAYG",
            },
        )
        vm2_fqdn = f"sqlvm-legacy-02.{LOCATION}.cloudapp.azure.com"
        vm2 = Target(
            TargetKind.SQL_VM,
            sub,
            "sqlvm-legacy-02",
            "rg-sql-targets",
            LOCATION,
            vm2_fqdn,
            engine(vm2_fqdn, "15.0.4355.3", 15, "Standard Edition (64-bit)"),
            sql_management="LightWeight",
            props={
                "sqlImageOffer": "SQL2019-WS2019",
                "sqlImageSku": "Standard",
                "sqlServerLicenseType": "AHUB",
            },
        )
        vm.engine.aliases.add("sqlvm-contoso-01")
        vm2.engine.aliases.add("sqlvm-legacy-02")
        logical.engine.aliases.add("sql-contoso-prod")
        mi.engine.aliases.add("sqlmi-contoso-prod")
        self.targets = [mi, mi_dev, logical, vm, vm2]

        from .logins import seed_target_logins

        for t in (mi, mi_dev):
            t.engine.login_store.managed_instance = True
            # a stream of its own: the rest of the world stays as it was for this seed
            seed_target_logins(
                t.engine.login_store, random.Random(f"{self.seed}-logins-{t.name}"), "miadmin"
            )

        # databases already on the targets
        for t in (mi, mi_dev, vm, vm2):
            for i, n in enumerate(("master", "tempdb", "model", "msdb"), start=1):
                t.engine.add(_sys_db(n, i))
        for t, names in ((mi, ["ReportingArchive"]), (vm, ["DBAtools"]), (logical, [])):
            for n in names:
                db = SimDatabase(n, t.engine.next_database_id(), data_size_mb=2048, log_size_mb=512)
                db.set_tables([])
                t.engine.add(db)
        logical.engine.add(_sys_db("master", 1))

        suffix = "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        acct = StorageAccount(
            sub, f"stcontosomig{suffix}", "rg-dms-migration", LOCATION, keys=[_key(rng), _key(rng)]
        )
        acct.containers["sqlmigration"] = Container("sqlmigration")
        acct.containers["app-logs"] = Container("app-logs")
        logs = StorageAccount(
            sub,
            f"stcontosologs{suffix}",
            "rg-network",
            LOCATION,
            kind="StorageV2",
            sku="Standard_GRS",
            keys=[_key(rng), _key(rng)],
        )
        logs.containers["insights-logs"] = Container("insights-logs")
        self.storage = [acct, logs]
        self.migration_account = acct
        self.migration_container = "sqlmigration"

    # ------------------------------------------------------------------ seeding: on-premises

    def _seed_source(self, rng: random.Random) -> None:
        use_2022 = self.seed % 2 == 0
        version, major = ("16.0.4135.4", 16) if use_2022 else ("15.0.4355.3", 15)
        address = "sqlprod01.contoso.local"
        info = ServerInfo(
            server=address,
            version=version,
            major_version=major,
            edition="Enterprise Edition: Core-based Licensing (64-bit)",
            product_level="RTM",
            host_platform="Windows",
            is_sysadmin=True,
            server_name="SQLPROD01",
        )
        src = SimulatedSqlServer(address, info, self.lock, self.now, on_backup=self._backup_written)
        src.aliases |= {"sqlprod01", "sqlprod01.contoso.local", "10.20.1.15"}
        self.servers[address] = src
        self.source = src
        compat = 160 if use_2022 else 150

        for i, name in enumerate(("master", "tempdb", "model", "msdb"), start=1):
            src.add(_sys_db(name, i))

        def add(name, **kw) -> SimDatabase:
            db = SimDatabase(name, src.next_database_id(), compatibility_level=compat, **kw)
            db.lsn = rng.randint(30, 45) * 1_000_000_000_000_000 + rng.randint(1, 999) * 100_000
            return src.add(db)

        sales = add(
            "SalesDB",
            data_size_mb=4_096,
            log_size_mb=1_024,
            log_rate_bytes=180_000,
            files=data_files("SalesDB", 4_096, 1_024),
        )
        tables = oltp_tables(rng)
        sales.set_tables(tables)
        ssis = add(
            "SSISDB",
            data_size_mb=768,
            log_size_mb=256,
            log_rate_bytes=2_000,
            files=data_files("SSISDB", 768, 256),
        )
        ssis.set_tables(
            [
                _t("catalog", "folders", 12),
                _t("catalog", "projects", 31),
                _t("internal", "operations", 48_201),
                _t("internal", "event_messages", 1_204_377),
            ]
        )
        hr = add(
            "HRPayroll",
            data_size_mb=1_536,
            log_size_mb=512,
            is_encrypted=True,
            log_rate_bytes=20_000,
            files=data_files("HRPayroll", 1_536, 512),
        )
        hr.set_tables(
            [
                _t("hr", "Employee", 4_812),
                _t("hr", "Payslip", 611_930),
                _t("hr", "Department", 41),
                _t("hr", "TaxBand", 9),
                _t("hr", "Timesheet", 2_093_118),
            ]
        )
        staging = add(
            "StagingETL",
            recovery_model="SIMPLE",
            data_size_mb=2_048,
            log_size_mb=4_096,
            files=data_files("StagingETL", 2_048, 4_096),
        )
        staging.set_tables(
            [
                _t("stg", "ImportBatch", 1_388),
                _t("stg", "RawOrders", 3_211_004),
                _t("stg", "RawCustomers", 402_112),
                _t("stg", "Rejects", 0),
            ]
        )
        inv = add(
            "InventoryHub",
            data_size_mb=61_440,
            log_size_mb=8_192,
            log_rate_bytes=60_000,
            files=data_files("InventoryHub", 61_440, 8_192),
        )
        inv._table_factory = many_tables_factory(self.seed, 10_000)
        inv.table_count = 10_000

        # backup history: full last night (and the night before), hourly logs since, to the
        # container
        acct = self.migration_account
        base = f"{acct.blob_endpoint}{self.migration_container}"
        now = self.now()
        for db in (sales, hr, inv):
            for nights_ago in (2, 1):
                self._seed_full(
                    src,
                    db,
                    f"{base}/{db.name}/{db.name}_full_{3 - nights_ago}.bak",
                    now - 10 * 3600 - (nights_ago - 1) * 86_400,
                )
            if db is sales:
                for h in (4, 3, 2):
                    self._seed_log(
                        src, db, f"{base}/{db.name}/{db.name}_log_{5 - h:03d}.trn", now - h * 1800
                    )
        self._seed_full(
            src, ssis, "D:\\MSSQL\\Backup\\SSISDB_full.bak", now - 30 * 3600, checksum=False
        )
        self._seed_full(
            src, staging, "D:\\MSSQL\\Backup\\StagingETL_full.bak", now - 26 * 3600, checksum=False
        )

        from .layouts import seed_layouts  # the awkward backup folders, each its own database

        seed_layouts(self, src, add)

        from .logins import seed_source_logins, source_users

        logins_rng = random.Random(f"{self.seed}-logins")  # its own stream, as above
        sids = seed_source_logins(src.login_store, logins_rng, src.info.server_name)
        for db_name, users in source_users(sids, logins_rng).items():
            found = src.get(db_name)
            if found is not None:
                found.users = users

        # SQL Database targets copy into databases the DBA created beforehand
        logical = next(t for t in self.targets if t.kind == TargetKind.SQL_DB)
        for n in ("SalesDB", "InventoryHub", "StagingETL", "HRPayroll"):
            db = SimDatabase(n, logical.engine.next_database_id(), data_size_mb=0, log_size_mb=0)
            db.set_tables([])
            logical.engine.add(db)

    def _seed_full(
        self, src: SimulatedSqlServer, db: SimDatabase, url: str, at: float, checksum: bool = True
    ) -> None:
        rec = db.record_full(
            url, at, duration=max(30.0, db.data_size_mb / 180.0), checksum=checksum
        )
        self._backup_written(src.address, rec, created=at)

    def _seed_log(self, src: SimulatedSqlServer, db: SimDatabase, url: str, at: float) -> None:
        rec = db.record_log(url, at, log_bytes=db.log_rate_bytes * 1800)
        self._backup_written(src.address, rec, created=at)

    # ------------------------------------------------------------------ blob side of backups

    def _backup_written(self, server: str, rec: BackupRecord, created: float | None = None) -> None:
        """A backup to ``https://<account>.blob.core.windows.net/<container>/<path>`` lands
        there."""
        url = rec.device
        prefix = "https://"
        if not url.lower().startswith(prefix) or ".blob.core.windows.net/" not in url.lower():
            return
        host, _, rest = url[len(prefix) :].partition("/")
        acct = self.storage_by_name(host.split(".")[0])
        if acct is None:
            return
        container_name, _, path = rest.partition("/")
        with self.lock:
            container = acct.containers.get(container_name)
            if container is None:
                container = acct.containers[container_name] = Container(container_name)
            container.blobs = [b for b in container.blobs if b.path.lower() != path.lower()]
            container.blobs.append(
                BlobFile(
                    path=path,
                    database=rec.database,
                    backup_type=rec.backup_type,
                    first_lsn=int(rec.first_lsn),
                    last_lsn=int(rec.last_lsn),
                    size=rec.size_bytes,
                    has_checksum=rec.has_checksum,
                    backup_start=rec.start.timestamp() if rec.start else self.now(),
                    backup_finish=rec.finish.timestamp() if rec.finish else self.now(),
                    created=self.now() if created is None else created,
                    server=server,
                    base_lsn=int(rec.database_backup_lsn or 0),
                )
            )

    def backup_url(self, database: str, file_name: str) -> str:
        container = f"{self.migration_account.blob_endpoint}{self.migration_container}"
        return f"{container}/{database}/{file_name}"


def seed_has_second_subscription(seed: int) -> bool:
    return seed % 3 != 2


def _providers() -> dict[str, Provider]:
    out = {}
    for ns, state, types in (
        (
            "Microsoft.DataMigration",
            "NotRegistered",
            (
                "sqlMigrationServices",
                "databaseMigrations",
                "locations",
                "locations/operationStatuses",
                "operations",
            ),
        ),
        (
            "Microsoft.Sql",
            "Registered",
            ("servers", "servers/databases", "managedInstances", "managedInstances/databases"),
        ),
        (
            "Microsoft.SqlVirtualMachine",
            "Registered",
            ("sqlVirtualMachines", "sqlVirtualMachineGroups"),
        ),
        ("Microsoft.Storage", "Registered", ("storageAccounts", "storageAccounts/blobServices")),
        ("Microsoft.Compute", "Registered", ("virtualMachines", "disks")),
        ("Microsoft.Network", "Registered", ("virtualNetworks", "privateEndpoints")),
        ("Microsoft.ManagedIdentity", "Registered", ("userAssignedIdentities",)),
    ):
        out[ns.lower()] = Provider(ns, state, resource_types=types)
    return out


def _sys_db(name: str, dbid: int) -> SimDatabase:
    db = SimDatabase(
        name,
        dbid,
        recovery_model="SIMPLE" if name in ("tempdb", "master") else "FULL",
        data_size_mb=64,
        log_size_mb=16,
    )
    db.set_tables([])
    return db


def _t(schema: str, name: str, rows: int, width: int = 180) -> SimTable:
    return SimTable(schema, name, rows, width)


def _key(rng: random.Random) -> str:
    return base64.b64encode(rng.getrandbits(512).to_bytes(64, "big")).decode("ascii")
