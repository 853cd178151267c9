"""Start-up stays light: the CLI, the app and its first screen import neither the Azure SDK
clients nor pyodbc; they are imported when first needed (a Controller's first client, the
first real connection to SQL Server).

Each check runs in a fresh interpreter, so what other tests imported does not count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("azure.mgmt", "azure.identity", "pyodbc")

PACKAGES = tuple(p for p in HEAVY if p != "pyodbc")
REPORT = textwrap.dedent(
    f"""
    import json as _json, sys as _sys
    def _heavy():
        return sorted(m for m in _sys.modules if m == "pyodbc" or m.startswith({PACKAGES!r}))
"""
)


def run(code: str) -> dict:
    """Run ``code`` in a new interpreter; it prints one JSON line last."""
    proc = subprocess.run(
        [sys.executable, "-c", REPORT + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_cli_and_the_app_imports_no_sdk():
    out = run("""
        import tui.cli, tui.app
        print(_json.dumps({"heavy": _heavy()}))
    """)
    assert out["heavy"] == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_sdk(flag):
    out = run(f"""
        import contextlib, io
        from tui.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as text:
            try:
                main([{flag!r}])
            except SystemExit:
                pass
        print(_json.dumps({{"heavy": _heavy(), "text": text.getvalue()}}))
    """)
    assert out["heavy"] == []
    assert "dms-tui" in out["text"]


def test_controller_imports_the_sdk_only_when_a_client_is_made():
    out = run("""
        from tui.controller import Controller
        from tui.sandbox import Sandbox
        before = _heavy()
        sb = Sandbox(seed=0)
        ctl = Controller(sb.credential, sb.subscription_id, transport=sb.transport)
        made = _heavy()
        ctl.provider_state()
        print(_json.dumps({"before": before, "made": made, "after": _heavy()}))
    """)
    assert out["before"] == [] and out["made"] == []
    assert any(m.startswith("azure.mgmt.resource") for m in out["after"])
    assert "pyodbc" not in out["after"]


# Loaded by the first screen of neither a bare Textual app nor dms-tui: the Azure SDK and
# its HTTP stack, the sandbox that stands in for Azure, and the core that talks to Azure.
AZURE = (
    "azure",
    "requests",
    "urllib3",
    "pyodbc",
    "tui.sandbox",
    "tui.controller",
    "tui.convert",
    "tui.models",
)
# The form controls the start screen has no use for (the sign-in screen has: its choice of
# sign-in is one). Textual's own app module loads Select.
FORMS = (
    "widgets.compact",
    "textual.widgets._selection_list",
    "textual.widgets._radio_set",
    "textual.widgets._checkbox",
)

FIRST_SCREEN = (
    "azure",
    "requests",
    "urllib3",
    "pyodbc",
    "tui.sandbox",
    "tui.controller",
    "tui.convert",
    "tui.models",
    "widgets.compact",
    "textual.widgets._selection_list",
    "textual.widgets._radio_set",
    "textual.widgets._checkbox",
)

FIRST_SCREEN = textwrap.dedent(
    """
    import json, sys
    from textual.app import App

    seen = {}
    _display = App._display

    def first_frame(self, screen, renderable):
        # the modules loaded when the first real screen's first frame is written
        _display(self, screen, renderable)
        if seen or renderable is None or not screen.children or screen.id == "_default":
            return
        seen.update(screen=type(screen).__name__, modules=sorted(sys.modules))
        self.exit()

    App._display = first_frame
    from tui.cli import build_app

    app = build_app(ARGS)
    app.run(headless=True, size=(80, 24))
    print(json.dumps(seen))
"""
)


@pytest.mark.parametrize(
    "args, screen, unwanted",
    [(["--sandbox"], "StartScreen", AZURE + FORMS), ([], "SignInScreen", AZURE)],
    ids=["sandbox", "azure"],
)
def test_the_first_screen_loads_nothing_of_azure_nor_the_sandbox(args, screen, unwanted, tmp_path):
    """``dms-tui`` started as the command starts it, up to its first frame: the modules
    loaded by then (named, not counted) leave out the SDK, its HTTP stack and the sandbox,
    which is built only after that frame."""
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN.replace("ARGS", repr(args))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DMS_TUI_HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["screen"] == screen
    loaded = [m for m in seen["modules"] if any(m == p or m.startswith(p + ".") for p in unwanted)]
    assert loaded == []
