"""Step 6's TDE dialog opened on HRPayroll with its certificate exported from the sandbox and
the password typed, as the TDE tests open it."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.wizard_pilot import on_screen, text_of, wait_for

PASSWORD = "Pfx-Secr3t-2am!"


def shown(app) -> str:
    """Every character on the terminal, dialogs and notifications included."""
    return app.export_screenshot()


async def open_dialog(app, pilot, sandbox, tmp_path) -> Path:
    pfx = tmp_path / "HRPayroll_tde.pfx"
    pfx.write_bytes(sandbox.export_tde_certificate("HRPayroll", PASSWORD))
    await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
    names = list(app.wizard.inventory)
    await pilot.press(*(["down"] * names.index("HRPayroll")), "space")
    await wait_for(pilot, lambda: "HRPayroll is encrypted with TDE" in text_of(app, "#findings"))
    assert "BLOCKER: HRPayroll is encrypted with TDE" in text_of(app, "#findings")
    await pilot.press("t")
    await on_screen(pilot, "TdeCertificateScreen")
    assert "BACKUP CERTIFICATE" in text_of(app, "#tde-tsql")
    assert "DB_ID(N'HRPayroll')" in text_of(app, "#tde-tsql")
    await pilot.press(*str(pfx), "enter", *PASSWORD)
    assert PASSWORD not in shown(app)
    return pfx
