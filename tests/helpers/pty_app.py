"""Run ``dms-tui`` as a real process on a pseudo-terminal: type keys, read what it printed,
and kill it the way a dropped SSH session does (SIGKILL: no handler, no exit code runs)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]"
    r"|\x1b[=>78]"
)
KEYS = {
    "enter": b"\r",
    "tab": b"\t",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "ctrl+a": b"\x01",
    "ctrl+k": b"\x0b",
    "ctrl+n": b"\x0e",
}


class PtyApp:
    def __init__(self, args: list[str], env: dict[str, str], size=(80, 24)) -> None:
        master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=os.environ | {"TERM": "xterm-256color"} | env,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.raw = b""

    # ---------------------------------------------------------------- reading

    def pump(self, timeout: float = 0.05) -> None:
        """Read what the app printed so far (it blocks when nobody reads its terminal)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                self.raw += os.read(self.fd, 1 << 16)
            except OSError:  # the app is gone
                pass

    def text(self, since: int = 0) -> str:
        """Everything printed since byte ``since``, without escape sequences."""
        return ESCAPES.sub("", self.raw[since:].decode("utf-8", "replace"))

    def mark(self) -> int:
        return len(self.raw)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"dms-tui exited ({self.proc.returncode}) waiting for "
                    f"{what}: {self.text()[-1500:]!r}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {self.text()[-1500:]!r}")
            self.pump()

    def wait_text(self, fragment: str, since: int = 0, timeout: float = 60.0) -> None:
        self.wait(lambda: fragment in self.text(since), repr(fragment), timeout)

    # ---------------------------------------------------------------- typing

    def press(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, KEYS.get(key, key.encode()))
            self.pump(0)

    # ---------------------------------------------------------------- ending

    def kill(self) -> None:
        """SIGKILL, as the kernel does to a session's processes when SSH drops hard."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        os.close(self.fd)
