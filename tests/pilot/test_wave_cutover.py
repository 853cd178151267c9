"""A cutover wave in the sandbox, driven with the keyboard: every database through the same
tail-log gate, one confirmation, one cutover request each, and the timeline exported."""

from __future__ import annotations

import json
import stat

from textual.widgets import Button, Checkbox

from screens.target_login import TargetLoginScreen
from tests.helpers.sandbox_migrations import (
    advance_until,
    advance_until_tail_restored,
    settle,
    take_tail,
    text_of,
)
from tests.helpers.wave_pilot import APP_DATABASES, open_wave, start_application, wait_until
from tui.app import DmsTuiApp
from tui.wave import FAILED, REFUSED


def cutover_posts_for(sandbox) -> dict[str, int]:
    posts: dict[str, int] = {}
    for r in sandbox.requests:
        if r.method.upper() == "POST" and r.path.lower().endswith("/cutover"):
            db = r.path.rsplit("/databaseMigrations/", 1)[1].split("/", 1)[0]
            posts[db] = posts.get(db, 0) + 1
    return posts


async def advance_wave(app, pilot, dialog, sandbox, seconds=5):
    sandbox.advance(seconds)
    await dialog.refresh_once()
    await pilot.pause()


async def test_a_wave_of_three_cuts_over_once_each_after_the_last_tail_log(
    context, sandbox, tmp_path
):
    migs = start_application(context, sandbox)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor, dialog = await open_wave(app, pilot, migs, "sales-app", export_folder=tmp_path)
        button = dialog.query_one("#wave-confirm", Button)
        assert button.disabled
        assert app.focused is dialog.query_one("#wave-name")

        # tail-logs are refused until traffic is stopped
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is dialog
        assert "Tick step 1 first" in text_of(dialog, "#wave-why")

        dialog.query_one("#wave-stopped", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        question = text_of(app.screen, "#confirm-question")
        assert all(db in question for db in APP_DATABASES)
        assert "NORECOVERY" in question
        await pilot.press("y")
        await settle(app, pilot)
        tails = {m.database: m.tail_file for m in dialog.wave.members.values()}
        assert all(tails.values()), tails
        src = sandbox.sql_server(sandbox.source_address)
        assert {d.name: d.state for d in src.databases() if d.name in APP_DATABASES} == {
            db: "RESTORING" for db in APP_DATABASES
        }

        # the name is typed: only the gate holds the button now
        await pilot.click("#wave-name")
        await pilot.press(*"sales-app")
        restored_counts = []
        for _ in range(200):
            restored = sum(1 for m in dialog.wave.members.values() if not m.blockers)
            if restored == 3:
                break
            assert button.disabled, f"enabled with {restored} of 3 restored"
            restored_counts.append(restored)
            await advance_wave(app, pilot, dialog, sandbox)
        assert restored == 3
        assert 2 in restored_counts or 1 in restored_counts  # one by one, not all at once
        assert not button.disabled
        assert "tail-log restored ✓" in str(dialog.wave.rows())
        assert cutover_posts_for(sandbox) == {}

        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # a second Enter sends nothing more
        await settle(app, pilot)
        assert cutover_posts_for(sandbox) == {db: 1 for db in APP_DATABASES}
        assert {row[-1] for row in dialog.wave.rows().values()} == {"Completing"}

        for _ in range(100):
            if all(m.succeeded_at for m in dialog.wave.members.values()):
                break
            await advance_wave(app, pilot, dialog, sandbox, 15)
        assert [m.detail.status for m in dialog.wave.members.values()] == ["Succeeded"] * 3
        assert all(row[-1] == "Succeeded ✓" for row in dialog.wave.rows().values())
        assert "Downtime of the wave" in text_of(dialog, "#wave-timeline")

        # then the row counts of them all: the target's login asked once (Enter accepts it)
        await wait_until(pilot, lambda: isinstance(app.screen, TargetLoginScreen), "login")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        verdicts = [m.validation for m in dialog.wave.members.values()]
        assert all(v.startswith("all ") and "tables match" in v for v in verdicts), verdicts
        assert "SalesDB: rows — all" in text_of(dialog, "#wave-blockers")

        await pilot.press("ctrl+o")
        await settle(app, pilot)
        md = next(tmp_path.glob("wave-sales-app-*.md"))
        js = next(tmp_path.glob("wave-sales-app-*.json"))
        for f in (md, js):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600
        doc = json.loads(js.read_text())
        events = [(e["what"], e["database"]) for e in doc["timeline"]]
        assert events.count(("traffic stopped", "")) == 1
        for db in APP_DATABASES:
            for what in (
                "tail-log taken",
                "tail-log restored",
                "cutover sent",
                "cutover succeeded",
            ):
                assert events.count((what, db)) == 1, (what, db, events)
        taken = [e for e in doc["timeline"] if e["what"] == "tail-log taken"]
        assert all(e["file"] == tails[e["database"]] and e["lsn"] for e in taken)
        assert all(d["downtime_seconds"] > 0 for d in doc["databases"])
        assert doc["wave_downtime_seconds"] == max(d["downtime_seconds"] for d in doc["databases"])
        text = md.read_text()
        assert "# Cutover wave sales-app" in text
        assert all(tails[db] in text for db in APP_DATABASES)
        assert "secret" not in text.lower() and "secret" not in js.read_text().lower()


async def test_a_database_with_a_log_backup_pending_is_left_out_only_when_confirmed(
    context, sandbox
):
    c = context.controller
    migs = start_application(context, sandbox)
    sales, orders, billing = migs
    for m in (sales, orders):
        tail = take_tail(sandbox, m.target_database)
        advance_until_tail_restored(c, sandbox, m.id, tail)
    sandbox.take_log_backup("BillingDB")  # listed by DMS, not restored yet: pending
    advance_until(c, sandbox, billing.id, lambda d: (d.pending_log_backups or 0) >= 1, step=5)
    take_tail(sandbox, "BillingDB")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor, dialog = await open_wave(app, pilot, migs, "sales-app")
        dialog.query_one("#wave-stopped", Checkbox).value = True
        await pilot.press("ctrl+r")  # each tail-log from the source's backup history
        await settle(app, pilot)
        assert all(m.tail is not None for m in dialog.wave.members.values())
        button = dialog.query_one("#wave-confirm", Button)
        await pilot.click("#wave-name")
        await pilot.press(*"sales-app", "enter")
        await settle(app, pilot)
        assert button.disabled and app.screen is dialog
        reasons = text_of(dialog, "#wave-blockers")
        assert "BillingDB: 1 log backup is still waiting to be restored." in reasons
        assert "waiting for BillingDB" in text_of(dialog, "#wave-why")
        assert cutover_posts_for(sandbox) == {}

        await pilot.press("ctrl+l")
        await pilot.pause()
        question = text_of(app.screen, "#confirm-question")
        assert "WITHOUT BillingDB" in question
        assert "1 log backup is still waiting to be restored" in question
        await pilot.press("n")  # not confirmed: still nothing can go
        await pilot.pause()
        assert button.disabled

        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not button.disabled
        assert "BillingDB left out" in text_of(dialog, "#wave-why")
        dialog.query_one("#wave-name").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert cutover_posts_for(sandbox) == {"SalesDB": 1, "OrdersDB": 1}
        rows = dialog.wave.rows()
        assert rows[billing.id.lower()][-1] == "left out"
        assert "1 log backup is still waiting" in text_of(dialog, "#wave-blockers")
        for _ in range(100):
            if all(dialog.wave.member(m.id).succeeded_at for m in (sales, orders)):
                break
            await advance_wave(app, pilot, dialog, sandbox, 15)
        assert c.get_migration(billing.id).status != "Succeeded"
        assert cutover_posts_for(sandbox) == {"SalesDB": 1, "OrdersDB": 1}


async def test_a_refusal_at_the_re_read_sends_nothing_for_that_one_and_the_others_go(
    context, sandbox
):
    c = context.controller
    migs = start_application(context, sandbox)
    for m in migs:
        tail = take_tail(sandbox, m.target_database)
        advance_until_tail_restored(c, sandbox, m.id, tail)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor, dialog = await open_wave(app, pilot, migs, "sales-app")
        dialog.query_one("#wave-stopped", Checkbox).value = True
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.click("#wave-name")
        await pilot.press(*"sales-app")
        await pilot.pause()
        assert not dialog.query_one("#wave-confirm", Button).disabled
        sandbox.fail_migration("BillingDB")  # after the dialog's last read
        await pilot.press("enter")
        await settle(app, pilot)
        assert cutover_posts_for(sandbox) == {"SalesDB": 1, "OrdersDB": 1}
        billing = dialog.wave.member(migs[2].id)
        assert billing.outcome == REFUSED != FAILED
        assert "Failed, not in progress" in billing.reason
        assert "BillingDB: cutover refused" in text_of(dialog, "#wave-blockers")
        states = {m.database: m.outcome for m in dialog.wave.members.values()}
        assert states["SalesDB"] == states["OrdersDB"] == "cutover sent"


async def test_a_wave_is_saved_in_the_project_and_opened_again_from_it(context, sandbox):
    from screens.monitor import MonitorScreen
    from screens.wave_cutover import WaveCutoverScreen
    from tui.projects import Project, load_project, save_project

    migs = start_application(context, sandbox)
    project = Project(
        name="sales",
        sandbox=True,
        service_id=migs[0].migration_service_id,
        migration_ids=[m.id for m in migs],
    )
    save_project(project)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        _monitor, dialog = await open_wave(app, pilot, migs[:2], "sales-core", project=project)
        await pilot.press("escape")
        await settle(app, pilot)
        assert load_project("sales").waves == {"sales-core": ["SalesDB", "OrdersDB"]}

    project = load_project("sales")
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(project=project, interval=3600)
        await app.push_screen(monitor)
        await pilot.pause()
        await monitor.refresh_once()
        await pilot.press("w")  # nothing marked: the saved waves
        await wait_until(pilot, lambda: type(app.screen).__name__ == "WavePickScreen", "picker")
        assert "sales-core: SalesDB, OrdersDB" in str(
            app.screen.query_one("#wave-pick-saved").get_option_at_index(0).prompt
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, WaveCutoverScreen), "wave")
        assert app.screen.wave.databases == ["SalesDB", "OrdersDB"]
        assert app.screen.wave.name == "sales-core"


