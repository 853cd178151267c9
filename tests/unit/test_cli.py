import subprocess
import sys

from tui import __version__
from tui.cli import main


def test_version_and_help_run_as_a_command():
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == f"dms-tui {__version__}"
    helptext = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--sandbox" in helptext and "--project" in helptext


def test_monitor_without_project_is_refused(capsys):
    assert main(["--monitor"]) == 2
    assert "--monitor needs --project" in capsys.readouterr().err


def test_sandbox_reset_needs_the_sandbox(capsys):
    assert main(["--sandbox-reset"]) == 2
    assert "--sandbox-reset goes with --sandbox" in capsys.readouterr().err


def test_sandbox_reset_forgets_the_saved_world(dms_home):
    from tui.cli import build_app
    from tui.sandbox.saved import world_path

    first = build_app(["--sandbox"])
    first.context.prepare()  # the app does it once its first screen is drawn
    first.context.sandbox.take_log_backup("SalesDB")
    assert '"kind":"backup"' in world_path(0).read_text()
    again = build_app(["--sandbox", "--sandbox-reset"])
    again.context.prepare()
    assert "started afresh" in again.context.sandbox_notice
    assert '"kind":"backup"' not in world_path(0).read_text()
