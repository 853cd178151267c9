"""Migration failures and restore-blocking reasons, explained in plain words with the fix.

DMS reports these as free text (``migrationFailureError``, ``restoreBlockingReason``,
``completeRestoreErrorMessage``); we match on well-known phrases and keep the original.
"""

from __future__ import annotations

import re

from tui.models import MigrationError

# (pattern over code + message, hint). First match wins.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"thumbprint|certificate", re.I),
        "The database is encrypted with TDE: move its certificate (with the private key) to the "
        "target first, then retry the migration.",
    ),
    (
        re.compile(r"lsn|too (recent|early)|gap|backup chain|broken chain", re.I),
        "The backup chain is broken: a log backup is missing or was taken outside this folder. "
        "Take a new full backup (or the missing log backup) into the same folder.",
    ),
    (
        re.compile(r"checksum", re.I),
        "Take backups WITH CHECKSUM so corruption is caught before restore.",
    ),
    (
        re.compile(r"multiple databases|more than one database|different database", re.I),
        "Each database's backups must sit in their own folder; move the other database's "
        "backups out.",
    ),
    (
        re.compile(r"login failed|18456|authentication", re.I),
        "DMS could not sign in to SQL Server: check the user name and password given in the "
        "source settings.",
    ),
    (
        re.compile(r"network|unreachable|timeout|timed out|connection", re.I),
        "DMS could not reach the server: check the integration runtime's network path to SQL "
        "Server and the storage account, then retry.",
    ),
    (
        re.compile(r"already exists|exists on the target|conflict", re.I),
        "A database with that name already exists on the target: pick another target name or "
        "drop the existing database first.",
    ),
    (
        re.compile(r"access|permission|authoriz|forbidden|sas|key", re.I),
        "DMS cannot read the backups: check the storage account key / managed identity access "
        "to the container.",
    ),
    (
        re.compile(r"no backup|not find.*backup|full backup", re.I),
        "No usable full backup was found: take a full backup WITH CHECKSUM into the database's "
        "folder.",
    ),
]


def hint_for(text: str) -> str:
    for pattern, hint in _RULES:
        if pattern.search(text or ""):
            return hint
    return "See the message from Azure; fix the cause, then retry or start a new migration."


def explain(code: str, message: str) -> MigrationError:
    return MigrationError(code=code, message=message, hint=hint_for(f"{code} {message}"))
