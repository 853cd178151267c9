"""Azure's limits that bite a migration, in one place, each with where Microsoft states it.

The figures are shown before they bite: the managed instance's user-database count when the
databases are picked (step 6), a self-hosted integration runtime's concurrent migrations, a
SQL VM's batch, and the days left before a migration's 30-day limit on the monitor.

Sources (Microsoft Learn):

* Managed instance user databases — "Overview of Azure SQL Managed Instance resource limits":
  https://learn.microsoft.com/azure/azure-sql/managed-instance/resource-limits
  (100 on General Purpose and Business Critical; 500 on next-gen General Purpose).
* 30 days, then the target database is deleted (36-hour grace for planned maintenance) —
  "Migrate databases from SQL Server by using Log Replay Service", Limitations (DMS online
  migrations to a managed instance run on the same technology):
  https://learn.microsoft.com/azure/azure-sql/managed-instance/log-replay-service-migrate
* 10 concurrent migrations a self-hosted integration runtime node, at most 4 nodes — DMS
  "Migrate databases with Azure SQL Migration extension", Limitations:
  https://learn.microsoft.com/azure/dms/migration-using-azure-data-studio
* SQL Server on Azure VM: at most 100 databases at once, then about 30 minutes' wait —
  DMS "Known issues, limitations and troubleshooting":
  https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MI_USER_DATABASES = 100  # General Purpose and Business Critical
MI_USER_DATABASES_NEXT_GEN = 500  # next-gen General Purpose (isGeneralPurposeV2)
MIGRATION_DAYS = 30
WARN_FROM_DAY = 25
GRACE_HOURS = 36
MIGRATIONS_PER_RUNTIME_NODE = 10
RUNTIME_NODES_MAX = 4
SQL_VM_BATCH = 100
SQL_VM_BATCH_WAIT_MINUTES = 30

_TIERS = {
    "generalpurpose": "General Purpose",
    "businesscritical": "Business Critical",
}


@dataclass(frozen=True)
class InstanceCapacity:
    """A managed instance's tier and the user databases it holds (as ARM reports them)."""

    name: str
    tier: str = ""  # the sku's tier: GeneralPurpose, BusinessCritical
    next_gen: bool = False  # isGeneralPurposeV2
    databases: tuple[str, ...] = ()

    @property
    def tier_label(self) -> str:
        label = _TIERS.get(self.tier.lower(), self.tier or "tier unknown")
        return f"next-gen {label}" if self.next_gen else label

    @property
    def limit(self) -> int:
        return mi_database_limit(self.tier, self.next_gen)

    @property
    def count(self) -> int:
        return len(self.databases)


def mi_database_limit(tier: str, next_gen: bool = False) -> int:
    """User databases a managed instance may hold."""
    if next_gen and tier.lower() == "generalpurpose":
        return MI_USER_DATABASES_NEXT_GEN
    return MI_USER_DATABASES


def capacity_text(cap: InstanceCapacity, adding: int) -> str:
    """``sqlmi-x (General Purpose): 1 of 100 user databases; +3 selected → 4``."""
    text = f"{cap.name} ({cap.tier_label}): {cap.count} of {cap.limit} user databases"
    if adding:
        text += f"; +{adding} selected → {cap.count + adding}"
    return text


def capacity_problem(cap: InstanceCapacity, adding: int) -> str:
    """Why ``adding`` more databases do not fit on the managed instance ("" when they do)."""
    total = cap.count + adding
    if total <= cap.limit:
        return ""
    room = max(0, cap.limit - cap.count)
    return (
        f"{cap.name} ({cap.tier_label}) holds {cap.count} user databases and its limit "
        f"is {cap.limit}: {adding} more make {total}. Fix: select at most {room}, or pick "
        "another managed instance (next-gen General Purpose holds up to "
        f"{MI_USER_DATABASES_NEXT_GEN})."
    )


def runtime_problem(nodes: int, migrations: int) -> str:
    """Why a self-hosted integration runtime can't run ``migrations`` at once ("" when fine)."""
    room = max(1, min(nodes, RUNTIME_NODES_MAX)) * MIGRATIONS_PER_RUNTIME_NODE
    if migrations <= room:
        return ""
    return (
        f"{migrations} migrations read backups from a share through a self-hosted "
        f"integration runtime of {nodes} node(s): at most {MIGRATIONS_PER_RUNTIME_NODE} run "
        f"at once on each node ({room} in all); the others wait. Fix: start them in "
        f"batches of {room}, or register more nodes (up to {RUNTIME_NODES_MAX})."
    )


def runtime_capacity_text(nodes: int) -> str:
    """How many migrations a self-hosted integration runtime of ``nodes`` runs at once."""
    if nodes <= 0:
        return ""
    room = min(nodes, RUNTIME_NODES_MAX) * MIGRATIONS_PER_RUNTIME_NODE
    return (
        f"  at most {MIGRATIONS_PER_RUNTIME_NODE} migrations from a share run at once on each "
        f"node: {room} with {'this node' if nodes == 1 else f'these {nodes} nodes'} "
        f"(up to {RUNTIME_NODES_MAX} nodes)."
    )


def vm_batch_note(migrations: int) -> str:
    """What happens when more than a batch of databases go to one SQL VM ("" when fine)."""
    if migrations <= SQL_VM_BATCH:
        return ""
    return (
        f"{migrations} databases to one SQL Server on Azure VM: at most {SQL_VM_BATCH} migrate "
        f"at once, then about {SQL_VM_BATCH_WAIT_MINUTES} minutes' wait before the next batch."
    )


@dataclass(frozen=True)
class Countdown:
    """Where a migration stands against the 30-day limit."""

    days_running: int  # whole days since it started
    days_left: int  # whole days before the limit (0 on the last day and after)
    warning: bool  # from day 25
    over: bool  # the 30 days are up

    @property
    def text(self) -> str:
        if self.over:
            return (
                f"{MIGRATION_DAYS}-day limit reached: Azure deletes the target database "
                f"(after at most {GRACE_HOURS} hours' grace) — cut over now or start again"
            )
        left = "less than a day" if self.days_left == 0 else _days(self.days_left)
        text = f"{left} left of {MIGRATION_DAYS}"
        if self.warning:
            text = f"day {self.days_running}: {text} — cut over before the limit"
        return text


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def countdown(started_on: datetime | None, now: datetime) -> Countdown | None:
    """The 30-day countdown of a migration that started at ``started_on`` (None: unknown)."""
    if started_on is None:
        return None
    if (started_on.tzinfo is None) != (now.tzinfo is None):
        started_on = started_on.replace(tzinfo=now.tzinfo)
    age = max(now - started_on, timedelta(0))
    left = timedelta(days=MIGRATION_DAYS) - age
    over = left <= timedelta(0)
    return Countdown(
        days_running=age.days,
        days_left=0 if over else left.days,
        warning=age.days >= WARN_FROM_DAY,
        over=over,
    )
