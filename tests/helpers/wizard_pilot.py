"""Helpers for driving the wizard with key presses in the sandbox."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.widgets import Static


async def wait_for(
    pilot, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
) -> None:
    """Let the app run until ``condition()`` holds (workers answer, messages land)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            screen = pilot.app.screen
            raise AssertionError(
                f"timed out waiting for {what} on {type(screen).__name__}: "
                f"{screen_text(pilot.app)!r}"
            )
        await pilot.pause()


async def settled(pilot) -> None:
    """Let what is already under way finish — the workers, then the messages they posted —
    before asserting that something did *not* happen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def highlighted_command(app) -> str:
    """The command the palette would run on Enter ('' before its search has answered)."""
    from textual.command import CommandList

    options = app.screen.query(CommandList)
    if not options or options.first().highlighted is None:
        return ""
    found = options.first()
    return str(found.get_option_at_index(found.highlighted).prompt)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def screen_text(app) -> str:
    """Everything the Static widgets on the current screen say (what the DBA reads)."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


def error_text(app) -> str:
    return text_of(app, "#step-error")


async def on_screen(pilot, name: str) -> None:
    """Until the screen ``name`` is on top *and mounted*: pushed is not enough (its widgets
    may still be composing, and a test that ends then tears them down under it)."""

    def shown() -> bool:
        screen = pilot.app.screen
        return type(screen).__name__ == name and screen.is_mounted

    await wait_for(pilot, shown, what=name)


async def press_until(
    pilot, keys: list[str], condition: Callable[[], bool], what: str = ""
) -> None:
    await pilot.press(*keys)
    await wait_for(pilot, condition, what=what or " ".join(keys))


def step_is(app, step: int) -> bool:
    return getattr(app.screen, "STEP", None) == step and app.screen.is_mounted


async def scope_and_provider(pilot, sandbox) -> None:
    """Start screen → new project → scope (rg-dms-migration) → provider registered."""
    app = pilot.app
    await on_screen(pilot, "StartScreen")
    await pilot.press("n")
    await on_screen(pilot, "ScopeScreen")
    await wait_for(pilot, lambda: app.screen.groups, what="resource groups")
    await pilot.press(*"dms-mig", "enter")
    await wait_for(pilot, lambda: app.wizard.project.resource_group == "rg-dms-migration")
    await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 1))
    await wait_for(pilot, lambda: "NotRegistered" in text_of(app, "#provider-state"))
    await pilot.press("r")
    await wait_for(
        pilot,
        lambda: (
            "Registering" in text_of(app, "#provider-state")
            or "Registered ✓" in text_of(app, "#provider-state")
        ),
        what="registering",
    )
    sandbox.advance(600)
    await wait_for(pilot, lambda: "Registered ✓" in text_of(app, "#provider-state"))
    await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 2))


async def pick_existing_service(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.services, what="DMS instances")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.wizard.service is not None and app.wizard.service.ready)
    await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 3))


async def create_service(pilot, name: str) -> None:
    """Step 2: type a new DMS instance name and create it with Ctrl+O."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.services, what="DMS instances")
    await pilot.press("tab", *name, "ctrl+o")
    await wait_for(pilot, lambda: app.wizard.project.service_id.endswith("/" + name))


async def until_service_ready(pilot, sandbox) -> None:
    """Advance the sandbox until the DMS instance being created is ready."""
    app = pilot.app
    for _ in range(20):
        if app.wizard.service is not None and app.wizard.service.ready:
            break
        sandbox.advance(60)
        await pilot.pause()
    await wait_for(pilot, lambda: app.wizard.service.ready, what="DMS instance created")


async def name_project(pilot, name: str) -> None:
    await pilot.press(*name, "enter")
    await wait_for(pilot, lambda: step_is(pilot.app, 4))


async def source(pilot, address: str, password: str = "pw-S3c") -> None:
    app = pilot.app
    await pilot.press(*address, "tab", "tab", "tab", *"dba", "tab", *password)
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: "Connected ✓" in text_of(app, "#source-result"))
    await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 5))


async def through_source(pilot, sandbox, name: str, password: str = "pw-S3c") -> None:
    """Steps 0–4 with the existing DMS instance and sqlprod01, up to the target step."""
    await scope_and_provider(pilot, sandbox)
    await pick_existing_service(pilot)
    await name_project(pilot, name)
    await source(pilot, "sqlprod01", password)


async def target(pilot, kind_search: str, name: str) -> None:
    """Choose the target kind by typing its label's start, then the resource by name."""
    app = pilot.app
    if kind_search:
        await pilot.press("enter", *kind_search, "enter")
    await pilot.press("tab")
    await wait_for(
        pilot,
        lambda: (
            any(t.name == name for t in app.screen.targets)
            and app.screen.targets[0].kind.label.startswith(kind_search or "Azure SQL M")
        ),
        what=f"target {name}",
    )
    index = next(i for i, t in enumerate(app.screen.targets) if t.name == name)
    await pilot.press(*(["down"] * index), "enter")
    await wait_for(pilot, lambda: app.wizard.project.target_id.endswith("/" + name))


async def mi_databases(pilot, names: list[str]) -> None:
    """Steps 5–6 on sqlmi-contoso-prod: pick the instance, then the databases (on to step 7)."""
    await target(pilot, "", "sqlmi-contoso-prod")
    await press_until(pilot, ["ctrl+n"], lambda: step_is(pilot.app, 6))
    await databases(pilot, names)


async def databases(pilot, names: list[str]) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
    order = list(app.wizard.inventory)
    at = 0
    for name in sorted(names, key=order.index):
        index = order.index(name)
        await pilot.press(*(["down"] * (index - at)), "space")
        at = index
    await press_until(pilot, ["ctrl+n"], lambda: step_is(app, 7))


async def summary_and_start(pilot) -> None:
    app = pilot.app
    await wait_for(
        pilot, lambda: "All checks passed" in text_of(app, "#summary-checks"), what="summary checks"
    )
    await pilot.press("ctrl+n")
    await on_screen(pilot, "ConfirmModal")
    await pilot.press("y")
    await on_screen(pilot, "MonitorScreen")


def focus_settled(app) -> bool:
    """The focus bar and the focused field's label are drawn (focus events have landed)."""
    from tui.app import field_label

    focused = app.focused
    if focused is None:
        return True
    label = field_label(focused)
    return label is None or label.has_class("-focus-label")
