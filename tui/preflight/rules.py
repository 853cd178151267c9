"""Backup-folder rules: what DMS will find in a database's folder, against the source's
backup history (msdb).

``assess_folder(facts)`` runs every rule in ``RULES`` in order and returns the findings,
blockers first, as the readiness rules do (``tui.source.rules``: same ``Finding`` type, same
severities, stable rule ids that screens, exports and tests key on). A rule sees only plain
facts — the folder as the Blob service listed it and the backup history as the source
reported it — so it never calls Azure or SQL Server.

Facts behind the rules (DMS tutorial, Log Replay Service article, DMS known issues): one flat
folder per database; DMS reads only the files directly in it; the latest full backup, its
differential and every log backup after them must be there with no LSN gap ("restore plan is
broken"); backups of another database in the folder fail the migration
(MultipleDatabasesInBackupLocation); one backup per file (appended backups are refused);
CHECKSUM recommended; a managed instance refuses a container or folder whose name contains
the word "backup"; offline, DMS completes after the last backup file named, so it must be
there and be the last of the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from tui.models import BackupRecord, Finding, Severity, TargetKind
from tui.preflight.chain import Chain, backup_chain, base_name, file_key, files_of, lsn
from tui.preflight.listing import FolderListing

BLOCKER, WARNING, INFO = Severity.BLOCKER, Severity.WARNING, Severity.INFO
MI, VM = TargetKind.SQL_MI, TargetKind.SQL_VM
BACKUP_EXTENSIONS = (".bak", ".trn", ".dif", ".diff", ".log", ".full", ".bkp", ".bck")
_ORDER = {BLOCKER: 0, WARNING: 1, INFO: 2}


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class FolderFacts:
    """What a rule looks at."""

    database: str
    target: TargetKind
    online: bool
    listing: FolderListing
    history: tuple[BackupRecord, ...] = ()  # this database's backups, current fork
    others: dict[str, tuple[BackupRecord, ...]] = field(default_factory=dict)
    last_backup: str = ""  # offline: the file DMS completes after

    @cached_property
    def names(self) -> set[str]:
        return {b.name.lower() for b in self.listing.blobs}

    @property
    def where(self) -> str:
        return self.listing.where

    def present(self, rec: BackupRecord) -> bool:
        """Every file of ``rec`` is in the folder, and none was overwritten since by a later
        backup to the same file name WITH INIT (position 1 again)."""
        names = self.names
        files = files_of(rec)
        return bool(files) and all(
            file_key(f) in names and not self.overwritten(rec, file_key(f)) for f in files
        )

    def overwritten(self, rec: BackupRecord, key: str) -> bool:
        return self._last_init.get(key, 0) > lsn(rec.last_lsn)

    @cached_property
    def _last_init(self) -> dict[str, int]:
        """Per file: the last LSN of the newest backup that started it afresh (WITH INIT)."""
        out: dict[str, int] = {}
        for other in self.history:
            if other.position <= 1:
                for d in files_of(other):
                    out[file_key(d)] = max(out.get(file_key(d), 0), lsn(other.last_lsn))
        return out

    @cached_property
    def chain(self) -> Chain:
        return backup_chain(self.history, self.present)

    def own_files(self) -> set[str]:
        return {file_key(f) for rec in self.history for f in files_of(rec)}


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Hit:
    severity: Severity
    message: str
    fix: str = ""


Check = Callable[[FolderFacts], "Hit | Iterable[Hit] | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    check: Check
    targets: frozenset[TargetKind] = frozenset({MI, VM})
    online: bool | None = None  # None: both modes; True/False: that mode only
    final: bool = False  # when it fires, the rules after it have nothing to look at


RULES: list[Rule] = []


def rule(
    rule_id: str,
    *,
    targets: Iterable[TargetKind] = (MI, VM),
    online: bool | None = None,
    final: bool = False,
):
    def register(check: Check) -> Check:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES.append(Rule(rule_id, check, frozenset(targets), online, final))
        return check

    return register


def assess_folder(facts: FolderFacts) -> list[Finding]:
    """The folder's findings, blockers first."""
    found: list[Finding] = []
    for r in RULES:
        if facts.target not in r.targets or (r.online is not None and r.online != facts.online):
            continue
        result = r.check(facts)
        hits = [result] if isinstance(result, Hit) else list(result or ())
        found += [Finding(r.id, h.severity, facts.database, h.message, h.fix) for h in hits]
        if hits and r.final:
            break
    return sorted(found, key=lambda f: _ORDER[f.severity])


def is_clear(findings: Iterable[Finding]) -> bool:
    return not any(f.severity is BLOCKER for f in findings)


# --------------------------------------------------------------------------- helpers


