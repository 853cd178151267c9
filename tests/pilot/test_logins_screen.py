"""The login step from the monitor, at 80x24 in the sandbox: read, plan, create, map the
orphaned users, export — with no password hash on screen."""

from __future__ import annotations

import stat

from textual.widgets import SelectionList, Static

from screens.logins import LoginsScreen
from tests.helpers.sandbox_migrations import open_monitor, settle, start
from tui.app import DmsTuiApp
from tui.models import TargetKind
from tui.sandbox.sqlserver import copy_for_target


def screen_text(app) -> str:
    statics = [str(w.render()) for w in app.screen.query(Static)]
    options = [
        str(plan.get_option_at_index(i).prompt)
        for plan in app.screen.query(SelectionList)
        for i in range(plan.option_count)
    ]
    return "\n".join(statics + options)


async def wait_until(pilot, predicate, limit=400):
    for _ in range(limit):
        if predicate():
            return
        await pilot.pause()
    raise AssertionError("never reached")


async def test_logins_move_to_the_managed_instance_from_the_monitor(
    context, sandbox, tmp_path, dms_home
):
    mig = start(context.azure, sandbox, TargetKind.SQL_MI, "SalesDB")
    mi = next(t for t in sandbox.world.targets if t.kind is TargetKind.SQL_MI)
    # the database as restored on the instance: its users came along, their logins did not
    source_db = sandbox.connect(sandbox.source_address).get("SalesDB")
    mi.engine.add(copy_for_target(source_db, "SalesDB", mi.engine.next_database_id()))
    hashes = [
        x.password_hash.hex().upper()
        for x in sandbox.connect(sandbox.source_address).read_logins()
        if x.password_hash
    ]
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig, export_folder=tmp_path)
        await pilot.press("g")
        await pilot.pause()
        assert "Create logins on" in screen_text(app)  # which login to use on the target
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginsScreen))
        logins = app.screen
        await settle(app, pilot)
        await wait_until(pilot, lambda: logins.reading is not None)
        text = screen_text(app)
        assert "app_sales: create, same SID and password" in text
        assert "CONTOSO\\jdoe: skipped — Windows logins map to Microsoft Entra" in text
        # every row can be highlighted; the line under the list holds the whole plan line
        plan = logins.query_one(SelectionList)
        plan.focus()
        row = next(n for n, i in enumerate(logins.plan) if i.login.name == "reporting_ro")
        plan.highlighted = row
        await pilot.pause()
        detail = str(logins.query_one("#logins-detail", Static).render())
        assert detail.startswith("reporting_ro (SQL login) → reporting_ro: on the target with")
        await pilot.press("space")  # can't be picked: it says why, and stays unpicked
        await pilot.pause()
        assert row not in plan.selected
        assert "reporting_ro can't be picked: on the target with a different SID" in (
            screen_text(app)
        )
        # the domain maps Windows logins to Microsoft Entra; a bad one names the field
        await pilot.click("#logins-domain")
        await pilot.press(*"contoso")
        await pilot.pause()
        assert "Entra domain: Microsoft Entra domain 'contoso' is not a domain name" in (
            screen_text(app)
        )
        await pilot.press(*".com")
        await pilot.pause()
        assert "CONTOSO\\jdoe: create as Entra jdoe@contoso.com" in screen_text(app)
        chosen = [logins.plan[n].login.name for n in logins.query_one(SelectionList).selected]
        assert "app_sales" in chosen and "reporting_ro" not in chosen  # present: not offered
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert "Create" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await settle(app, pilot)
        await wait_until(pilot, lambda: not logins.busy)
        results = str(logins.query_one("#logins-results", Static).render())
        assert "✓ app_sales: created" in results
        assert "✗ asmith@contoso.com: failed" in results and "[33130]" in results
        assert mi.engine.login_store.find("jdoe@contoso.com") is not None
        # the plan now shows them as present: nothing would be created twice
        assert "app_sales: already on the target" in screen_text(app)

        await pilot.press("ctrl+u")
        await settle(app, pilot)
        await wait_until(pilot, lambda: not logins.busy)
        results = str(logins.query_one("#logins-results", Static).render())
        assert "SalesDB: user CONTOSO\\jdoe: mapped — mapped to login jdoe@contoso.com" in results
        assert "SalesDB: user legacy_app: skipped" in results

        await pilot.press("ctrl+e")
        await settle(app, pilot)
        status = str(logins.query_one("#logins-status", Static).render())
        assert "written to" in status and "owner-only" in status
        (script,) = tmp_path.glob("logins-*.sql")
        assert stat.S_IMODE(script.stat().st_mode) == 0o600

        shown = screen_text(app).upper()
        assert hashes and not any(h[:16] in shown for h in hashes)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is monitor
    # no file the app wrote holds a hash, but the export
    written = [p for p in [*tmp_path.rglob("*"), *dms_home.rglob("*")] if p.is_file()]
    for path in written:
        data = path.read_bytes().hex().upper() + path.read_bytes().decode("latin-1").upper()
        leaked = [h for h in hashes if h[:16] in data]
        assert path == script or not leaked, f"{path} holds a password hash"
    assert written  # the export at least: the scan looked at something


async def test_sql_database_migrations_have_no_logins_to_move(context, sandbox):
    mig = start(context.azure, sandbox, TargetKind.SQL_DB, "SalesDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await open_monitor(app, pilot, mig)
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is monitor
        assert "no server logins to move" in monitor.last_note
