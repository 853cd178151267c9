import pytest

from tui.azure_ids import migration_id_for, parse_migration_id, parse_resource_id
from tui.models import TargetKind

MI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"


def test_round_trip_of_a_migration_id():
    mid = migration_id_for(MI, "Payroll")
    parsed = parse_migration_id(mid)
    assert parsed.kind == TargetKind.SQL_MI
    assert parsed.target_name == "mi1" and parsed.database == "Payroll"
    assert parsed.id == mid and parsed.target_id == MI


def test_each_target_kind_is_recognised():
    vm = (
        "/subscriptions/s/resourceGroups/r/providers"
        "/Microsoft.SqlVirtualMachine/sqlVirtualMachines/vm"
    )
    db = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Sql/servers/srv"
    assert parse_migration_id(migration_id_for(vm, "d")).kind == TargetKind.SQL_VM
    assert parse_migration_id(migration_id_for(db, "d")).kind == TargetKind.SQL_DB


@pytest.mark.parametrize(
    "bad", ["", "/subscriptions/s", MI, MI + "/providers/Microsoft.DataMigration/other/x"]
)
def test_bad_ids_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="Not a database migration id"):
        parse_migration_id(bad)


def test_resource_id_parts():
    rid = parse_resource_id(MI)
    assert (
        rid.subscription_id,
        rid.resource_group,
        rid.namespace,
        rid.resource_type,
        rid.name,
    ) == ("s1", "rg", "Microsoft.Sql", "managedInstances", "mi1")
