"""A TDE certificate reaches the managed instance once, through the real SDK path: the sandbox
opens the PFX with its password as Azure does, keeps no secret, and a restore of the encrypted
database then finds the certificate. A lost answer is never resent and is told as unknown."""

from __future__ import annotations

import base64

import pytest

from tests.helpers.sandbox_support import MI, TARGET_RG
from tui.controller import Controller
from tui.models import TargetKind
from tui.sandbox import Fault
from tui.writes import WriteFailed

PASSWORD = "Pfx-Pa55-word!"


@pytest.fixture
def ctl(sb):
    return Controller(
        sb.credential,
        sb.subscription_id,
        transport=sb.transport,
        polling_interval=0,
        retry_backoff_factor=0.05,
        retry_backoff_max=0.2,
    )


@pytest.fixture
def mi_id(ctl):
    return next(t.id for t in ctl.list_targets(TargetKind.SQL_MI) if t.name == MI)


def uploads(sb):
    return [r for r in sb.requests if r.method == "POST" and r.path.endswith("/tdeCertificates")]


def test_a_wrong_password_is_refused_as_azure_says_and_nothing_secret_is_kept(sb, ctl, mi_id):
    pfx = sb.export_tde_certificate("HRPayroll", PASSWORD)
    with pytest.raises(WriteFailed) as wrong:
        ctl.upload_tde_certificate(mi_id, pfx, "not-the-password")
    assert wrong.value.accepted is False and wrong.value.code == "InvalidTdeCertificate"
    assert "password" in wrong.value.message
    with pytest.raises(WriteFailed) as damaged:
        ctl.upload_tde_certificate(mi_id, b"not a pfx", PASSWORD)
    assert damaged.value.code == "InvalidTdeCertificate"
    assert len(uploads(sb)) == 2
    for r in uploads(sb):
        assert r.body == {"properties": {"privateBlob": "<hidden>", "certPassword": "<hidden>"}}
        assert PASSWORD not in repr(r)


def test_an_empty_file_is_refused_before_anything_is_sent(sb, ctl, mi_id):
    with pytest.raises(Exception, match="Certificate file: it is empty"):
        ctl.upload_tde_certificate(mi_id, b"", PASSWORD)
    assert uploads(sb) == []


def test_after_the_upload_the_encrypted_database_restores(sb, c, ctl, mi_id):
    ctl.upload_tde_certificate(mi_id, sb.export_tde_certificate("HRPayroll", PASSWORD), PASSWORD)
    assert len(uploads(sb)) == 1
    ops = c.dms.database_migrations_sql_mi
    ops.begin_create_or_update(
        TARGET_RG, MI, "HRPayroll", c.blob_body("SqlMi", MI, "HRPayroll")
    ).result()
    sb.advance(60)
    m = ops.get(TARGET_RG, MI, "HRPayroll", expand="MigrationStatusDetails")
    assert m.properties.migration_status != "Failed", m.properties.migration_failure_error
    files = [
        f
        for s in m.properties.migration_status_details.active_backup_sets or []
        for f in s.list_of_backup_files
    ]
    assert files and all("certificate" not in str(f) for f in files)


def test_a_lost_answer_is_sent_once_and_told_as_unknown_with_what_azure_holds(sb, ctl, mi_id):
    pfx = sb.export_tde_certificate("HRPayroll", PASSWORD)
    sb.inject(Fault.drop_connection(match="/tdeCertificates", after_processing=True))
    with pytest.raises(WriteFailed) as lost:
        ctl.upload_tde_certificate(mi_id, pfx, PASSWORD)
    assert len(uploads(sb)) == 1
    assert lost.value.accepted is None
    assert "outcome of the TDE certificate upload to sqlmi-contoso-prod is unknown" in (
        lost.value.message
    )
    assert "sqlmi-contoso-prod is Ready" in lost.value.message


def test_the_world_kept_between_runs_holds_the_upload_and_no_secret(tmp_path):
    from tests.helpers.saved_world import Wall, controller_for
    from tui.sandbox.clock import ManualClock
    from tui.sandbox.saved import open_world, world_path

    wall = Wall()
    first, _ = open_world(0, 10.0, make_clock=ManualClock, wall=wall)
    ctl = controller_for(first)
    mi = next(t for t in ctl.list_targets(TargetKind.SQL_MI) if t.name == MI)
    pfx = first.export_tde_certificate("HRPayroll", PASSWORD)
    ctl.upload_tde_certificate(mi.id, pfx, PASSWORD)
    first.save()
    kept = world_path(0).read_bytes()
    assert PASSWORD.encode() not in kept
    assert base64.b64encode(pfx)[:40] not in kept

    again, _ = open_world(0, 10.0, make_clock=ManualClock, wall=wall)
    from tui.sandbox.tde import database_certificate

    thumb = database_certificate(first.world.source, "HRPayroll").thumbprint
    # the source's certificate is the same in every run, and the instance still holds it
    assert database_certificate(again.world.source, "HRPayroll").thumbprint == thumb
    target = next(t for t in again.world.targets if t.name == MI)
    assert thumb in target.engine.certificates
