"""The PUT body the Controller sends has the shape of Microsoft's own request examples."""

import pytest

from tests.helpers.examples import load_example
from tui.migration_body import build
from tui.models import (
    BlobBackupSource,
    MigrationSpec,
    ShareBackupSource,
    SourceConnection,
    TargetKind,
    TargetSqlConnection,
)

SUB = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/testrg/providers"
SERVICE = f"{SUB}/Microsoft.DataMigration/sqlMigrationServices/testagent"
SOURCE = SourceConnection(
    data_source="aaa",
    authentication="WindowsAuthentication",
    user_name="bbb",
    password="placeholder",
    encrypt_connection=True,
    trust_server_certificate=True,
)


def example(name):
    return load_example(name)["parameters"]["parameters"]


def keys(value, prefix=""):
    """Every key path in a JSON value (lists merged), for shape comparisons."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(prefix + k)
            out |= keys(v, prefix + k + ".")
    elif isinstance(value, list):
        for v in value:
            out |= keys(v, prefix)
    return out


def test_sqlmi_share_offline_matches_the_max_example():
    spec = MigrationSpec(
        kind=TargetKind.SQL_MI,
        target_id=f"{SUB}/Microsoft.Sql/managedInstances/instance",
        target_database="db1",
        source_database="aaa",
        migration_service_id=SERVICE,
        source=SOURCE,
        online=False,
        last_backup_name="last_backup_file_name",
        share=ShareBackupSource(
            path="C:\\aaa\\bbb\\ccc",
            user_name="name",
            password="placeholder",
            storage_account_id="account.database.windows.net",
            account_key="abcd",
        ),
    )
    sent = build(spec).serialize()
    expected = example("SqlMiCreateOrUpdateDatabaseMigrationMAX")
    assert keys(sent) == keys(expected)
    assert sent == expected


def test_sqldb_matches_the_max_example():
    spec = MigrationSpec(
        kind=TargetKind.SQL_DB,
        target_id=f"{SUB}/Microsoft.Sql/servers/sqldbinstance",
        target_database="db1",
        source_database="aaa",
        migration_service_id=SERVICE,
        source=SOURCE,
        online=False,
        target_sql=TargetSqlConnection(
            data_source="sqldbinstance",
            user_name="bbb",
            password="placeholder",
            trust_server_certificate=True,
        ),
        tables=("[Schema1].[TableName1]", "[Schema2].[TableName2]"),
    )
    sent = build(spec).serialize()
    assert sent == example("SqlDbCreateOrUpdateDatabaseMigrationMAX")


def test_blob_online_has_no_offline_configuration_and_keeps_the_key_out_of_repr():
    spec = MigrationSpec(
        kind=TargetKind.SQL_VM,
        target_id=f"{SUB}/Microsoft.SqlVirtualMachine/sqlVirtualMachines/vm",
        target_database="db1",
        source_database="aaa",
        migration_service_id=SERVICE,
        source=SOURCE,
        online=True,
        blob=BlobBackupSource(
            storage_account_id=f"{SUB}/Microsoft.Storage/storageAccounts/sa",
            container="backups",
            folder="aaa",
            account_key="SECRETKEY",
        ),
    )
    props = build(spec).serialize()["properties"]
    assert "offlineConfiguration" not in props
    assert props["backupConfiguration"]["sourceLocation"]["azureBlob"] == {
        "authType": "AccountKey",
        "storageAccountResourceId": spec.blob.storage_account_id,
        "accountKey": "SECRETKEY",
        "blobContainerName": "backups",
    }
    assert "SECRETKEY" not in repr(spec) and "placeholder" not in repr(spec)


def test_offline_blob_last_backup_is_inside_the_database_folder():
    spec = MigrationSpec(
        kind=TargetKind.SQL_MI,
        target_id=f"{SUB}/Microsoft.Sql/managedInstances/mi",
        target_database="db1",
        source_database="aaa",
        migration_service_id=SERVICE,
        source=SOURCE,
        online=False,
        last_backup_name="aaa_log_9.trn",
        blob=BlobBackupSource(
            storage_account_id="sa", container="c", folder="aaa", auth_type="ManagedIdentity"
        ),
    )
    props = build(spec).serialize()["properties"]
    assert props["offlineConfiguration"] == {"offline": True, "lastBackupName": "aaa/aaa_log_9.trn"}
    assert "accountKey" not in props["backupConfiguration"]["sourceLocation"]["azureBlob"]


def test_missing_backup_location_is_refused():
    spec = MigrationSpec(
        kind=TargetKind.SQL_MI,
        target_id="x",
        target_database="d",
        source_database="d",
        migration_service_id=SERVICE,
        source=SOURCE,
    )
    with pytest.raises(ValueError, match="backup location"):
        build(spec)
