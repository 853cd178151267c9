"""An in-process emulation of Azure Resource Manager and DMS, plus simulated SQL Servers.

The real Azure SDK clients run unchanged against it::

    sb = Sandbox(seed=0)  # manual clock: time moves with sb.advance(seconds)
    client = DataMigrationManagementClient(
        sb.credential, sb.subscription_id, transport=sb.transport
    )

Public surface: ``transport``, ``credential``, ``subscription_id``, ``advance(seconds)``,
``take_log_backup(db)``, ``take_full_backup(db)``, ``break_backup_chain(db)``,
``repair_backup_chain(db)``, ``fail_migration(target_db)``,
``register_integration_runtime_node(service)``, ``inject(Fault...)``, ``requests``,
``sql_server(address)``, ``connect(address, port)`` (an unknown address is unreachable, as
with a real driver), ``source_address`` and ``Sandbox.realtime(seed, speed)``. Every change is
recorded in ``journal`` (``tui.sandbox.journal``); ``tui.sandbox.saved.open_world(seed, speed)``
is the sandbox whose world is kept under ``DMS_TUI_HOME`` between runs (``--sandbox``).

The seeded world (names fixed; GUIDs, DNS zone and storage suffix follow the seed):

* subscriptions "Contoso Production" (default) and, for most seeds, "Contoso Dev/Test";
  provider Microsoft.DataMigration NotRegistered (registration takes 30 simulated seconds; until
  then creating a DMS instance is refused: 409 MissingSubscriptionRegistration);
* resource groups rg-dms-migration, rg-sql-targets, rg-network (westeurope);
* managed instances sqlmi-contoso-prod (Ready, holds ReportingArchive) and sqlmi-contoso-dev
  (Creating), logical server sql-contoso-prod (SQL Database targets: the target databases
  SalesDB, InventoryHub, StagingETL, HRPayroll exist, empty), SQL VMs sqlvm-contoso-01 (Full)
  and sqlvm-legacy-02 (LightWeight), all in rg-sql-targets;
* storage account stcontosomig<suffix> (rg-dms-migration) with container "sqlmigration", one
  folder per database holding its backups (a few laid out the ways that break migrations:
  see ``layouts``), and "sqlbackups", a copy of SalesDB's folder under a name a managed
  instance refuses; its Blob service answers List Blobs (``blob_service``) through the same
  transport, for ``azure-storage-blob``;
* DMS instance dms-contoso-prod (rg-dms-migration), Succeeded, one integration-runtime node;
* on-premises server sqlprod01.contoso.local: SalesDB, SSISDB, HRPayroll (TDE), StagingETL
  (SIMPLE), InventoryHub (10,000 tables), CrmLegacy (nested folders), Ledger (holds
  LedgerArchive's full backup) and LedgerArchive (empty folder), Payments (appended log
  backups), Warehouse (a log backup missing from its folder), Marketing (no CHECKSUM),
  Intranet (files that are no backups in its folder) and the system databases; its network share
  \\\\sqlprod01\\SQLBackups is its D:\\MSSQL\\Backup folder.
"""

from .faults import Fault
from .sandbox import Sandbox

__all__ = ["Sandbox", "Fault"]
