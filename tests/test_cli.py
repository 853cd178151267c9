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
