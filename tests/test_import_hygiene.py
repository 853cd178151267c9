"""Start-up stays light: the CLI, the app and its first screen import neither the Azure SDK
clients nor pyodbc; they are imported when first needed (a Controller's first client, the
first real connection to SQL Server).

Each check runs in a fresh interpreter, so what other tests imported does not count."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox", "azure"])
def test_first_screen_imports_no_sdk(sandbox):
    out = run(f"""
        import asyncio
        from tui.app import DmsTuiApp
        from tui.context import AppContext

        async def first_screen():
            if {sandbox!r}:
                from tui.sandbox import Sandbox
                context = AppContext.for_sandbox(Sandbox(seed=0))
            else:
                context = AppContext()
            app = DmsTuiApp(context)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.pause(0.3)
                return type(app.screen).__name__

        name = asyncio.run(first_screen())
        print(_json.dumps({{"screen": name, "heavy": _heavy()}}))
    """)
    assert out["screen"] in ("StartScreen", "SignInScreen")
    assert out["heavy"] == []
