"""Cold start to the first screen: ``dms-tui --sandbox`` against a bare Textual app started
the same way, in the same run.

Each run is a fresh interpreter on a pseudo-terminal of 80x24 (``TERM=xterm-256color``, an
empty ``DMS_TUI_HOME``), running the app for real: ``tui.cli.main(["--sandbox"])``, the
``dms-tui`` command, or a bare ``App`` with a header, a line of text and a footer. A hook on
``App._display`` notes the moment the first frame of a screen with something on it has been
written, then asks the app to exit. Runs of the two alternate, so the machine's load falls
on both alike. Printed, medians:

* wall time from starting the process to that frame, and the ratio of the two;
* CPU time of the process to that frame (interpreter start included), and the ratio;
* modules loaded by then, and which of Azure's, requests, urllib3 and pyodbc among them;
* peak resident memory by then.

Run:  python benchmarks/startup.py [--quick] [--runs N]
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

HOOK = """
    import json, os, resource, sys, time
    from textual.app import App

    _display = App._display

    def _first_frame(self, screen, renderable):
        _display(self, screen, renderable)
        if _first_frame.done or renderable is None or getattr(self, "_batch_count", 0):
            return
        if screen.id == "_default" and not screen.children:
            return  # the app's empty default screen, before its first real one
        _first_frame.done = True
        ru = resource.getrusage(resource.RUSAGE_SELF)
        heavy = sorted({m.split(".")[0] + ("." + m.split(".")[1] if m.startswith("azure.")
                                           and "." in m else "")
                        for m in sys.modules
                        if m.split(".")[0] in ("azure", "requests", "urllib3", "pyodbc")})
        with open(os.environ["DMS_BENCH_OUT"], "w") as f:
            json.dump({"t": time.time(), "cpu": ru.ru_utime + ru.ru_stime,
                       "rss_mb": ru.ru_maxrss / 1024, "modules": len(sys.modules),
                       "heavy": heavy, "screen": type(screen).__name__}, f)
        self.exit()

    _first_frame.done = False
    App._display = _first_frame
"""

APPS = {
    "dms-tui": """
        from tui.cli import main
        sys.exit(main(["--sandbox"]))
    """,
    "bare Textual": """
        from textual.widgets import Footer, Header, Static

        class Bare(App):
            BINDINGS = [("ctrl+q", "quit", "Quit")]

            def compose(self):
                yield Header()
                yield Static("A bare Textual app.")
                yield Footer()

        Bare().run()
    """,
}


def first_frame(app: str, timeout: float = 120.0) -> dict:
    """Start ``app`` in a fresh interpreter on an 80x24 pseudo-terminal; what its hook saw,
    plus ``wall``: seconds from starting the process to its first frame."""
    code = textwrap.dedent(HOOK) + textwrap.dedent(APPS[app])
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", h.SIZE[1], h.SIZE[0], 0, 0))
    with tempfile.TemporaryDirectory() as home:
        out = Path(home) / "first-frame.json"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("COLUMNS", "LINES", "COLORTERM") and not k.startswith("TEXTUAL_")
        }
        env.update(TERM="xterm-256color", DMS_TUI_HOME=home, DMS_BENCH_OUT=str(out))
        start = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=h.ROOT,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        screen = bytearray()

        def drain() -> None:  # the terminal's side: read everything so the app never blocks
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                screen.extend(data[-4000:])

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            reader.join(5)
            os.close(master)
        if not out.exists():
            tail = screen[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"{app} drew no screen (exit {proc.returncode}): {tail}")
        seen = json.loads(out.read_text())
    seen["wall"] = seen["t"] - start
    return seen


def main(argv: list[str] | None = None) -> None:
    def extra(p):
        p.add_argument("--runs", type=int, default=5, help="runs of each app (default 5)")

    args = h.parse_args(__doc__, argv, extra)
    runs = 1 if args.quick else args.runs
    h.header(
        f"Cold start to the first screen, {h.SIZE[0]}x{h.SIZE[1]} pseudo-terminal, "
        f"median of {runs} runs each"
    )
    seen: dict[str, list[dict]] = {name: [] for name in APPS}
    for _ in range(runs):
        for name in APPS:
            seen[name].append(first_frame(name))
    dms, bare = seen["dms-tui"], seen["bare Textual"]

    def med(runs_: list[dict], key: str) -> float:
        return h.median([r[key] for r in runs_])

    ratio = med(dms, "wall") / med(bare, "wall")
    h.figure(
        "first screen, wall from process start",
        f"{ratio:.2f}x ({h.ms(med(dms, 'wall'))} vs bare {h.ms(med(bare, 'wall'))})",
        "<= 1.5x",
    )
    h.figure(
        "first screen, process CPU",
        f"{med(dms, 'cpu') / med(bare, 'cpu'):.2f}x ({h.ms(med(dms, 'cpu'))} vs bare "
        f"{h.ms(med(bare, 'cpu'))})",
        "<= 1.5x",
    )
    h.figure(
        "modules loaded at the first screen",
        f"{med(dms, 'modules'):.0f} vs bare {med(bare, 'modules'):.0f}",
    )
    h.note(
        f"dms-tui's first screen: {dms[-1]['screen']}; loaded by then: "
        f"{', '.join(dms[-1]['heavy']) or 'nothing of Azure, requests, urllib3, pyodbc'}"
    )
    h.note(
        f"peak resident memory by then: {med(dms, 'rss_mb'):.0f} MB vs bare "
        f"{med(bare, 'rss_mb'):.0f} MB"
    )


if __name__ == "__main__":
    main()
