"""Shared helpers for the sandbox tests: SDK clients wired to a Sandbox, seeded ids, request
bodies."""

from __future__ import annotations

from azure.mgmt.datamigration import DataMigrationManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.resource.subscriptions import SubscriptionClient
from azure.mgmt.sql import SqlManagementClient
from azure.mgmt.sqlvirtualmachine import SqlVirtualMachineManagementClient
from azure.mgmt.storage import StorageManagementClient

from tui.arm_policy import ReadOnlyRetryPolicy, RefuseAutoRegistration
from tui.sandbox import Sandbox

DMS_RG = "rg-dms-migration"
TARGET_RG = "rg-sql-targets"
SERVICE = "dms-contoso-prod"
MI = "sqlmi-contoso-prod"
MI_NOT_READY = "sqlmi-contoso-dev"
VM = "sqlvm-contoso-01"
VM_LIGHTWEIGHT = "sqlvm-legacy-02"
SERVER = "sql-contoso-prod"
CONTAINER = "sqlmigration"


class Clients:
    def __init__(self, sb: Sandbox, **kw):
        cred, sub = sb.credential, sb.subscription_id
        # as in the app: a 409 MissingSubscriptionRegistration is not auto-registered (that polls
        # every 10 s of real time, for ever on a manual clock) but raised as the app's AzureError;
        # and reads are retried, changes never resent
        kw = {
            "transport": sb.transport,
            "per_retry_policies": [RefuseAutoRegistration()],
            "retry_policy": ReadOnlyRetryPolicy(),
            **kw,
        }
        self.sb = sb
        self.subs = SubscriptionClient(cred, **kw)
        self.resources = ResourceManagementClient(cred, sub, **kw)
        self.sql = SqlManagementClient(cred, sub, **kw)
        self.vm = SqlVirtualMachineManagementClient(cred, sub, **kw)
        self.storage = StorageManagementClient(cred, sub, **kw)
        self.dms = DataMigrationManagementClient(cred, sub, **kw)

    @property
    def sub(self) -> str:
        return self.sb.subscription_id

    def target_id(self, kind: str, name: str) -> str:
        ns = {
            "SqlMi": "Microsoft.Sql/managedInstances",
            "SqlVm": "Microsoft.SqlVirtualMachine/sqlVirtualMachines",
            "SqlDb": "Microsoft.Sql/servers",
        }[kind]
        return f"/subscriptions/{self.sub}/resourceGroups/{TARGET_RG}/providers/{ns}/{name}"

    def service_id(self, name: str = SERVICE) -> str:
        return (
            f"/subscriptions/{self.sub}/resourceGroups/{DMS_RG}/providers/"
            f"Microsoft.DataMigration/sqlMigrationServices/{name}"
        )

    def account(self):
        return next(
            a for a in self.storage.storage_accounts.list() if a.name.startswith("stcontosomig")
        )

    def account_key(self) -> str:
        acct = self.account()
        return self.storage.storage_accounts.list_keys(DMS_RG, acct.name).keys_property[0].value

    def blob_body(
        self,
        kind: str,
        target: str,
        source_db: str,
        *,
        online: bool = True,
        last_backup: str = "",
        folder: str | None = None,
    ) -> dict:
        acct = self.account()
        props = {
            "kind": kind,
            "scope": self.target_id(kind, target),
            "migrationService": self.service_id(),
            "sourceDatabaseName": source_db,
            "sourceSqlConnection": {
                "dataSource": self.sb.source_address,
                "authentication": "SqlAuthentication",
                "userName": "migrator",
                "password": "Secret#1",
                "encryptConnection": True,
                "trustServerCertificate": True,
            },
            "backupConfiguration": {
                "sourceLocation": {
                    "azureBlob": {
                        "storageAccountResourceId": acct.id,
                        "accountKey": self.account_key(),
                        "authType": "AccountKey",
                        "blobContainerName": f"{CONTAINER}/{folder or source_db}",
                    }
                }
            },
        }
        if not online:
            props["offlineConfiguration"] = {"offline": True, "lastBackupName": last_backup}
        return {"properties": props}

    def sqldb_body(self, source_db: str, tables: list[str] | None = None) -> dict:
        props = {
            "kind": "SqlDb",
            "scope": self.target_id("SqlDb", SERVER),
            "migrationService": self.service_id(),
            "sourceDatabaseName": source_db,
            "sourceSqlConnection": {
                "dataSource": self.sb.source_address,
                "authentication": "SqlAuthentication",
                "userName": "migrator",
                "password": "Secret#1",
                "encryptConnection": True,
                "trustServerCertificate": True,
            },
            "targetSqlConnection": {
                "dataSource": f"{SERVER}.database.windows.net",
                "authentication": "SqlAuthentication",
                "userName": "sqladmin",
                "password": "Secret#2",
                "encryptConnection": True,
                "trustServerCertificate": False,
            },
        }
        if tables:
            props["tableList"] = tables
        return {"properties": props}

    def mi_fqdn(self) -> str:
        return self.sql.managed_instances.get(TARGET_RG, MI).fully_qualified_domain_name


def register_dms_provider(sb: Sandbox, c: Clients) -> None:
    """Step 1 of the wizard: register Microsoft.DataMigration and wait until it is Registered."""
    c.resources.providers.register("Microsoft.DataMigration")
    sb.advance(31)
