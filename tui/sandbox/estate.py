"""Changes to the seeded estate a scenario asks for: more application databases shaped like
SalesDB (an application rarely lives in one database), and a managed instance that already
holds many user databases (its limit by tier is what the wizard checks)."""

from __future__ import annotations

import random

from tui.models import TargetKind

from .sqlserver import SimDatabase, data_files, oltp_tables
from .world import World


def add_application_databases(world: World, names: tuple[str, ...]) -> list[SimDatabase]:
    """On the on-premises server: databases like SalesDB — FULL recovery, an OLTP schema, a
    workload writing log, last night's full backup and three log backups in their own folder
    of the migration container."""
    src = world.source
    base = f"{world.migration_account.blob_endpoint}{world.migration_container}"
    now = world.now()
    added = []
    with world.lock:
        for name in names:
            if src.get(name) is not None:
                raise ValueError(f"{name} is already on {src.address}")
            rng = random.Random(f"{world.seed}-{name}")
            db = SimDatabase(
                name,
                src.next_database_id(),
                compatibility_level=160 if world.seed % 2 == 0 else 150,
                data_size_mb=2_048,
                log_size_mb=512,
                log_rate_bytes=120_000,
                files=data_files(name, 2_048, 512),
            )
            db.lsn = rng.randint(30, 45) * 1_000_000_000_000_000 + rng.randint(1, 999) * 100_000
            db.set_tables(oltp_tables(rng, 0.5))
            src.add(db)
            world._seed_full(src, db, f"{base}/{name}/{name}_full_1.bak", now - 10 * 3600)
            for n, half_hours in enumerate((4, 3, 2), start=1):
                world._seed_log(
                    src, db, f"{base}/{name}/{name}_log_{n:03d}.trn", now - half_hours * 1800
                )
            added.append(db)
    return added


def fill_managed_instance(world: World, name: str, user_databases: int) -> int:
    """Add empty user databases to the managed instance ``name`` until it holds
    ``user_databases``; how many it holds now."""
    target = next(t for t in world.targets if t.kind == TargetKind.SQL_MI and t.name == name)
    engine = target.engine
    with world.lock:
        held = [n for n in engine.names() if not _is_system(engine.get(n))]
        i = 0
        while len(held) < user_databases:
            i += 1
            db_name = f"App{i:03d}"
            if engine.get(db_name) is not None:
                continue
            db = SimDatabase(db_name, engine.next_database_id(), data_size_mb=64, log_size_mb=16)
            db.set_tables([])
            engine.add(db)
            held.append(db_name)
    return len(held)


def _is_system(db: SimDatabase | None) -> bool:
    return db is None or db.is_system
