"""Step 4 on a jump box: bad ports, unknown servers, slow servers, Esc and Ctrl+N while
connecting. Driven with key presses in the sandbox; what is asserted is what the DBA reads."""

from __future__ import annotations

import threading
import time

import pytest
from textual.widgets import Input

from tests.helpers.wizard_pilot import error_text, step_is, text_of, wait_for
from tests.helpers.wizard_projects import opened_at, project_at
from tui.app import DmsTuiApp
from tui.models import ServerInfo


async def set_field(pilot, field: str, value: str) -> None:
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.value = value
    box.focus()
    await pilot.pause()


@pytest.mark.parametrize("port", ["²", "①", "١٤٣٣", "14 33"])
async def test_a_port_that_is_not_ascii_digits_is_refused_by_name(context, sandbox, ids, port):
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        await set_field(pilot, "password", "pw")
        await set_field(pilot, "port", port)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: error_text(app).startswith("Port:"), what="port message")
        assert "0-9" in error_text(app)
        assert "Connecting" not in text_of(app, "#source-result")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: error_text(app).startswith("Port:"))
        assert app.is_running and step_is(app, 4)


class StuckSource:
    """A source whose server never answers until the test lets it (then it is too late)."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.closed = False

    def server_info(self) -> ServerInfo:
        self.release.wait(60)
        return ServerInfo(server="late", version="16.0", major_version=16)

    def close(self) -> None:
        self.closed = True


def sql_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("dms-tui-sql")]


async def test_connecting_shows_the_time_and_esc_cancels(context, sandbox, ids):
    release = threading.Event()
    made: list[StuckSource] = []
    context.open_source_fn = lambda p: made.append(StuckSource(release)) or made[-1]
    now = [1000.0]
    project_at(4, sandbox, ids)
    app = DmsTuiApp(context, project="payroll", clock=lambda: now[0], poll_interval=0.2)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: step_is(app, 4))
            address = f"{sandbox.source_address},1433"
            await set_field(pilot, "password", "pw")
            await pilot.press("ctrl+t")
            await wait_for(
                pilot,
                lambda: (
                    f"Connecting to {address}… 0:00 elapsed (Esc cancels)"
                    in text_of(app, "#source-result")
                ),
            )
            now[0] += 67
            await wait_for(
                pilot,
                lambda: "1:07 elapsed" in text_of(app, "#source-result"),
                what="the elapsed time to move on",
            )
            await pilot.press("ctrl+n")
            await wait_for(
                pilot,
                lambda: (
                    error_text(app)
                    == (
                        f"Wait: the connection test to {address} is still running (1:07); Esc "
                        "cancels it."
                    )
                ),
            )
            assert step_is(app, 4)
            await pilot.press("escape")
            await wait_for(
                pilot,
                lambda: (
                    "Connection test cancelled" in text_of(app, "#source-result")
                    and not app.screen.is_busy()
                ),
            )
            assert step_is(app, 4) and app.wizard.source is None
            now[0] += 5  # the elapsed time no longer moves
            await pilot.pause()
            assert "Connecting" not in text_of(app, "#source-result")
            await pilot.press("escape")  # nothing running: Esc is Back again
            await wait_for(pilot, lambda: step_is(app, 3))
    finally:
        release.set()
    await_threads = time.monotonic() + 10
    while sql_threads() and time.monotonic() < await_threads:
        threading.Event().wait(0.02)
    assert not sql_threads() and made and made[0].closed, "a late answer is closed, not kept"


async def test_an_unknown_server_in_the_sandbox_is_unreachable_like_a_real_one(
    context, sandbox, ids
):
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        await set_field(pilot, "server", "nowhere.contoso.local")
        await set_field(pilot, "password", "pw")
        await pilot.press("ctrl+t")
        await wait_for(
            pilot,
            lambda: text_of(app, "#source-result") == "Connection failed.",
            what="the connection test to fail",
        )
        text = error_text(app)
        assert "Cannot reach SQL Server at nowhere.contoso.local,1433. [08001/11001]" in text
        assert "Check the server name and port" in text
        assert "Server is not found or not accessible" in text
        assert app.wizard.source is None and app.screen.tested is None


async def test_an_unexpected_error_in_the_test_ends_it_on_screen(context, sandbox, ids):
    def broken(params):
        raise KeyError(f"no simulated SQL Server at '{params.server}'")

    context.open_source_fn = broken
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        await set_field(pilot, "password", "pw")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: text_of(app, "#source-result") == "Connection failed.")
        assert "failed unexpectedly" in error_text(app) and "[KeyError]" in error_text(app)
        await pilot.press("ctrl+t")  # and it can be tried again
        await wait_for(pilot, lambda: text_of(app, "#source-result") == "Connection failed.")


class BrokenInventory:
    def databases(self):
        raise RuntimeError("driver fell over")

    def close(self) -> None:
        pass


async def test_an_unexpected_worker_failure_is_reported_and_the_step_not_left_waiting(
    context, sandbox, ids
):
    context.open_source_fn = lambda params: BrokenInventory()
    async with opened_at(context, sandbox, ids, 6) as (app, pilot):
        await wait_for(
            pilot,
            lambda: "Could not read the databases" in text_of(app, "#databases-status"),
            what="the step to recover",
        )
        assert any("driver fell over" in n.message for n in app._notifications)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: error_text(app).startswith("Databases:"))
