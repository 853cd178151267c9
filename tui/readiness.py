"""A database's readiness for the migration the DBA actually chose.

Step 6 reads the findings for both modes at once (the rules are pure: no second trip to the
source), so choosing online or offline — on step 6 or later on step 7 — shows, and checks,
the findings of that mode: a SIMPLE-recovery database blocks an online migration and is fine
for an offline one. A TDE database stops being blocked once its certificate is on the target
(uploaded from this app to a managed instance, or restored on a SQL VM by the DBA): that is
recorded in the project, as the target's id, and turns the blocker into a note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tui.models import DatabaseInventory, Finding, Severity, TargetKind

TDE_RULE = "tde"


@dataclass(frozen=True)
class Readiness:
    """One database's findings for an online and for an offline migration."""

    online: tuple[Finding, ...]
    offline: tuple[Finding, ...]

    def for_mode(self, online: bool) -> tuple[Finding, ...]:
        return self.online if online else self.offline


def assess_both(source, db: DatabaseInventory, kind: TargetKind) -> Readiness:
    """``source.assess`` for both modes (SQL Database targets are offline only)."""
    offline = tuple(source.assess(db, kind, online=False))
    online = offline if kind is TargetKind.SQL_DB else tuple(source.assess(db, kind, online=True))
    return Readiness(online=online, offline=offline)


def certificate_note(finding: Finding, kind: TargetKind | None, target: str) -> Finding:
    """The TDE blocker once the certificate is on ``target``: a note saying so."""
    done = "restored on" if kind is TargetKind.SQL_VM else "uploaded to"
    return replace(
        finding,
        severity=Severity.INFO,
        message=f"{finding.database} is encrypted with TDE; its certificate was {done} "
        f"{target} from this project.",
        fix="If a restore still fails with 'Cannot find server certificate with thumbprint', "
        "the certificate on the target is not the one that protects this database: export "
        "and upload it again (t on step 6).",
    )


def findings(
    readiness: Readiness | None,
    *,
    online: bool,
    kind: TargetKind | None,
    target_id: str,
    certified_for: str = "",
) -> list[Finding]:
    """What applies to one database: the chosen mode's findings, with the TDE blocker
    cleared when ``certified_for`` (the target the certificate went to) is this target."""
    if readiness is None:
        return []
    out = list(readiness.for_mode(online))
    if certified_for and target_id and certified_for.lower() == target_id.lower():
        name = target_id.rstrip("/").rsplit("/", 1)[-1]
        out = [certificate_note(f, kind, name) if f.rule_id == TDE_RULE else f for f in out]
    order = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(out, key=lambda f: order[f.severity])


def blockers(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.severity is Severity.BLOCKER]