async def test_only_online_mi_or_vm_migrations_are_marked_and_a_wave_needs_a_usable_name(
    context, sandbox
):
    from screens.monitor import MonitorScreen
    from tests.helpers.sandbox_migrations import start
    from tui.models import TargetKind
    from widgets.progress_table import KeyedTable

    c = context.controller
    mi = start(c, sandbox, TargetKind.SQL_MI, "SalesDB")
    sqldb = start(c, sandbox, TargetKind.SQL_DB, "StagingETL", online=False)
    app = DmsTuiApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = MonitorScreen(
            migration_ids=[mi.id, sqldb.id], service_id=mi.migration_service_id, interval=3600
        )
        await app.push_screen(monitor)
        await monitor.refresh_once()
        table = monitor.query_one("#migrations", KeyedTable)
        table.select_key(sqldb.id.lower())
        await pilot.pause()
        await pilot.press("space")
        assert monitor.marked == set()
        assert "Not marked for a wave: Azure SQL Database migrations are offline" in (
            monitor.last_note
        )
        await pilot.press("w")
        assert "No wave: mark the migrations" in monitor.last_note

        table.select_key(mi.id.lower())
        await pilot.pause()
        await pilot.press("space")
        assert monitor.marked == {mi.id.lower()}
        assert "• SalesDB" in str(table.get_row(mi.id.lower())[0])
        await pilot.press("w")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "WavePickScreen", "picker")
        await pilot.press("ctrl+u", *"night of", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WavePickScreen"
        assert "Wave name: use letters, digits" in text_of(app.screen, "#wave-pick-why")
