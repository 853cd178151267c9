"""Migration details and validation reports as files for the change ticket (JSON and CSV).

No secrets are in a ``MigrationDetail`` or a ``ValidationReport``, so everything is written.
Files go under ``<DMS_TUI_HOME>/exports`` (0700) unless a folder is given; every file is 0600.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.models import MigrationDetail, TargetKind
from tui.private_files import open_private, private_dir


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def detail_dict(detail: MigrationDetail) -> dict[str, Any]:
    data = _plain(detail)
    data.pop("backup_files", None)  # the same files are under backup_sets
    return data


def report_dict(report: Any) -> dict[str, Any]:
    data = _plain(report)
    data["mismatches"] = report.mismatches
    data["source_total"] = report.source_total
    data["target_total"] = report.target_total
    data["compared"] = report.compared
    for row, r in zip(data["rows"], report.rows, strict=True):
        row["matches"] = r.matches
    return data


def export_dir(folder: Path | None = None) -> Path:
    if folder is not None:
        return Path(folder)
    from tui.projects import home

    return home() / "exports"


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "migration"


def export_migration(
    detail: MigrationDetail,
    report: Any = None,
    *,
    folder: Path | None = None,
    stamp: str = "",
    notes: list[str] | None = None,
    restore_times: dict[str, tuple[datetime | None, datetime | None]] | None = None,
) -> list[Path]:
    """Write ``<db>-<stamp>.json`` (everything), ``<db>-<stamp>-backups.csv`` or
    ``-tables.csv``, and ``-validation.csv`` when a report is given. Returns the paths.

    ``restore_times`` is ``{file name (lower case): (seen Restoring, seen Restored)}`` as
    the monitor observed them this session (DMS reports no restore time per file)."""
    out = private_dir(export_dir(folder), tighten=folder is None)
    base = _safe(detail.target_database or detail.name) + (f"-{stamp}" if stamp else "")
    doc: dict[str, Any] = {"migration": detail_dict(detail)}
    if report is not None:
        doc["validation"] = report_dict(report)
    times = {k.lower(): v for k, v in (restore_times or {}).items()}
    if times:
        doc["restores_seen_this_session"] = {
            f.name: {
                "seen_restoring_at": _iso(times.get(f.name.lower(), (None, None))[0]),
                "seen_restored_at": _iso(times.get(f.name.lower(), (None, None))[1]),
            }
            for f in detail.backup_files
        }
    if notes:
        doc["notes"] = list(notes)
    paths = [out / f"{base}.json"]
    with open_private(paths[0], encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=2, sort_keys=False) + "\n")
    if detail.kind == TargetKind.SQL_DB:
        paths.append(_write_tables(detail, out / f"{base}-tables.csv"))
    else:
        paths.append(_write_backups(detail, out / f"{base}-backups.csv", times))
    if report is not None:
        paths.append(write_validation_csv(report, out / f"{base}-validation.csv"))
    return paths


def _write_backups(
    detail: MigrationDetail, path: Path, times: dict[str, tuple[datetime | None, datetime | None]]
) -> Path:
    with open_private(path, newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "backup_set_id",
                "file",
                "type",
                "status",
                "size_bytes",
                "first_lsn",
                "last_lsn",
                "backup_started",
                "backup_finished",
                "seen_restoring_at",
                "seen_restored_at",
                "set_restored",
            ]
        )
        for s in detail.backup_sets:
            for f in s.files:
                restoring, restored = times.get(f.name.lower(), (None, None))
                w.writerow(
                    [
                        s.backup_set_id,
                        f.name,
                        f.backup_type or s.backup_type,
                        f.status,
                        f.total_size if f.total_size is not None else "",
                        f.first_lsn,
                        f.last_lsn,
                        _iso(f.backup_started),
                        _iso(f.backup_finished),
                        _iso(restoring),
                        _iso(restored),
                        s.is_restored,
                    ]
                )
    return path


def _write_tables(detail: MigrationDetail, path: Path) -> Path:
    with open_private(path, newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "table",
                "status",
                "rows_read",
                "rows_copied",
                "percent",
                "throughput_kb_s",
                "copy_duration_s",
            ]
        )
        for t in detail.tables:
            w.writerow(
                [
                    t.name,
                    t.status,
                    t.rows_read,
                    t.rows_copied,
                    f"{t.percent:.1f}",
                    f"{t.throughput:.1f}",
                    t.copy_duration,
                ]
            )
    return path


def write_validation_csv(report: Any, path: Path) -> Path:
    with open_private(path, newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["table", "source_rows", "target_rows", "difference", "matches"])
        for r in report.rows:
            diff = (
                ""
                if r.source_rows is None or r.target_rows is None
                else r.target_rows - r.source_rows
            )
            w.writerow(
                [
                    r.table,
                    "" if r.source_rows is None else r.source_rows,
                    "" if r.target_rows is None else r.target_rows,
                    diff,
                    r.matches if report.compared else "",
                ]
            )
    return path


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def wave_dict(wave: Any) -> dict[str, Any]:
    """A cutover wave's timeline and outcome (``tui.wave.Wave``), for the change ticket."""
    from tui.wave import fmt_duration

    return {
        "wave": wave.name,
        "traffic_stopped_at": _iso(wave.stopped_at),
        "wave_downtime": fmt_duration(wave.wave_downtime),
        "wave_downtime_seconds": _seconds(wave.wave_downtime),
        "databases": [
            {
                "database": m.database,
                "target_database": m.detail.target_database,
                "migration_id": m.detail.id,
                "tail_log": m.tail_file,
                "tail_log_origin": m.tail.origin if m.tail else "",
                "tail_log_last_lsn": m.tail_lsn,
                "restored_seen_at": _iso(m.restored_at),
                "cutover_sent_at": _iso(m.sent_at),
                "succeeded_at": _iso(m.succeeded_at),
                "outcome": m.outcome or "not sent",
                "reason": m.reason,
                "status": str(m.detail.status),
                "downtime": fmt_duration(wave.downtime(m.key)),
                "downtime_seconds": _seconds(wave.downtime(m.key)),
                "validation": m.validation,
            }
            for m in wave.members.values()
        ],
        "timeline": [_plain(e) for e in wave.events],
    }


