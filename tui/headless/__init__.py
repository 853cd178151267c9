"""Headless commands for runbooks, cron and change tickets, over the same Controller as the app
and importing no Textual:

    dms-tui status  --project NAME [--json] [--sandbox]
    dms-tui watch   --project NAME [--interval S] [--sandbox]
    dms-tui cutover --project NAME --database DB --tail-log FILE [--confirm DB] [--sandbox]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

COMMANDS = ("status", "watch", "cutover")
INTERRUPTED = 130  # as a shell reports a command ended by Ctrl+C


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dms-tui", description="dms-tui without a screen.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--project", metavar="NAME", required=True, help="the saved project")
        cmd.add_argument(
            "--sandbox",
            action="store_true",
            help="the sandbox's world, as the app left it",
        )

    status = sub.add_parser(
        "status",
        help="every migration's state, pending log backups, last restored file and readiness",
        description="Exit 0 all fine, 1 something needs attention (failed, blocked, "
        "stalled), 2 Azure could not be reached.",
    )
    common(status)
    status.add_argument("--json", action="store_true", help="one JSON document (see README)")
    watch = sub.add_parser("watch", help="one plain line per change, for tee into a log")
    common(watch)
    watch.add_argument(
        "--interval",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds between reads (default 30)",
    )
    cut = sub.add_parser(
        "cutover",
        help="cut one database over once its tail-log backup is restored",
        description="Sent at most once, through the same gate as the app; asks for the "
        "database name at the terminal unless --confirm repeats it.",
    )
    common(cut)
    cut.add_argument("--database", metavar="DB", required=True, help="the database to cut over")
    cut.add_argument(
        "--tail-log",
        metavar="FILE",
        required=True,
        help="the tail-log backup file DMS must have restored last",
    )
    cut.add_argument("--confirm", metavar="DB", help="repeat the database name (no prompt)")
    return p


def run(
    argv: list[str],
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
    wall: Callable[[], float] = time.time,
    make_clock: Callable[[], Any] | None = None,
    sleep: Callable[[float], None] | None = None,
    rounds: int | None = None,
) -> int:
    """Run one headless command; the exit code. The keyword arguments are for tests: the
    streams, the wall clock and sandbox clock, and how ``watch`` waits and when it stops."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return _run(args, out, err, stdin, wall, make_clock, sleep, rounds)
    except KeyboardInterrupt:  # Ctrl+C before watch's own loop, or during status or cutover
        if args.command == "watch":
            return 0
        err.write(
            f"dms-tui {args.command}: interrupted. "
            + (
                "Whether the cutover reached Azure is not known: run dms-tui status before "
                "anything else.\n"
                if args.command == "cutover"
                else "\n"
            )
        )
        return INTERRUPTED


def _run(args, out, err, stdin, wall, make_clock, sleep, rounds) -> int:
    from .session import EXIT_UNREACHABLE, CannotStart, open_session

    if args.command == "watch" and args.interval <= 0:
        err.write("dms-tui watch: --interval must be greater than 0\n")
        return EXIT_UNREACHABLE
    try:
        session = open_session(
            args.project,
            sandbox=args.sandbox,
            keep_world=args.command == "cutover",
            wall=wall,
            make_clock=make_clock,
        )
    except CannotStart as e:
        err.write(f"dms-tui {args.command}: {e}\n")
        return EXIT_UNREACHABLE
    if session.notice:
        err.write(f"{session.notice}\n")
    try:
        return _dispatch(args, session, out, err, stdin or sys.stdin, sleep, rounds)
    finally:
        session.controller.close()
        if session.sandbox is not None:
            session.sandbox.save()


def _dispatch(args, session, out, err, stdin, sleep, rounds) -> int:
    if args.command == "status":
        from .status import print_status, read_status

        status = read_status(session)
        print_status(status, out, as_json=args.json)
        return status.exit_code
    if args.command == "watch":
        from .watch import watch

        kw = {"sleep": sleep} if sleep is not None else {}
        return watch(session, out, interval=args.interval, rounds=rounds, **kw)
    from .cutover import cutover

    return cutover(
        session, args.database, args.tail_log, args.confirm, out=out, err=err, stdin=stdin
    )
