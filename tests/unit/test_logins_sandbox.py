"""The login step's core against the sandbox's simulated servers: plan, apply, orphaned
users, the export — and no password hash anywhere but the exported script."""

from __future__ import annotations

import stat

import pytest

from tui.logins import tsql
from tui.logins.apply import apply_plan, fix_orphans
from tui.logins.endpoint import endpoint_for
from tui.logins.models import Action, Outcome
from tui.logins.plan import check_domain, make_plan
from tui.models import TargetKind
from tui.sandbox import Sandbox
from tui.sandbox.logins import HOSTILE_LOGIN
from tui.sandbox.sqlserver import copy_for_target


@pytest.fixture
def world():
    sandbox = Sandbox(0)
    source = sandbox.connect(sandbox.source_address)
    mi = next(t for t in sandbox.world.targets if t.kind is TargetKind.SQL_MI)
    vm = next(t for t in sandbox.world.targets if t.kind is TargetKind.SQL_VM)
    # SalesDB as it lands on the managed instance after the migration: its users, same SIDs
    sales = source.get("SalesDB")
    mi.engine.add(copy_for_target(sales, "SalesDB", mi.engine.next_database_id()))
    return sandbox, source, mi.engine, vm.engine


def plan_for(source, target, kind, domain=""):
    return make_plan(
        endpoint_for(source).read_logins(),
        endpoint_for(target).present_logins(),
        kind,
        entra_domain=domain,
        target_databases=target.names(),
        source_machine=source.info.server_name,
    )


def by_name(plan):
    return {i.login.name: i for i in plan}


def test_the_plan_says_what_happens_to_every_login(world):
    _, source, mi, _ = world
    plan = by_name(plan_for(source, mi, TargetKind.SQL_MI))
    # system, certificate and machine accounts are not in the plan at all
    assert not any(n.startswith(("##", "NT ")) or n == "sa" for n in plan)
    assert plan["app_sales"].action is Action.CREATE
    assert "same SID and hashed password" in plan["app_sales"].what
    assert plan["reporting_ro"].action is Action.PRESENT_DIFFERENT  # made by hand there
    assert "never dropped" in plan["reporting_ro"].what
    # without the Entra domain, Windows logins can't be mapped on a managed instance
    assert plan["CONTOSO\\jdoe"].action is Action.SKIP
    assert "Entra domain" in plan["CONTOSO\\jdoe"].what
    assert plan["SQLPROD01\\svc_local"].action is Action.SKIP
    assert "local account" in plan["SQLPROD01\\svc_local"].what
    assert plan["etl_loader"].notes == (
        "default database StagingETL is not on the target: master instead",
    )


def test_with_the_domain_windows_logins_become_entra_logins(world):
    _, source, mi, _ = world
    plan = by_name(plan_for(source, mi, TargetKind.SQL_MI, "contoso.com"))
    assert plan["CONTOSO\\jdoe"].target_name == "jdoe@contoso.com"
    assert plan["CONTOSO\\DBA Team"].target_name == "DBA Team"
    assert plan["CONTOSO\\jdoe"].external


@pytest.mark.parametrize("domain", ["contoso", "contoso..com", "con toso.com", "x.com;--"])
def test_a_bad_domain_names_the_field_and_the_form(domain):
    with pytest.raises(ValueError, match="Microsoft Entra domain .* contoso.com"):
        check_domain(domain)


