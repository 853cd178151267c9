"""``dms-tui cutover``: one database's cutover from a runbook, through the same gate as the app
(``Controller.cutover``: a fresh read must show the tail-log restored, nothing pending,
restoring or blocked) and at most one request. It is never sent without a confirmation: the
database name typed at a terminal prompt, or repeated with ``--confirm``.

Exit 0 sent and accepted; 1 refused (not confirmed, not ready, no such migration); 2 an error
reaching Azure — after which Azure is read again and what it holds is printed."""

from __future__ import annotations

from typing import TextIO

from tui.controller import CutoverNotReady
from tui.errors import DmsTuiError
from tui.models import MigrationDetail

from .report import plain
from .session import EXIT_ATTENTION, EXIT_OK, EXIT_UNREACHABLE, Session

EXIT_REFUSED = EXIT_ATTENTION


def cutover(
    session: Session,
    database: str,
    tail_log: str,
    confirm: str | None,
    *,
    out: TextIO,
    err: TextIO,
    stdin: TextIO,
) -> int:
    def say(text: str, to: TextIO = out) -> None:
        to.write(plain(text) + "\n")
        to.flush()

    try:
        detail = _migration_for(session, database)
    except DmsTuiError as e:
        say(f"Could not read the project's migrations: {e.full_text}", err)
        return EXIT_UNREACHABLE
    if detail is None:
        say(
            f"Refused: no migration of project {session.project.name!r} is for a database "
            f"named {database!r}. Nothing was sent.",
            err,
        )
        return EXIT_REFUSED
    where = f"{detail.source_database} -> {detail.target_name}/{detail.target_database}"
    try:
        detail, reasons = session.controller.cutover_blockers(detail.id, tail_log)
    except DmsTuiError as e:
        say(f"Could not read {where}: {e.full_text}", err)
        return EXIT_UNREACHABLE
    if reasons:
        _refused(say, where, reasons, err)
        return EXIT_REFUSED
    if not _confirmed(database, confirm, stdin, say, err):
        return EXIT_REFUSED
    try:
        after = session.controller.cutover(detail.id, tail_log_file=tail_log)
    except CutoverNotReady as e:  # the gate read again right before sending
        _refused(say, where, e.reasons, err)
        return EXIT_REFUSED
    except DmsTuiError as e:
        say(f"The cutover of {where} did not go as asked: {e.full_text}", err)
        say(_what_azure_holds(session, detail.id), err)
        return EXIT_UNREACHABLE
    say(f"Cutover sent for {where}: Azure reports {after.status.value}.")
    return EXIT_OK


def _migration_for(session: Session, database: str) -> MigrationDetail | None:
    """The project's migration whose target (or else source) database is ``database``; an
    active one before a finished one."""
    wanted = database.strip().lower()
    found: list[MigrationDetail] = []
    for mid in session.project.migration_ids:
        d = session.controller.get_migration(mid)
        if wanted in ((d.target_database or d.name).lower(), d.source_database.lower()):
            found.append(d)
    active = [d for d in found if d.status.is_active]
    return next(iter(active or found), None)


def _refused(say, where: str, reasons: list[str], err: TextIO) -> None:
    say(f"Refused: {where} is not ready for cutover. Nothing was sent.", err)
    for reason in reasons:
        say(f"  - {reason}", err)


def _confirmed(database: str, confirm: str | None, stdin: TextIO, say, err: TextIO) -> bool:
    if confirm is not None:
        if confirm == database:
            return True
        say(
            f"Refused: --confirm {confirm!r} does not repeat the database name {database!r}. "
            "Nothing was sent.",
            err,
        )
        return False
    if not stdin.isatty():
        say(
            "Refused: there is no terminal to confirm on. Repeat the database name with "
            f"--confirm {database} to cut over from a script. Nothing was sent.",
            err,
        )
        return False
    err.write(f"Cut over {database}? Type the database name ({database}) to confirm: ")
    err.flush()
    try:
        typed = stdin.readline().strip()
    except KeyboardInterrupt:
        err.write("\n")
        say("Refused: interrupted at the prompt. Nothing was sent.", err)
        return False
    if typed == database:
        return True
    say(f"Refused: {typed!r} is not {database!r}. Nothing was sent.", err)
    return False


def _what_azure_holds(session: Session, migration_id: str) -> str:
    try:
        d = session.controller.get_migration(migration_id)
    except DmsTuiError as e:
        return f"Azure could not be read again either ({e}): check the migration in the portal."
    return f"Read again: Azure holds {d.source_database} as {d.status.value}."
