"""Every benchmark, one after the other, each in a fresh interpreter; their figures in order.

Run:  python benchmarks/run_all.py [--quick] [--suite]

``--quick`` passes on to each script (small, fast versions); ``--suite`` also times the
test suite (minutes).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

SCRIPTS = (
    "startup.py",
    "monitor_refresh.py",
    "monitor_tables.py",
    "migration_read.py",
    "monitor_keys.py",
    "terminal_bytes.py",
    "monitor_requests.py",
    "suite_time.py",
)


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--suite", action="store_true", help="also time the test suite")

    args = h.parse_args(__doc__, argv, extra)
    here = Path(__file__).resolve().parent
    for script in SCRIPTS:
        flags = (
            (["--suite"] if args.suite else [])
            if script == "suite_time.py"
            else (["--quick"] if args.quick else [])
        )
        sys.stdout.flush()
        done = subprocess.run([sys.executable, str(here / script), *flags], cwd=h.ROOT)
        if done.returncode:
            print(f"  {script} stopped with exit code {done.returncode}")
        print()


if __name__ == "__main__":
    main()
