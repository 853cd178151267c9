"""The ``dms-tui`` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from tui import __version__

if TYPE_CHECKING:
    from tui.app import DmsTuiApp
    from tui.sandbox import Sandbox


HEADLESS_COMMANDS = ("status", "watch", "cutover")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dms-tui",
        description="Migrate SQL Server databases to Azure SQL Managed Instance, SQL Server on "
        "Azure VMs and Azure SQL Database with Azure Database Migration Service: "
        "a guided setup, a live monitor and a guarded cutover.",
        epilog="Without a screen, for runbooks and cron: dms-tui status|watch|cutover "
        "--project NAME [--sandbox] (dms-tui status --help for each).",
    )
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the built-in simulated Azure and SQL Server "
        "(no account needed; nothing leaves this machine)",
    )
    p.add_argument(
        "--sandbox-speed",
        type=float,
        default=10.0,
        metavar="X",
        help="how many times faster than real time the sandbox runs (default 10)",
    )
    p.add_argument(
        "--sandbox-reset",
        action="store_true",
        help="start the sandbox afresh: forget the simulated world it kept from earlier runs",
    )
    p.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--project", metavar="NAME", help="open a saved migration project")
    p.add_argument(
        "--monitor",
        action="store_true",
        help="open the project's migrations in the monitor (with --project)",
    )
    p.add_argument("--subscription", metavar="ID", help="Azure subscription id to use")
    p.add_argument("--version", action="version", version=f"dms-tui {__version__}")
    return p


def build_app(
    argv: list[str] | None = None, *, wall: Callable[[], float] = time.time
) -> DmsTuiApp | int:
    """The app the command line asks for, or an exit code when the arguments are refused.

    Nothing of Azure is imported here: with ``--sandbox`` the app opens the sandbox's world
    once its first screen is drawn (``AppContext.sandbox_factory``). ``wall`` measures how
    long dms-tui was closed, for the sandbox's saved world (tests)."""
    args = build_parser().parse_args(argv)
    if args.monitor and not args.project:
        print("dms-tui: --monitor needs --project NAME", file=sys.stderr)
        return 2
    if args.project:
        from tui.projects import validate_name

        error = validate_name(args.project)
        if error:
            print(f"dms-tui: --project: {error}", file=sys.stderr)
            return 2
    if args.sandbox_speed <= 0:
        print("dms-tui: --sandbox-speed must be greater than 0", file=sys.stderr)
        return 2
    if args.sandbox_reset and not args.sandbox:
        print("dms-tui: --sandbox-reset goes with --sandbox", file=sys.stderr)
        return 2
    from tui.app import DmsTuiApp
    from tui.context import AppContext

    if args.sandbox:
        context = AppContext(
            sandbox_factory=partial(
                saved_sandbox, args.seed, args.sandbox_speed, args.sandbox_reset, wall
            )
        )
    else:
        context = AppContext()

    return DmsTuiApp(
        context, project=args.project, monitor=args.monitor, subscription_id=args.subscription
    )


def saved_sandbox(
    seed: int, speed: float, reset: bool, wall: Callable[[], float]
) -> tuple[Sandbox, str]:
    """The sandbox with its saved world, and what became of that world (``open_world``)."""
    from tui.sandbox.saved import open_world

    return open_world(seed, speed, reset=reset, wall=wall)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HEADLESS_COMMANDS:  # status, watch, cutover: no screen, no Textual
        from tui.headless import run

        return run(argv)
    app = build_app(argv)
    if isinstance(app, int):
        return app
    app.run()
    app.context.keep_sandbox()  # once more after the last change, whatever ended the app
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