def wave_markdown(wave: Any) -> str:
    from tui.wave import fmt_duration

    lines = [
        f"# Cutover wave {wave.name}",
        "",
        f"- Traffic stopped: {_iso(wave.stopped_at) or '—'}",
        f"- Downtime of the wave: {fmt_duration(wave.wave_downtime)}",
        "",
        "| Database | Tail-log | LSN | Outcome | Downtime | Row counts |",
        "|---|---|---|---|---|---|",
    ]
    for m in wave.members.values():
        outcome = m.outcome or "not sent"
        if m.succeeded_at is not None:
            outcome = "Succeeded"
        lines.append(
            f"| {_cell(m.database)} | {_cell(m.tail_file) or '—'} | {m.tail_lsn or '—'} | "
            f"{_cell(outcome)} | {fmt_duration(wave.downtime(m.key))} | "
            f"{_cell(m.validation) or '—'} |"
        )
    lines += ["", "## Timeline", "", "| Time | Database | Event | File | LSN | Detail |"]
    lines.append("|---|---|---|---|---|---|")
    for e in wave.events:
        lines.append(
            f"| {_iso(e.at)} | {_cell(e.database) or '(wave)'} | {e.what} | "
            f"{_cell(e.file) or ''} | {e.lsn} | {_cell(e.text)} |"
        )
    return "\n".join(lines) + "\n"


def export_wave(wave: Any, *, folder: Path | None = None, stamp: str = "") -> list[Path]:
    """Write ``wave-<name>-<stamp>.md`` and ``.json`` (0600). Returns the paths."""
    out = private_dir(export_dir(folder), tighten=folder is None)
    base = f"wave-{_safe(wave.name)}" + (f"-{stamp}" if stamp else "")
    md, js = out / f"{base}.md", out / f"{base}.json"
    with open_private(md, encoding="utf-8") as fh:
        fh.write(wave_markdown(wave))
    with open_private(js, encoding="utf-8") as fh:
        fh.write(json.dumps(wave_dict(wave), indent=2) + "\n")
    return [md, js]


def _cell(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _seconds(delta: Any) -> float | None:
    return None if delta is None else delta.total_seconds()
