"""Turning the result sets of ``tsql`` queries into ``tui.models`` dataclasses.

Everything here works on plain DB-API cursors (``description`` + ``fetchall`` +
``nextset``), so it is the same for pyodbc and for the tests' fake connection. Values come
as SQL Server hands them to pyodbc: bit -> bool, numeric -> Decimal, datetime -> datetime,
NULL -> None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from tui.models import (
    BackupRecord,
    DatabaseFile,
    DatabaseInventory,
    ServerInfo,
    TableRowCount,
)

BACKUP_TYPES = {"D": "full", "I": "diff", "L": "log"}


def rows_of(cursor: Any) -> list[dict[str, Any]]:
    """The current result set as dicts keyed by lower-case column name."""
    if cursor.description is None:
        return []
    names = [str(col[0]).lower() for col in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def result_sets(cursor: Any, count: int) -> list[list[dict[str, Any]]]:
    """Read ``count`` result sets, skipping the row-count-only results in between, then
    drain whatever follows so that errors raised late in the batch surface here."""
    sets: list[list[dict[str, Any]]] = []
    while True:
        if cursor.description is not None and len(sets) < count:
            sets.append(rows_of(cursor))
        if not cursor.nextset():
            break
    while len(sets) < count:
        sets.append([])
    return sets


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _int(value: Any) -> int:
    return 0 if value is None else int(value)


def _float(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _lsn(value: Any) -> str:
    """numeric(25,0) LSN -> its decimal digits ('' for NULL)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)))
    if isinstance(value, float):
        return str(int(value))
    return str(value).strip()


def major_version(product_version: str) -> int:
    try:
        return int(product_version.split(".", 1)[0])
    except (ValueError, AttributeError):
        return 0


def server_info(row: dict[str, Any], address: str) -> ServerInfo:
    version = _text(row.get("product_version"))
    return ServerInfo(
        server=address,
        version=version,
        major_version=major_version(version),
        edition=_text(row.get("edition")),
        product_level=_text(row.get("product_level")),
        host_platform=_text(row.get("host_platform")) or "Windows",
        is_sysadmin=bool(row.get("is_sysadmin")),
        server_name=_text(row.get("server_name")) or _text(row.get("machine_name")),
        login=_text(row.get("login_name")),
        engine_edition=_int(row.get("engine_edition")),
    )


def backup_records(rows: Iterable[dict[str, Any]]) -> dict[str, list[BackupRecord]]:
    """BACKUP_HISTORY rows (one per stripe) -> backups per database name, oldest first."""
    by_set: dict[int, BackupRecord] = {}
    order: list[int] = []
    for row in rows:
        set_id = _int(row["backup_set_id"])
        device = _text(row.get("physical_device_name"))
        if set_id in by_set:
            rec = by_set[set_id]
            by_set[set_id] = replace(rec, devices=rec.devices + ((device,) if device else ()))
            continue
        size = _int(row.get("backup_size"))
        compressed_size = row.get("compressed_backup_size")
        by_set[set_id] = BackupRecord(
            database=_text(row["database_name"]),
            backup_type=BACKUP_TYPES.get(_text(row["type"]).upper(), _text(row["type"])),
            start=row.get("backup_start_date"),
            finish=row.get("backup_finish_date"),
            first_lsn=_lsn(row.get("first_lsn")),
            last_lsn=_lsn(row.get("last_lsn")),
            database_backup_lsn=_lsn(row.get("database_backup_lsn")),
            has_checksum=bool(row.get("has_backup_checksums")),
            is_copy_only=bool(row.get("is_copy_only")),
            device=device,
            size_bytes=size,
            compressed=compressed_size is not None and _int(compressed_size) < size,
            checkpoint_lsn=_lsn(row.get("checkpoint_lsn")),
            differential_base_lsn=_lsn(row.get("differential_base_lsn")),
            position=_int(row.get("position")) or 1,
            family_count=_int(row.get("media_family_count")) or 1,
            devices=(device,) if device else (),
        )
        order.append(set_id)
    out: dict[str, list[BackupRecord]] = defaultdict(list)
    for set_id in order:
        rec = by_set[set_id]
        out[rec.database.lower()].append(rec)
    for recs in out.values():
        recs.sort(key=lambda r: (r.finish is None, r.finish or 0))
    return out


def _latest(records: Sequence[BackupRecord], kind: str) -> BackupRecord | None:
    found = [r for r in records if r.backup_type == kind]
    return found[-1] if found else None


def databases(
    db_rows: Sequence[dict[str, Any]],
    file_rows: Sequence[dict[str, Any]],
    filegroup_rows: Sequence[dict[str, Any]],
    table_rows: Sequence[dict[str, Any]],
    backups: dict[str, list[BackupRecord]],
) -> list[DatabaseInventory]:
    """The DATABASES result sets and the backup history -> one inventory per database."""
    groups: dict[tuple[int, int], tuple[str, str]] = {
        (_int(r["database_id"]), _int(r["data_space_id"])): (
            _text(r["filegroup_name"]),
            _text(r["filegroup_type"]).upper(),
        )
        for r in filegroup_rows
    }
    files: dict[int, list[DatabaseFile]] = defaultdict(list)
    for r in file_rows:
        db_id = _int(r["database_id"])
        fg_name, fg_type = groups.get((db_id, _int(r.get("data_space_id"))), ("", ""))
        files[db_id].append(
            DatabaseFile(
                logical_name=_text(r["logical_name"]),
                file_type=_text(r["type_desc"]).upper(),
                size_mb=_float(r.get("size_mb")),
                filegroup=fg_name,
                filegroup_type=fg_type,
                is_memory_optimized=fg_type == "FX",
                physical_name=_text(r.get("physical_name")),
            )
        )
    tables = {_int(r["database_id"]): r for r in table_rows}
    out: list[DatabaseInventory] = []
    for r in db_rows:
        db_id = _int(r["database_id"])
        name = _text(r["name"])
        history = backups.get(name.lower(), [])
        trow = tables.get(db_id, {})
        out.append(
            DatabaseInventory(
                name=name,
                database_id=db_id,
                state=_text(r.get("state_desc")).upper() or "ONLINE",
                recovery_model=_text(r.get("recovery_model_desc")).upper(),
                compatibility_level=_int(r.get("compatibility_level")),
                data_size_mb=_float(r.get("data_size_mb")),
                log_size_mb=_float(r.get("log_size_mb")),
                is_encrypted=bool(r.get("is_encrypted")),
                containment=_text(r.get("containment_desc")).upper() or "NONE",
                is_read_only=bool(r.get("is_read_only")),
                user_access=_text(r.get("user_access_desc")).upper() or "MULTI_USER",
                files=tuple(files.get(db_id, ())),
                has_filetable=_int(trow.get("filetable_count")) > 0,
                last_full=_latest(history, "full"),
                last_diff=_latest(history, "diff"),
                last_log=_latest(history, "log"),
                backups=tuple(history),
                table_count=_int(trow.get("table_count")),
            )
        )
    return out


def row_counts(rows: Iterable[dict[str, Any]], *, exact: bool = False) -> list[TableRowCount]:
    return [
        TableRowCount(
            schema=_text(r["schema_name"]),
            table=_text(r["table_name"]),
            rows=_int(r["row_count"]),
            exact=exact,
        )
        for r in rows
    ]
