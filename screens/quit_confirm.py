"""Quitting while something is in flight: say what, say that Azure carries on, ask.

Ctrl+C and Ctrl+Q quit at once when nothing is in flight. When something is — a DMS
instance or migrations being created, a cutover being sent or followed (Completing), a
backup running on the source — the DBA is asked first, and told plainly that quitting stops
nothing in Azure and how to reattach. Escape (or n) stays; focus starts on Stay.
"""

from __future__ import annotations

import sys
from typing import Any

from widgets.confirm import ConfirmModal

# Workers whose running means a request or a backup is under way (by their group names).
WORKER_GROUPS = {
    "summary-create": "the migrations being created in Azure",
    "cutover-send": "a cutover request being sent to Azure",
    "cutover-backup": "the tail-log backup running on the source",
    "monitor-backup": "a log backup running on the source",
    "monitor-action": "a cancel, retry or delete request being sent to Azure",
}
BACKUPS = ("cutover-backup", "monitor-backup")
# Long Azure operations a wizard step is waiting for (``WizardState.waits`` keys).
WAITS = {
    "service": "the DMS instance being created (provisioning in Azure)",
    "provider": "the registration of the Microsoft.DataMigration provider",
}


def _monitors(app: Any) -> list[Any]:
    """The monitor screens open (none if the monitor module was never loaded)."""
    monitor = sys.modules.get("screens.monitor")
    if monitor is None:
        return []
    return [s for s in app.screen_stack if isinstance(s, monitor.MonitorScreen)]


def in_flight(app: Any) -> list[str]:
    """What would still be going on if the app quit now, in plain words (empty: nothing)."""
    from tui.models import MigrationState
    from tui.monitoring.buckets import Bucket

    found: list[str] = []
    groups = {w.group for w in app.workers if w.is_running}
    found += [text for group, text in WORKER_GROUPS.items() if group in groups]
    wizard = getattr(app, "wizard", None)
    if wizard is not None:
        found += [text for key, text in WAITS.items() if key in wizard.waits]
    for screen in _monitors(app):
        for row in screen.rows.values():
            s = row.summary
            if row.bucket is Bucket.COMPLETING:
                found.append(
                    f"the cutover of {s.target_database or s.name} ({s.status}), "
                    "followed by the monitor"
                )
            elif s.status == MigrationState.CREATING:
                found.append(f"the migration of {s.source_database or s.name} being created")
    return list(dict.fromkeys(found))


def project_name(app: Any) -> str:
    """The open project's name, from the wizard or the monitor ("" when none)."""
    wizard = getattr(app, "wizard", None)
    if wizard is not None and wizard.named and wizard.project.name:
        return wizard.project.name
    for screen in reversed(_monitors(app)):
        if getattr(screen.project, "name", ""):
            return screen.project.name
    return ""


def reattach(app: Any, migrations: bool) -> str:
    """The command that picks up again after quitting."""
    name = project_name(app)
    command = "dms-tui --sandbox" if app.context.is_sandbox else "dms-tui"
    if name and migrations:
        return f"Reattach with:\n  {command} --project {name} --monitor"
    if name:
        return f"Resume with:\n  {command} --project {name}"
    return f"Run {command} again: its start screen has the monitor and the saved projects."


def question(app: Any, busy: list[str]) -> str:
    groups = {w.group for w in app.workers if w.is_running}
    migrations = bool(_monitors(app)) or bool(
        groups & {"summary-create", "cutover-send", "cutover-backup"}
    )
    lines = ["Quit dms-tui? Still in flight:"]
    lines += [f"  • {text}" for text in busy]
    what = "the migration goes on" if migrations else "it carries on"
    lines += [
        "",
        f"Quitting stops nothing in Azure: {what} without this tool. " + reattach(app, migrations),
    ]
    if groups & set(BACKUPS):
        lines.append(
            "A backup this tool is running on the source is cut off when it quits; "
            "check its file before relying on it."
        )
    return "\n".join(lines)


class QuitConfirm(ConfirmModal):
    """The question; ``True`` = quit."""

    def __init__(self, app: Any, busy: list[str]) -> None:
        super().__init__(question(app, busy), yes="Quit", no="Stay")