def test_migrating_logins_to_the_managed_instance_and_fixing_orphaned_users(world):
    _, source, mi, _ = world
    target = endpoint_for(mi)
    # before: SalesDB's users on the instance have no logins there
    orphans = {u.name for u in target.orphaned_users("SalesDB")}
    assert {"app_sales", "CONTOSO\\jdoe", "reporting_ro", "legacy_app"} <= orphans

    plan = plan_for(source, mi, TargetKind.SQL_MI, "contoso.com")
    chosen = [i for i in plan if i.selectable]
    results = {r.name: r for r in apply_plan(target, chosen)}
    assert results["app_sales"].outcome is Outcome.CREATED
    assert results[HOSTILE_LOGIN].outcome is Outcome.CREATED
    assert results["jdoe@contoso.com"].outcome is Outcome.CREATED
    # asmith is not in the Entra directory: refused by the instance, with its number
    assert results["asmith@contoso.com"].outcome is Outcome.FAILED
    assert results["asmith@contoso.com"].code == "33130"
    # a role the instance lacks is reported, the login still made
    assert "etl_operators" in results["etl_loader"].message
    assert mi.login_store.find("app_sales").sid == source.login_store.find("app_sales").sid

    fixed = {r.name: r for r in fix_orphans(target, ["SalesDB"], plan)}
    # app_sales came with its SID: no longer orphaned, nothing to map
    assert "SalesDB: user app_sales" not in fixed
    assert fixed["SalesDB: user CONTOSO\\jdoe"].outcome is Outcome.MAPPED
    assert "jdoe@contoso.com" in fixed["SalesDB: user CONTOSO\\jdoe"].message
    assert fixed["SalesDB: user reporting_ro"].outcome is Outcome.MAPPED
    assert fixed["SalesDB: user legacy_app"].outcome is Outcome.SKIPPED
    left = {u.name for u in target.orphaned_users("SalesDB")}
    assert left == {"legacy_app"}


def test_logins_already_present_are_compared_never_dropped(world):
    _, source, mi, _ = world
    before = mi.login_store.find("reporting_ro")
    plan = plan_for(source, mi, TargetKind.SQL_MI)
    results = apply_plan(endpoint_for(mi), plan)
    assert mi.login_store.find("reporting_ro") is before
    (ro,) = [r for r in results if r.name == "reporting_ro"]
    assert ro.outcome is Outcome.PRESENT
    # running it again creates nothing twice: every login made the first time is present
    again = apply_plan(endpoint_for(mi), plan_for(source, mi, TargetKind.SQL_MI))
    assert not [r for r in again if r.outcome is Outcome.CREATED]


def test_to_a_sql_vm_windows_logins_keep_their_names(world):
    _, source, _, vm = world
    plan = by_name(plan_for(source, vm, TargetKind.SQL_VM))
    assert plan["CONTOSO\\jdoe"].action is Action.CREATE
    assert not plan["CONTOSO\\jdoe"].external
    assert "joined to the domain" in plan["CONTOSO\\jdoe"].what
    results = {r.name: r for r in apply_plan(endpoint_for(vm), plan.values())}
    assert results["CONTOSO\\DBA Team"].outcome is Outcome.CREATED
    assert "sysadmin" in vm.login_store.find("CONTOSO\\DBA Team").roles


def test_sql_database_has_no_logins_to_move(world):
    sandbox, source, _, _ = world
    logical = next(t for t in sandbox.world.targets if t.kind is TargetKind.SQL_DB)
    plan = plan_for(source, logical.engine, TargetKind.SQL_DB)
    assert plan and all(i.action is Action.SKIP for i in plan)
    assert "contained database users" in plan[0].what


def test_no_password_hash_outside_the_exported_script(world, tmp_path):
    _, source, mi, _ = world
    hashes = [
        login.password_hash.hex().upper()
        for login in endpoint_for(source).read_logins()
        if login.password_hash
    ]
    plan = plan_for(source, mi, TargetKind.SQL_MI, "contoso.com")
    results = apply_plan(endpoint_for(mi), [i for i in plan if i.selectable])
    shown = "\n".join(
        [i.what for i in plan]
        + [repr(i) for i in plan]
        + [r.message for r in results]
        + [tsql.create_login(i, hide_hash=True) for i in plan if i.selectable]
    ).upper()
    assert hashes and not any(h[:16] in shown for h in hashes)
    path = tsql.write_script([i for i in plan if i.selectable], "sqlprod01", "sqlmi", tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text().upper()
    exported = [
        i.login.password_hash.hex().upper() for i in plan if i.selectable and i.login.password_hash
    ]
    assert exported and all(h in text for h in exported)
