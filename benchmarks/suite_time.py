"""Wall time against CPU time of the test suite, run with the README's command.

Runs ``python -m pytest`` (anything after ``--`` is added to it) from the project's root
and prints the wall time, the CPU time of pytest and everything it started (user + system),
their ratio, and pytest's own summary line. A suite that waits (fixed pauses, timeouts,
threads left polling) shows a wall time far above its CPU time; the CPU time also moves
less with the machine's load. The run takes minutes, so it happens only with ``--suite``.

Run:  python benchmarks/suite_time.py --suite [-- PYTEST ARGS]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

COMMAND = [sys.executable, "-m", "pytest"]


def timed(argv: list[str]) -> tuple[float, float, list[str]]:
    """Run ``argv`` from the project's root: wall seconds, CPU seconds of it and its
    children, and pytest's summary (its last line, then the tests that failed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=h.ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    summary = [lines[-1].strip("= ") if lines else f"exit {proc.returncode}"]
    summary += [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    return wall, cpu, summary


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    own = argv[: argv.index("--")] if "--" in argv else argv

    def options(p):
        p.add_argument(
            "--suite",
            action="store_true",
            help="run the whole suite (minutes); without it nothing is run",
        )

    args = h.parse_args(__doc__, own, options, quick=False)
    command = COMMAND + extra
    shown = " ".join(["python", *command[1:]])
    h.header(f"Test suite: {shown}")
    if not args.suite:
        h.note("not run: it takes minutes. Run it with  python benchmarks/suite_time.py --suite")
        return
    wall, cpu, summary = timed(command)
    h.figure("test suite, wall time", f"{wall:.1f} s")
    h.figure(
        "test suite, CPU time (pytest and its children)",
        f"{cpu:.1f} s (wall is {wall / cpu:.1f}x CPU)" if cpu else "0 s",
    )
    h.note(f"pytest: {summary[0]}")
    for line in summary[1:]:
        h.note(line)


if __name__ == "__main__":
    main()
