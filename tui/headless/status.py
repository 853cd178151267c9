"""``dms-tui status``: every migration of a project, read once, for cron, monitoring checks and
change tickets. Exit 0 all fine, 1 something needs attention, 2 Azure could not be reached."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from tui.errors import DmsTuiError
from tui.models import MigrationState

from .report import MigrationReport, plain, report_of
from .session import EXIT_ATTENTION, EXIT_OK, EXIT_UNREACHABLE, Session

if TYPE_CHECKING:
    from datetime import datetime

SCHEMA = 1  # the version of the --json document


@dataclass
class Status:
    project: str
    sandbox: bool
    checked_at: datetime
    migrations: list[MigrationReport] = field(default_factory=list)
    # migrations that could not be read: (id, message, code); gone ones need attention
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    unreachable: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return EXIT_UNREACHABLE
        if self.missing or any(r.needs_attention for r in self.migrations):
            return EXIT_ATTENTION
        return EXIT_OK

    @property
    def verdict(self) -> str:
        return {EXIT_OK: "ok", EXIT_ATTENTION: "attention", EXIT_UNREACHABLE: "unreachable"}[
            self.exit_code
        ]

    def to_json(self) -> dict[str, Any]:
        def errors(rows: list[tuple[str, str, str]]) -> list[dict[str, str]]:
            return [{"id": i, "message": plain(m), "code": c} for i, m, c in rows]

        return {
            "schema": SCHEMA,
            "project": self.project,
            "sandbox": self.sandbox,
            "checked_at": iso(self.checked_at),
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "migrations": [r.to_json() for r in self.migrations],
            "missing": errors(self.missing),
            "unreachable": errors(self.unreachable),
        }

    def lines(self) -> list[str]:
        head = f"{iso(self.checked_at)} project {self.project}: {self.verdict}"
        if not (self.migrations or self.missing or self.unreachable):
            return [head, "no migrations started yet"]
        out = [head]
        out += [r.line() for r in self.migrations]
        out += [plain(f"{i}: not found in Azure: {m} [{c}]") for i, m, c in self.missing]
        out += [plain(f"{i}: could not be read: {m} [{c}]") for i, m, c in self.unreachable]
        for r in self.migrations:
            # why one is not ready, for those still waiting for a cutover: a migration
            # already cut over (or failed, or cancelled) is not "not ready"
            waiting = MigrationState.parse(r.state).is_restoring_logs
            if waiting and r.ready_for_cutover is False and r.readiness and r.mode == "online":
                out.append(plain(f"{r.source_database} not ready: " + " ".join(r.readiness)))
        return out


def read_status(session: Session) -> Status:
    """Read every migration of the project (blocking)."""
    status = Status(session.project.name, session.sandbox is not None, session.now())
    for mid in session.project.migration_ids:
        try:
            detail = session.controller.get_migration(mid)
        except DmsTuiError as e:
            gone = e.status == 404 or "notfound" in (e.code or "").lower()
            (status.missing if gone else status.unreachable).append((mid, e.message, e.code))
            continue
        status.migrations.append(report_of(detail, session.now()))
    return status


def print_status(status: Status, out: TextIO, *, as_json: bool) -> None:
    if as_json:
        out.write(json.dumps(status.to_json(), indent=2) + "\n")
    else:
        out.write("\n".join(status.lines()) + "\n")


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
