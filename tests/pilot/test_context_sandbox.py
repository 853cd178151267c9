"""``dms-tui --sandbox`` builds its sandbox after the first screen: the context holds how to
build it, builds it once whoever asks first (the app's worker or a key pressed before that
worker is done), and keeps a subscription chosen meanwhile."""

from __future__ import annotations

import threading

from tests.helpers.wizard_pilot import wait_for
from tui.app import DmsTuiApp
from tui.cli import build_app
from tui.context import AppContext
from tui.sandbox import Sandbox


def counting_factory():
    built: list[Sandbox] = []

    def make() -> tuple[Sandbox, str]:
        built.append(Sandbox(seed=0))
        return built[-1], ""

    return make, built


def test_nothing_is_built_until_azure_is_first_needed_then_once():
    make, built = counting_factory()
    context = AppContext(sandbox_factory=make)
    assert context.is_sandbox and context.pending
    assert context.controller is None and built == []
    controller = context.azure
    assert len(built) == 1 and context.sandbox is built[0] and not context.pending
    assert controller.subscription_id == built[0].subscription_id
    assert context.credential is built[0].credential
    assert context.azure is controller
    context.prepare()
    assert len(built) == 1


def test_callers_at_the_same_time_share_one_sandbox():
    make, built = counting_factory()
    context = AppContext(sandbox_factory=make)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(context.azure)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(built) == 1
    assert len(seen) == 4 and all(c is seen[0] for c in seen)


def test_a_subscription_chosen_before_the_sandbox_is_ready_is_used():
    make, built = counting_factory()
    context = AppContext(sandbox_factory=make)
    context.use_subscription("11111111-2222-3333-4444-555555555555")
    assert built == []  # choosing it built nothing
    assert context.azure.subscription_id == "11111111-2222-3333-4444-555555555555"


async def test_the_command_builds_the_sandbox_in_a_worker_after_the_start_screen():
    app = build_app(["--sandbox"])
    assert isinstance(app, DmsTuiApp)
    assert app.context.pending  # the command line built nothing
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
        assert "SANDBOX" in app.sub_title
        await wait_for(pilot, lambda: not app.context.pending, what="the sandbox built")
        sandbox = app.context.sandbox
        assert sandbox is not None and not sandbox.clock.manual  # --sandbox runs in real time
        await pilot.press("m")
        for _ in range(200):
            if type(app.screen).__name__ == "MonitorScreen":
                break
            await pilot.pause()
        assert type(app.screen).__name__ == "MonitorScreen"
        await app.workers.wait_for_complete()
        assert any("listMigrations" in r.path for r in sandbox.requests)
        await pilot.press("ctrl+q")
