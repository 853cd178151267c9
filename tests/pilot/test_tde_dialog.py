"""Step 6 at 80x24: the TDE blocker of HRPayroll clears once its certificate is uploaded to the
managed instance from the app — the password never on screen or on disk — and a lost answer
is one request, told as unknown, with the blocker kept."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.tde_pilot import PASSWORD, open_dialog, shown
from tests.helpers.wizard_pilot import on_screen, step_is, text_of, wait_for
from tests.helpers.wizard_projects import opened_at
from tui.sandbox import Fault


def uploads(sandbox):
    return [
        r for r in sandbox.requests if r.method == "POST" and r.path.endswith("/tdeCertificates")
    ]


def files_holding(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


async def test_an_uploaded_certificate_clears_the_tde_blocker(
    context, sandbox, ids, tmp_path, dms_home
):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        pfx = await open_dialog(app, pilot, sandbox, tmp_path)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: step_is(app, 6), what="back on step 6")
        await wait_for(
            pilot,
            lambda: "certificate was uploaded to sqlmi-contoso-prod" in text_of(app, "#findings"),
            what="the blocker cleared",
        )
        assert "BLOCKER" not in text_of(app, "#findings")
        assert PASSWORD not in shown(app)
        assert len(uploads(sandbox)) == 1
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 7), what="step 7")
        assert app.wizard.project.databases == ["HRPayroll"]
        assert app.wizard.settings.tde_certificates == {
            "HRPayroll": ids["targets"]["sqlmi-contoso-prod"].id
        }
    assert files_holding(dms_home, PASSWORD) == []
    assert files_holding(tmp_path, PASSWORD) == []
    assert pfx.exists()  # the DBA's file is left as it was


async def test_a_lost_upload_answer_is_one_request_told_as_unknown(
    context, sandbox, ids, tmp_path, dms_home
):
    sandbox.inject(Fault.drop_connection(match="/tdeCertificates", after_processing=True))
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await open_dialog(app, pilot, sandbox, tmp_path)
        await pilot.press("ctrl+o")
        await wait_for(
            pilot,
            lambda: "is unknown" in text_of(app, "#tde-result"),
            what="the outcome told",
        )
        said = text_of(app, "#tde-result")
        assert "sent once and not repeated" in said
        assert "sqlmi-contoso-prod is Ready" in said
        assert len(uploads(sandbox)) == 1
        assert PASSWORD not in shown(app)
        # a second Ctrl+O is not a second upload: the password was cleared, so sending the
        # file again takes typing it again, deliberately
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "Password: type" in text_of(app, "#tde-result"))
        assert len(uploads(sandbox)) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 6), what="back on step 6")
        assert "BLOCKER: HRPayroll is encrypted with TDE" in text_of(app, "#findings")
        assert app.wizard.settings.tde_certificates == {}
    assert files_holding(dms_home, PASSWORD) == []


async def test_on_a_sql_vm_the_dbas_word_clears_the_blocker_and_nothing_is_sent(
    context, sandbox, ids
):
    vm = ids["targets"]["sqlvm-contoso-01"].id
    async with opened_at(
        context, sandbox, ids, 6, databases=[], target_kind="SqlVm", target_id=vm
    ) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        names = list(app.wizard.inventory)
        await pilot.press(*(["down"] * names.index("HRPayroll")), "t")
        await on_screen(pilot, "TdeCertificateScreen")
        assert "CREATE CERTIFICATE [<certificate>]" in str(
            app.screen.query(".tsql").last().render()
        )
        await pilot.press("escape")  # backing out changes nothing
        await wait_for(pilot, lambda: step_is(app, 6), what="back on step 6")
        assert "BLOCKER: HRPayroll is encrypted with TDE" in text_of(app, "#findings")
        await pilot.press("t")
        await on_screen(pilot, "TdeCertificateScreen")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: step_is(app, 6), what="back on step 6")
        await wait_for(
            pilot,
            lambda: "certificate was restored on sqlvm-contoso-01" in text_of(app, "#findings"),
        )
        assert app.wizard.settings.tde_certificates == {"HRPayroll": vm}
    assert uploads(sandbox) == []


async def test_in_the_sandbox_f5_exports_the_pfx_the_upload_then_takes(
    context, sandbox, ids, dms_home
):
    async with opened_at(context, sandbox, ids, 6, databases=[]) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        names = list(app.wizard.inventory)
        await pilot.press(*(["down"] * names.index("HRPayroll")), "t")
        await on_screen(pilot, "TdeCertificateScreen")
        await pilot.press("f5")
        await wait_for(pilot, lambda: "type a password first" in text_of(app, "#tde-result"))
        await pilot.press("tab", *PASSWORD, "f5")
        await wait_for(pilot, lambda: "exported the certificate" in text_of(app, "#tde-result"))
        pfx = Path(app.screen.query_one("#tde-file").value)
        assert pfx.is_relative_to(dms_home) and pfx.stat().st_mode & 0o077 == 0
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: step_is(app, 6), what="back on step 6")
        await wait_for(pilot, lambda: "uploaded to sqlmi-contoso-prod" in text_of(app, "#findings"))
    assert files_holding(dms_home, PASSWORD) == []
