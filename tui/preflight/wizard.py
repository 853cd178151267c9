"""The preflight for the wizard's plan (summary step): every selected database's folder in
the chosen container, before anything is created. Blocking: call from a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.errors import DmsTuiError
from tui.models import TargetKind
from tui.preflight.run import FolderCheck, check_folders, read_inventory

if TYPE_CHECKING:
    from tui.wizard_state import WizardState


def check_plan(context: Any, state: WizardState) -> tuple[list[FolderCheck], str]:
    """The checks for ``state`` (a ``tui.wizard_state.WizardState``) and a note for what was
    not checked, and why ("" when everything was)."""
    s = state.settings
    kind = state.kind
    if kind is None or kind == TargetKind.SQL_DB:
        return [], ""
    if s.backup == "share":
        return [], (
            "Backup folders: backups on an SMB share are not checked from here (DMS reads "
            "them through the integration runtime)."
        )
    if s.backup != "blob" or not s.storage_account_id or not s.container:
        return [], ""
    try:
        inventory = read_inventory(context, state.source_params())
    except DmsTuiError as exc:
        return [], (
            "Backup folders not checked: the source's backup history could not be read. "
            + exc.full_text
        )
    try:
        checks = check_folders(
            context.controller,
            inventory,
            storage_account_id=s.storage_account_id,
            container=s.container,
            databases=list(state.project.databases),
            target=kind,
            online=state.online,
            last_backups={} if state.online else dict(s.last_backup),
        )
    except DmsTuiError as exc:
        return [], "Backup folders not checked: " + exc.full_text
    return checks, ""
