"""A wizard's answers without Textual: a project on a managed instance, blob backups, and
the source password typed in."""

from __future__ import annotations

from tui.projects import Project
from tui.wizard_state import WizardState

MI = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"
SVC = (
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataMigration/sqlMigrationServices/dms1"
)
ACCT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"


def state(**settings) -> WizardState:
    p = Project(
        name="p",
        service_id=SVC,
        target_kind="SqlMi",
        target_id=MI,
        source={"server": "sql01", "port": 1433, "authentication": "sql", "user": "sa"},
        databases=["Sales", "HR"],
        settings={
            "mode": "online",
            "backup": "blob",
            "storage_account_id": ACCT,
            "container": "sqlmigration",
            "blob_auth": "AccountKey",
            "target_names": {"HR": "HR_new"},
            **settings,
        },
    )
    s = WizardState(p)
    s.secrets.source_password = "pw-123"
    return s
