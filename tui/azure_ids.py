"""Parse and build Azure Resource Manager ids without the SDK."""

from __future__ import annotations

from dataclasses import dataclass

from tui.models import TargetKind

# The provider/type under which each kind of target nests its databaseMigrations.
TARGET_TYPES = {
    TargetKind.SQL_MI: ("Microsoft.Sql", "managedInstances"),
    TargetKind.SQL_VM: ("Microsoft.SqlVirtualMachine", "sqlVirtualMachines"),
    TargetKind.SQL_DB: ("Microsoft.Sql", "servers"),
}


@dataclass(frozen=True)
class ResourceId:
    subscription_id: str
    resource_group: str
    namespace: str
    resource_type: str
    name: str
    child_type: str = ""
    child_name: str = ""

    @property
    def id(self) -> str:
        base = (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/{self.namespace}/{self.resource_type}/{self.name}"
        )
        if self.child_type:
            base += f"/{self.child_type}/{self.child_name}"
        return base


def parse_resource_id(resource_id: str) -> ResourceId:
    """``/subscriptions/s/resourceGroups/rg/providers/NS/type/name[/child/name]``."""
    parts = [p for p in (resource_id or "").split("/") if p]
    try:
        if (
            parts[0].lower() != "subscriptions"
            or parts[2].lower() != "resourcegroups"
            or parts[4].lower() != "providers"
        ):
            raise ValueError
        child_type = parts[8] if len(parts) > 9 else ""
        child_name = parts[9] if len(parts) > 9 else ""
        return ResourceId(parts[1], parts[3], parts[5], parts[6], parts[7], child_type, child_name)
    except (IndexError, ValueError):
        raise ValueError(f"Not an Azure resource id: {resource_id!r}") from None


@dataclass(frozen=True)
class MigrationId:
    """The id of a ``databaseMigrations`` resource nested under its target."""

    subscription_id: str
    resource_group: str
    kind: TargetKind
    target_name: str
    database: str

    @property
    def target_id(self) -> str:
        ns, rtype = TARGET_TYPES[self.kind]
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/{ns}/{rtype}/{self.target_name}"
        )

    @property
    def id(self) -> str:
        return (
            f"{self.target_id}/providers/Microsoft.DataMigration/databaseMigrations/{self.database}"
        )


def kind_of_target(namespace: str, resource_type: str) -> TargetKind:
    for kind, (ns, rtype) in TARGET_TYPES.items():
        if ns.lower() == namespace.lower() and rtype.lower() == resource_type.lower():
            return kind
    raise ValueError(f"{namespace}/{resource_type} is not a migration target")


def parse_migration_id(migration_id: str) -> MigrationId:
    """Parse ``<target id>/providers/Microsoft.DataMigration/databaseMigrations/<db>``."""
    parts = [p for p in (migration_id or "").split("/") if p]
    try:
        if (
            parts[0].lower() != "subscriptions"
            or parts[2].lower() != "resourcegroups"
            or parts[8].lower() != "providers"
            or parts[9].lower() != "microsoft.datamigration"
            or parts[10].lower() != "databasemigrations"
            or len(parts) != 12
        ):
            raise ValueError
        kind = kind_of_target(parts[5], parts[6])
        return MigrationId(parts[1], parts[3], kind, parts[7], parts[11])
    except (IndexError, ValueError):
        raise ValueError(f"Not a database migration id: {migration_id!r}") from None


def migration_id_for(target_id: str, database: str) -> str:
    target = parse_resource_id(target_id)
    kind = kind_of_target(target.namespace, target.resource_type)
    return MigrationId(
        target.subscription_id, target.resource_group, kind, target.name, database
    ).id
