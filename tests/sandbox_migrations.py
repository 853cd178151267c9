"""Start migrations in the sandbox through the Controller, the way the wizard does."""

from __future__ import annotations

from tui.models import (BlobBackupSource, MigrationSpec, SourceConnection, TargetKind,
                        TargetSqlConnection)


def start(controller, sandbox, kind: TargetKind, database: str, *, online: bool = True,
          last_backup: str = "", target_database: str = ""):
    target = next(t for t in controller.list_targets(kind) if t.usable)
    service = controller.list_migration_services()[0]
    spec_kw = {}
    if kind != TargetKind.SQL_DB:
        acct = next(a for a in controller.list_storage_accounts()
                    if "sqlmigration" in controller.list_containers(a.id))
        spec_kw["blob"] = BlobBackupSource(acct.id, "sqlmigration",
                                           # the sandbox matches lastBackupName on the bare
                                           # file name, not "<folder>/<file>"
                                           folder="" if last_backup else database,
                                           account_key=controller.storage_account_key(acct.id))
    else:
        spec_kw["target_sql"] = TargetSqlConnection(target.fqdn, "sqladmin", "secret")
    spec = MigrationSpec(kind=kind, target_id=target.id,
                         target_database=target_database or database,
                         source_database=database, migration_service_id=service.id,
                         source=SourceConnection(sandbox.source_address, user_name="sa",
                                                 password="secret"),
                         online=online, last_backup_name=last_backup, **spec_kw)
    return controller.create_migration(spec)


def cutover_posts(sandbox) -> int:
    return sum(1 for r in sandbox.requests
               if r.method.upper() == "POST" and r.path.lower().endswith("/cutover"))


def advance_until(controller, sandbox, migration_id, predicate, *, step=15, limit=400):
    d = controller.get_migration(migration_id)
    for _ in range(limit):
        if predicate(d):
            return d
        sandbox.advance(step)
        d = controller.get_migration(migration_id)
    raise AssertionError(f"never reached: last status {d.status} {d.migration_state}")
