"""dms-tui, headless in its own interpreter, on step 4 with a real FreeTDS connection to a
server that never answers: Ctrl+T, then (once the driver is stuck) Ctrl+Q.

Run by ``test_source_odbc.test_the_app_quits_at_once_while_a_connection_test_hangs`` as
``python tests/helpers/hung_source_app.py PORT DRIVER`` with DMS_TUI_HOME set; prints "connecting"
once the connection test is stuck in the driver and "quit" when ``app.run`` has returned.
The process has to end by itself: nothing may wait for the stuck driver.
"""

from __future__ import annotations

import sys

from textual.widgets import Input

from tests.helpers.wizard_pilot import step_is, text_of, wait_for
from tests.helpers.wizard_projects import project_at
from tui.app import DmsTuiApp
from tui.context import AppContext
from tui.models import TargetKind
from tui.sandbox import Sandbox
from tui.source import SqlServerSource, deadline


def main(port: int, driver: str) -> None:
    sandbox = Sandbox(seed=0)
    context = AppContext.for_sandbox(sandbox)
    controller = context.controller
    ids = {
        "service": controller.list_migration_services()[0].id,
        "targets": {t.name: t for t in controller.list_targets(TargetKind.SQL_MI)},
        "account": next(a.id for a in controller.list_storage_accounts() if "mig" in a.name),
    }
    project_at(4, sandbox, ids)
    context.open_source_fn = lambda p: SqlServerSource(
        "127.0.0.1", port, user=p.user, password=p.password, driver=driver, login_timeout=60
    )

    async def auto_pilot(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: step_is(app, 4), timeout=60, what="step 4")
        app.screen.query_one("#password", Input).value = "pw"
        await pilot.press("ctrl+t")
        await wait_for(
            pilot,
            lambda: "Connecting" in text_of(app, "#source-result") and deadline.waiting() >= 2,
            timeout=60,
            what="a stuck connection",
        )
        print("connecting", flush=True)
        await pilot.press("ctrl+q")

    app = DmsTuiApp(context, project="payroll")
    app.run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    print("quit", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
