"""Step 2: the integration runtime's nodes in plain words, and both auth keys on request."""

from __future__ import annotations

from screens.step_service import node_summary
from tests.helpers.wizard_pilot import text_of, wait_for
from tests.helpers.wizard_projects import (
    opened_at,
)
from tui.models import IntegrationRuntimeNode
from tui.projects import projects_dir


async def test_runtime_nodes_show_what_azure_reports(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(
            pilot, lambda: "JUMPBOX01" in text_of(app, "#service-runtime"), what="runtime nodes"
        )
        text = text_of(app, "#service-runtime")
    assert "status not reported" not in text
    assert "JUMPBOX01 — CPU 7%, 12.0 GB free, jobs 0 of 10" in text
    assert "at most 10 migrations from a share run at once on each node: 10 with this node" in (
        text
    )


def test_node_status_shown_only_when_azure_reports_one():
    bare = IntegrationRuntimeNode(
        "NODE1",
        cpu_utilization=12,
        available_memory_mb=3277,
        concurrent_jobs_running=1,
        concurrent_jobs_limit=10,
        sent_bytes=0.25,
        received_bytes=0.15,
    )
    assert node_summary(bare) == (
        "NODE1 — CPU 12%, 3.2 GB free, jobs 1 of 10, network in 0.15 bytes, out 0.25 bytes"
    )
    with_status = IntegrationRuntimeNode("NODE2", status="Online", version="5.44")
    assert node_summary(with_status) == "NODE2 — Online, version 5.44"
    assert node_summary(IntegrationRuntimeNode("NODE3")) == "NODE3 — no details reported"


async def test_either_auth_key_can_be_copied_and_neither_is_saved(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 2) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.service is not None, what="service")
        await pilot.press("ctrl+l")  # keys not shown yet: says how to show them
        await wait_for(pilot, lambda: "Ctrl+G" in text_of(app, "#step-error"))
        assert app.clipboard == ""
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.screen.keys is not None, what="auth keys")
        keys = app.screen.keys
        assert "Ctrl+L key 2" in text_of(app, "#service-keys")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.clipboard == keys.auth_key2, what="key 2 copied")
        assert any("Auth key 2 copied" in n.message for n in app._notifications)
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.clipboard == keys.auth_key1, what="key 1 copied")
        assert any("Auth key 1 copied" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
    saved = "".join(p.read_text() for p in projects_dir().iterdir())
    assert keys.auth_key1 not in saved and keys.auth_key2 not in saved