def _listed(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _describe(rec: BackupRecord) -> str:
    when = f", finished {rec.finish:%Y-%m-%d %H:%M}" if rec.finish else ""
    return f"{base_name(files_of(rec)[0]) if files_of(rec) else '?'} ({rec.backup_type}{when})"


def _dir_of(device: str) -> str:
    d = device.replace("\\", "/").rsplit("/", 1)[0] if "/" in device.replace("\\", "/") else ""
    return d.replace("/", "\\") if "\\" in device else d


def _is_backup_name(name: str) -> bool:
    return name.lower().endswith(BACKUP_EXTENSIONS)


# --------------------------------------------------------------------------- the rules


@rule("folder-name-backup", targets={MI})
def folder_name_backup(f: FolderFacts):
    hits = []
    for what, name in (("container", f.listing.container), ("folder", f.listing.folder)):
        if "backup" in name.lower():
            hits.append(
                Hit(
                    BLOCKER,
                    f'The {what} name "{name}" contains the word "backup": a managed '
                    "instance refuses a backup location named so.",
                    f'Use a {what} whose name does not contain "backup" (e.g. '
                    f'"{name.lower().replace("backups", "migration").replace("backup", "mig")}") '
                    "and put the backups there.",
                )
            )
    return hits


@rule("folder-empty", final=True)
def folder_empty(f: FolderFacts):
    if f.listing.blobs or f.listing.subfolders:
        return None
    full = f.chain.full
    where_full = (
        f" The latest full backup went to {files_of(full)[0]}." if full and files_of(full) else ""
    )
    return Hit(
        BLOCKER,
        f"{f.where} is empty: DMS finds no backup to restore and waits.{where_full}",
        f"Back up {f.database} to URL into {f.listing.folder}/ (a full backup, then log "
        "backups), or copy its backups there.",
    )


@rule("folder-nested")
def folder_nested(f: FolderFacts):
    if not f.listing.subfolders:
        return None
    subs = [s.rstrip("/") + "/" for s in f.listing.subfolders]
    return Hit(
        BLOCKER,
        f"{f.where} holds folders ({_listed(subs)}): DMS reads only the files directly in "
        f"{f.listing.folder}/ and ignores the rest"
        + ("; nothing is directly in it." if not f.listing.blobs else "."),
        f"Move the backup files up into {f.listing.folder}/ itself, flat, and point the "
        "backup jobs there (one folder per database, no subfolders).",
    )


@rule("folder-other-database")
def folder_other_database(f: FolderFacts):
    own = f.own_files()
    belongs: dict[str, list[str]] = {}
    for other, history in f.others.items():
        if other.lower() == f.database.lower():
            continue
        theirs = {file_key(d) for rec in history for d in files_of(rec)}
        for b in f.listing.blobs:
            key = b.name.lower()
            if key in theirs and key not in own:
                belongs.setdefault(other, []).append(b.name)
    hits = [
        Hit(
            BLOCKER,
            f"{f.where} holds {_listed(names)}, a backup of {other} (by the source's backup "
            f"history): DMS fails a folder with backups of two databases "
            "(MultipleDatabasesInBackupLocation).",
            f"Move {'it' if len(names) == 1 else 'them'} into {other}'s own folder; keep only "
            f"{f.database}'s backups in {f.listing.folder}/.",
        )
        for other, names in sorted(belongs.items())
    ]
    claimed = {n.lower() for names in belongs.values() for n in names}
    own_prefix = f.database.lower()
    for other in sorted(f.others, key=len, reverse=True):
        if other.lower() == own_prefix or other.lower() in {o.lower() for o in belongs}:
            continue
        taken = own | claimed
        guessed = [
            b.name
            for b in f.listing.blobs
            if _is_backup_name(b.name)
            and b.name.lower() not in taken
            and _named_after(b.name, other)
            and not _named_after(b.name, f.database)
        ]
        if guessed:
            claimed |= {n.lower() for n in guessed}
            hits.append(
                Hit(
                    WARNING,
                    f"{f.where} holds {_listed(guessed)}, named like a backup of {other} but "
                    "not in the source's recent backup history: if it is one, DMS fails "
                    "the migration (MultipleDatabasesInBackupLocation).",
                    f"Move it out of {f.listing.folder}/ unless it is a backup of {f.database}.",
                )
            )
    return hits


def _named_after(file_name: str, database: str) -> bool:
    low, db = file_name.lower(), database.lower()
    return low.startswith(db) and len(low) > len(db) and low[len(db)] in "_-. "


@rule("folder-chain")
def folder_chain(f: FolderFacts):
    if not f.listing.blobs:
        return None  # nothing directly in the folder: said by folder-empty / folder-nested
    chain = f.chain
    if chain.full is None:
        return Hit(
            BLOCKER,
            f"The source's backup history has no full backup of {f.database} (current "
            "recovery fork): there is nothing for DMS to start the restore from.",
            f"Take a full backup of {f.database} into {f.listing.folder}/, then log backups.",
        )
    hits = []
    full_missing = chain.full in chain.missing
    if full_missing:
        hits.append(
            Hit(
                BLOCKER,
                f"The latest full backup, {_describe(chain.full)}, is not"
                + (" wholly" if len(files_of(chain.full)) > 1 else "")
                + f" in {f.where}: DMS restores from the latest full backup.",
                f"Copy it (every stripe) from "
                f"{_dir_of(files_of(chain.full)[0]) or 'where it was taken'} into "
                f"{f.listing.folder}/, or take a new full backup there.",
            )
        )
    logs = [b for b in chain.missing if b is not chain.full]
    overwritten = [b for b in logs if file_key(files_of(b)[0]) in f.names]
    if logs:
        bridge = ""
        if chain.diff is not None and chain.diff not in chain.steps:
            bridge = (
                f" Or copy the differential backup {_describe(chain.diff)} into the folder: "
                "it bridges the missing logs taken before it."
            )
        hits.append(
            Hit(
                BLOCKER,
                f"The backup chain in {f.where} is broken: "
                f"{_listed([_describe(b) for b in logs], 3)} "
                f"{'is' if len(logs) == 1 else 'are'} in the source's history but not in the "
                "folder"
                + (
                    f" ({_listed([base_name(files_of(b)[0]) for b in overwritten], 3)} was "
                    "overwritten by a later backup to the same file name WITH INIT)"
                    if overwritten
                    else ""
                )
                + ". DMS stops at the gap (restore plan is broken) and the migration waits.",
                f"Copy {'it' if len(logs) == 1 else 'them'} into {f.listing.folder}/ (from "
                f"{_dir_of(files_of(logs[0])[0]) or 'where the backup was taken'}).{bridge}",
            )
        )
    if chain.history_gap is not None:
        start, end = chain.history_gap
        hits.append(
            Hit(
                BLOCKER,
                f"{f.database}'s log chain is broken in the source's own history: no log "
                f"backup covers LSN {start} to {end} (a log backup is missing from msdb, or "
                "the recovery model went through SIMPLE).",
                f"Take a new full backup of {f.database} into {f.listing.folder}/; the chain "
                "starts again there.",
            )
        )
    return hits


@rule("folder-appended")
def folder_appended(f: FolderFacts):
    backups: dict[str, int] = {}  # file -> how many backups it holds (at least)
    for rec in f.history:
        for dev in files_of(rec):
            key = file_key(dev)
            backups[key] = max(backups.get(key, 1), rec.position)
    listed = {b.name.lower(): b.name for b in f.listing.blobs}
    shown = [
        f"{listed[k]} ({n} backups)" for k, n in sorted(backups.items()) if n > 1 and k in listed
    ]
    if not shown:
        return None
    return Hit(
        BLOCKER,
        f"{_listed(shown)} in {f.where} "
        f"{'holds' if len(shown) == 1 else 'hold'} several backups appended to one file "
        "(WITH NOINIT): DMS restores one backup per file.",
        "Back up WITH INIT (or FORMAT) to a new file each time, one file per backup; then "
        f"take a new full backup and log backups into {f.listing.folder}/ and remove the "
        "appended file.",
    )


@rule("folder-checksum")
def folder_checksum(f: FolderFacts):
    bare = [b for b in f.chain.steps if not b.has_checksum]
    if not bare:
        return None
    return Hit(
        WARNING,
        f"{_listed([_describe(b) for b in bare], 3)} in the chain DMS restores "
        f"{'was' if len(bare) == 1 else 'were'} taken without CHECKSUM: a damaged page shows "
        "only during the restore, on the target.",
        "Add WITH CHECKSUM (and COMPRESSION) to the backup jobs; the next full backup carries it.",
    )


@rule("folder-stray-file")
def folder_stray_file(f: FolderFacts):
    own = f.own_files()
    stray = [
        b.name for b in f.listing.blobs if not _is_backup_name(b.name) and b.name.lower() not in own
    ]
    if not stray:
        return None
    return Hit(
        WARNING,
        f"{f.where} holds {_listed(stray)}, which "
        f"{'is not a backup file' if len(stray) == 1 else 'are not backup files'}: DMS "
        "reads every file in the folder as a backup.",
        f"Move {'it' if len(stray) == 1 else 'them'} out of {f.listing.folder}/; keep only "
        "backups there.",
    )


@rule("folder-last-backup", online=False)
def folder_last_backup(f: FolderFacts):
    name, shown = file_key(f.last_backup), base_name(f.last_backup)
    if not name:
        return Hit(
            BLOCKER,
            f"No last backup file is named for {f.database}: an offline migration completes "
            "after restoring it.",
            "Type the file name of the last backup on step 7.",
        )
    steps = f.chain.steps
    last = steps[-1] if steps else None
    if name not in f.names:
        suggestion = f" The last of the chain is {base_name(files_of(last)[0])}." if last else ""
        return Hit(
            BLOCKER,
            f"The last backup file {shown} is not in {f.where}: DMS would wait for it and "
            f"never complete.{suggestion}",
            "Copy that file into the folder, or type the name of a file that is there "
            "(the last of the chain) on step 7.",
        )
    if last is None or name in {file_key(d) for d in files_of(last)}:
        return None
    later = []
    for rec in reversed(steps):
        if name in {file_key(d) for d in files_of(rec)}:
            break
        later.append(base_name(files_of(rec)[0]))
    later.reverse()
    return Hit(
        BLOCKER,
        f"The last backup file {shown} is not the last of the chain: "
        f"{_listed(later)} {'was' if len(later) == 1 else 'were'} taken after it. DMS would "
        "stop at it, and what those hold would be missing on the target.",
        f"Type {later[-1] if later else shown} as the last backup file on step 7.",
    )
