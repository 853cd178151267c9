"""Readiness follows the chosen mode, and a TDE certificate on the target clears its blocker:
the summary's checks (``WizardState.problems``) say so after step 7 changed the mode."""

from __future__ import annotations

from dataclasses import replace

from tests.helpers.source_fakes import db
from tests.helpers.wizard_state import MI, state
from tui.models import ServerInfo, Severity, TargetKind
from tui.readiness import assess_both
from tui.source import rules

SERVER = ServerInfo(server="sql01", version="16.0.4135.4", major_version=16)


class RulesOnly:
    """A source that only assesses (what step 6's worker asks of it)."""

    def assess(self, database, target, *, online=True):
        return rules.assess(SERVER, database, target, online=online)


def read_on_step_6(s, **facts):
    for name in s.project.databases:
        inventory = replace(db(name, 5), **facts.get(name, {}))
        s.readiness[name] = assess_both(RulesOnly(), inventory, TargetKind.SQL_MI)


def test_simple_recovery_blocks_online_only_and_the_summary_says_which_mode_helps():
    s = state(mode="offline")
    read_on_step_6(s, HR={"recovery_model": "SIMPLE"})
    assert not [p for p in s.problems() if p.startswith("Databases")]

    s.settings.mode = "online"  # changed on step 7, after step 6 read the findings
    found = [p for p in s.problems() if p.startswith("Databases")]
    assert len(found) == 1
    assert "HR can't be migrated online" in found[0]
    assert "ALTER DATABASE [HR] SET RECOVERY FULL;" in found[0]
    assert "choose offline on step 7" in found[0]


def test_offline_still_checks_the_backups():
    s = state(mode="offline")
    read_on_step_6(s, HR={"last_full": None})
    found = [p for p in s.problems() if p.startswith("Databases")]
    assert len(found) == 1 and "HR has no full backup" in found[0]
    assert "choose online" not in found[0]  # no backup is a blocker in both modes


def test_a_tde_certificate_on_this_target_turns_the_blocker_into_a_note():
    s = state()
    read_on_step_6(s, HR={"is_encrypted": True})
    assert [f.severity for f in s.findings("HR") if f.rule_id == "tde"] == [Severity.BLOCKER]
    assert any("HR is encrypted with TDE" in p for p in s.problems())

    s.certificate_on_target("HR")
    assert s.settings.tde_certificates == {"HR": MI}
    tde = [f for f in s.findings("HR") if f.rule_id == "tde"]
    assert tde[0].severity is Severity.INFO and "uploaded to mi1" in tde[0].message
    assert not [p for p in s.problems() if p.startswith("Databases")]

    s.project.target_id = MI.replace("mi1", "mi2")  # another instance has no certificate
    assert [f.severity for f in s.findings("HR") if f.rule_id == "tde"] == [Severity.BLOCKER]
