"""The TDE dialog's footer says what ctrl+o does: on a managed instance it uploads the
certificate (the footer said "Done"), on a SQL VM it records that the DBA has done it."""

from __future__ import annotations

from tests.helpers.tde_pilot import open_dialog
from tests.helpers.wizard_projects import opened_at


async def test_the_footer_says_upload_on_a_managed_instance(context, sandbox, ids, tmp_path):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await open_dialog(app, pilot, sandbox, tmp_path)
        await pilot.pause()
        shown = [
            (key, b.description)
            for key, (_, b, enabled, _) in app.screen.active_bindings.items()
            if enabled and b.show
        ]
        assert ("ctrl+o", "Upload") in shown
        assert ("ctrl+o", "Done") not in shown
