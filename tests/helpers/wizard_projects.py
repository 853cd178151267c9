"""A saved project at a wizard step, and the app opened on it (which also exercises resume)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from tests.helpers.wizard_pilot import error_text, on_screen, settled, step_is, wait_for
from tui.app import DmsTuiApp
from tui.projects import Project, save_project


def project_at(step: int, sandbox, ids, **changes) -> Project:
    p = Project(
        name="payroll",
        step=step,
        sandbox=True,
        subscription_id=sandbox.subscription_id,
        resource_group="rg-dms-migration",
        location="westeurope",
        service_id=ids["service"],
        source={
            "server": sandbox.source_address,
            "port": 1433,
            "authentication": "sql",
            "user": "migration_login",
            "encrypt": True,
            "trust_server_certificate": False,
        },
        target_kind="SqlMi",
        target_id=ids["targets"]["sqlmi-contoso-prod"].id,
        databases=["SalesDB"],
        settings={
            "mode": "online",
            "backup": "blob",
            "storage_account_id": ids["account"],
            "container": "sqlmigration",
            "blob_auth": "AccountKey",
            "target_names": {"SalesDB": "SalesDB"},
        },
    )
    for key, value in changes.items():
        setattr(p, key, value)
    save_project(p)
    return p


def app_for(context, project: str | None = "payroll") -> DmsTuiApp:
    return DmsTuiApp(context, project=project, clock=lambda: 1000.0, poll_interval=0.2)


async def opened(pilot, step: int, password: str = "S3cret-pw!") -> None:
    if step > 4:
        await on_screen(pilot, "SecretsPrompt")
        await pilot.press(*password, "enter")
    await wait_for(pilot, lambda: step_is(pilot.app, step), what=f"step {step}")


@asynccontextmanager
async def opened_at(context, sandbox, ids, step: int, **changes):
    """Save a project at ``step``, open it, and hand over (app, pilot) once the step shows."""
    project_at(step, sandbox, ids, **changes)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, step)
        yield app, pilot


async def refused(pilot, step: int, *fragments: str) -> None:
    """Next is pressed; the message shows every fragment and the step does not change."""
    await pilot.press("ctrl+n")
    await wait_for(
        pilot,
        lambda: all(f in error_text(pilot.app) for f in fragments),
        what=" / ".join(fragments),
    )
    await settled(pilot)
    assert step_is(pilot.app, step)
