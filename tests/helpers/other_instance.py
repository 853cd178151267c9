"""Another process holding a project's lock, as a second dms-tui on the jump box would."""

from __future__ import annotations

import os
import subprocess
import sys


class OtherInstance:
    def __init__(self, name: str, home) -> None:
        code = (
            f"import sys; from tui.projects import lock_project; "
            f"l = lock_project({name!r}); print('held', flush=True); sys.stdin.read()"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ | {"DMS_TUI_HOME": str(home)},
        )
        assert self.proc.stdout.readline().strip() == "held"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def __enter__(self) -> OtherInstance:
        return self

    def __exit__(self, *exc) -> None:
        self.proc.kill()  # no clean-up code runs: the kernel drops the lock
        self.proc.wait(timeout=30)
