"""Step 7's settings as saved on disk: what the autosave and kill-and-resume tests compare."""

from __future__ import annotations

from tui.projects import load_project

LAST_FILE = "SalesDB_log_tail_0207.trn"


def step7_settings(ids) -> dict:
    """Online, the migration storage account, no container and no last backup file yet."""
    return {
        "mode": "online",
        "backup": "blob",
        "storage_account_id": ids["account"],
        "blob_auth": "AccountKey",
        "target_names": {"SalesDB": "SalesDB"},
    }


def saved_settings() -> dict:
    try:
        return load_project("payroll").settings.to_table()
    except Exception:  # noqa: BLE001 - mid-write on another thread is not expected, but be safe
        return {}


def step7_is_saved() -> bool:
    s = saved_settings()
    return (
        s.get("mode") == "offline"
        and s.get("container") == "sqlmigration"
        and s.get("last_backup", {}).get("SalesDB") == LAST_FILE
    )
