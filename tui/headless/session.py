"""What every headless command starts from: the saved project, a Controller signed in the way
the app signs in (without a prompt: a cron job has nobody to answer one), and the clock the
migrations' times are read against (the sandbox's simulated clock in the sandbox)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.errors import DmsTuiError

if TYPE_CHECKING:
    from tui.controller import Controller
    from tui.projects import Project
    from tui.sandbox import Sandbox

EXIT_OK, EXIT_ATTENTION, EXIT_UNREACHABLE = 0, 1, 2


class CannotStart(Exception):
    """The command cannot run (exit 2); the message says why and what to do, in plain words."""


@dataclass
class Session:
    project: Project
    controller: Controller
    sandbox: Sandbox | None = None
    notice: str = ""  # what became of the sandbox's saved world

    def now(self) -> datetime:
        if self.sandbox is not None:
            return datetime.fromtimestamp(self.sandbox.now, tz=UTC)
        return datetime.now(UTC)


def open_session(
    project_name: str,
    *,
    sandbox: bool,
    keep_world: bool,
    wall: Callable[[], float] = time.time,
    make_clock: Callable[[], Any] | None = None,
) -> Session:
    """The project and a Controller for it. ``keep_world``: the sandbox's world is written back
    (a command that changes it); otherwise it is only read."""
    from tui.projects import load_project, validate_name

    problem = validate_name(project_name)
    if problem:
        raise CannotStart(f"--project: {problem}")
    try:
        project = load_project(project_name)
    except DmsTuiError as e:
        raise CannotStart(e.full_text) from None
    if project.sandbox and not sandbox:
        raise CannotStart(
            f"The project {project.name!r} was made in the sandbox: add --sandbox to read it."
        )
    if sandbox and not project.sandbox:
        raise CannotStart(
            f"The project {project.name!r} runs against real Azure: leave out --sandbox."
        )
    if sandbox:
        return _sandbox_session(project, keep_world, wall, make_clock)
    return Session(project, _signed_in_controller(project))


def _sandbox_session(project, keep_world, wall, make_clock) -> Session:
    from tui.controller import Controller
    from tui.sandbox.saved import DamagedWorld, open_world

    try:
        sb, notice = open_world(0, None, keep=keep_world, wall=wall, make_clock=make_clock)
    except DamagedWorld as e:
        raise CannotStart(
            f"The sandbox's saved world cannot be used: {e}. Start dms-tui --sandbox once "
            "to set it aside, or --sandbox-reset to start afresh."
        ) from None
    controller = Controller(
        sb.credential, project.subscription_id or sb.subscription_id, transport=sb.transport
    )
    return Session(project, controller, sb, notice)


def _signed_in_controller(project) -> Controller:
    """Sign in as the project was signed in (Azure CLI, service principal or managed identity);
    a device code needs a person at a browser, so it is refused rather than waited for."""
    from tui.controller import Controller
    from tui.signin import SignInMethod, check_credential, environment_ready, make_credential

    if not project.subscription_id:
        raise CannotStart(f"The project {project.name!r} has no subscription yet.")
    try:
        method = SignInMethod(project.sign_in) if project.sign_in else None
    except ValueError:
        method = None
    if method is None or method == SignInMethod.DEVICE_CODE:
        method = SignInMethod.ENVIRONMENT if environment_ready() else SignInMethod.AZURE_CLI
    try:
        credential = make_credential(method, tenant_id=project.tenant_id or None)
        check_credential(credential)
    except DmsTuiError as e:
        raise CannotStart(
            f"Could not sign in to Azure ({method.label}): {e.full_text}\n"
            "Headless commands never prompt: sign in with `az login`, or export "
            "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal."
        ) from None
    return Controller(credential, project.subscription_id)
