"""Every valid change on a step is on disk moments after it is made, so an app that ends
without quitting (a dropped SSH session) resumes with what was on screen; Back keeps only
what passes the step's checks and never renames, overwrites or rewinds."""

from __future__ import annotations

from textual.widgets import Input, RadioButton, Select

from tests.helpers.autosave import LAST_FILE, saved_settings, step7_is_saved, step7_settings
from tests.helpers.wizard_pilot import error_text, step_is, wait_for
from tests.helpers.wizard_projects import app_for, opened, project_at
from tui.projects import Project, load_project, project_path, save_project


async def edit_step7(pilot) -> None:
    """Offline, the container sqlmigration, and a last backup file typed by hand."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.existing is not None, what="settings loaded")
    await pilot.press("down", "enter")  # Mode: Offline
    await pilot.press("tab", "tab", "tab", "enter", *"sqlm", "enter")
    await wait_for(pilot, lambda: app.screen.query_one("#container").value == "sqlmigration")
    box = app.screen.query_one("#last-0", Input)
    box.focus()
    await pilot.press("ctrl+a", "ctrl+k", *LAST_FILE)
    await wait_for(pilot, lambda: box.value == LAST_FILE)


async def test_step7_changes_survive_an_app_that_ends_without_quitting(context, sandbox, ids):
    project_at(7, sandbox, ids, settings=step7_settings(ids))
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 7)
        await edit_step7(pilot)
        # on disk while the app still runs: nothing waits for a quit
        await wait_for(pilot, step7_is_saved, what="step 7 saved")
        assert step_is(app, 7)
    # the run ends here without ctrl+q: no quit action ran

    again = app_for(context)
    async with again.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 7)
        screen = again.screen
        assert screen.query_one("#mode-offline", RadioButton).value
        await wait_for(
            pilot,
            lambda: screen.query_one("#container", Select).value == "sqlmigration",
            what="container shown again",
        )
        assert screen.query_one("#last-0", Input).value == LAST_FILE
        assert screen.query_one("#last-0", Input).parent.display  # offline: the row shows


async def test_an_invalid_value_is_not_saved_and_the_valid_one_stays(context, sandbox, ids):
    settings = step7_settings(ids) | {
        "mode": "offline",
        "container": "sqlmigration",
        "last_backup": {"SalesDB": LAST_FILE},
    }
    project_at(7, sandbox, ids, settings=settings)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 7)
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings loaded")
        box = app.screen.query_one("#name-0", Input)
        box.focus()
        # every prefix typed starts with a bracket: each one is refused by the check
        await pilot.press("ctrl+a", "ctrl+k", *"[Sales]")
        last = app.screen.query_one("#last-0", Input)
        last.focus()
        await pilot.press("ctrl+a", "ctrl+k")  # a blank last backup file: refused too
        app.screen.query_one("#blob-auth").focus()
        await pilot.press("down", "enter")  # a valid change on the same step: saved
        await wait_for(
            pilot,
            lambda: saved_settings().get("blob_auth") == "ManagedIdentity",
            what="the valid change saved",
        )
        assert saved_settings()["target_names"] == {"SalesDB": "SalesDB"}
        assert saved_settings()["last_backup"] == {"SalesDB": LAST_FILE}
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 6))
    saved = load_project("payroll")
    assert saved.settings.target_names == {"SalesDB": "SalesDB"}
    assert saved.settings.last_backup == {"SalesDB": LAST_FILE}
    assert saved.step == 7 and saved.resume_step == 6


async def test_esc_on_step_3_after_a_stray_key_does_not_rename(context, sandbox, ids):
    project_at(4, sandbox, ids, migration_ids=["/m/1"])
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 4)
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 3))
        await pilot.press("x")  # the name is selected on focus: a stray key replaces it
        assert app.screen.query_one("#project-name", Input).value == "x"
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 2))
        assert any("Back never renames" in str(n.message) for n in app._notifications)
    assert not project_path("x").exists()
    saved = load_project("payroll")
    assert saved.step == 4, "Back does not lower the step reached"
    assert saved.migration_ids == ["/m/1"]


async def test_esc_with_another_projects_name_leaves_both_alone(context, sandbox, ids):
    save_project(Project(name="hr", step=9, sandbox=True, migration_ids=["/m/hr"]))
    hr_before = project_path("hr").read_bytes()
    project_at(4, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 4)
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 3))
        await pilot.press("ctrl+a", "ctrl+k", *"hr")
        await pilot.press("escape")
        await wait_for(pilot, lambda: step_is(app, 2))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 3))
        assert app.screen.query_one("#project-name", Input).value == "payroll"
    assert project_path("hr").read_bytes() == hr_before
    assert load_project("hr").migration_ids == ["/m/hr"]
    assert load_project("payroll").name == "payroll"


async def test_next_with_a_changed_name_asks_for_the_rename_key(context, sandbox, ids):
    project_at(3, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 3)
        await pilot.press("x", "ctrl+n")
        await wait_for(pilot, lambda: "Ctrl+R to rename" in error_text(app))
        assert step_is(app, 3)
    assert not project_path("x").exists() and project_path("payroll").exists()


async def test_rename_refuses_a_taken_name_and_renames_to_a_free_one(context, sandbox, ids):
    save_project(Project(name="hr", step=9, sandbox=True, migration_ids=["/m/hr"]))
    hr_before = project_path("hr").read_bytes()
    project_at(3, sandbox, ids, migration_ids=["/m/payroll"])
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 3)
        await pilot.press("ctrl+a", "ctrl+k", *"hr", "ctrl+r")
        await wait_for(
            pilot,
            lambda: (
                "hr is already a saved project" in error_text(app)
                and "Nothing was renamed" in error_text(app)
            ),
        )
        assert project_path("hr").read_bytes() == hr_before
        await pilot.press("ctrl+a", "ctrl+k", *"payroll-2026", "ctrl+r")
        await wait_for(pilot, lambda: project_path("payroll-2026").exists())
        await wait_for(pilot, lambda: not project_path("payroll").exists())
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: step_is(app, 4))
    renamed = load_project("payroll-2026")
    assert renamed.migration_ids == ["/m/payroll"] and renamed.step == 4
    assert load_project("hr").migration_ids == ["/m/hr"]


async def test_a_new_project_never_takes_an_existing_name(context, sandbox):
    from tests.helpers.wizard_pilot import pick_existing_service, scope_and_provider

    save_project(Project(name="hr", step=9, sandbox=True, migration_ids=["/m/hr"]))
    hr_before = project_path("hr").read_bytes()
    app = app_for(context, project=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await scope_and_provider(pilot, sandbox)
        await pick_existing_service(pilot)
        await pilot.press(*"hr", "enter")
        await wait_for(pilot, lambda: "hr is already a saved project" in error_text(app))
        await pilot.press("escape")  # Back with that name typed: nothing written
        await wait_for(pilot, lambda: step_is(app, 2))
    assert project_path("hr").read_bytes() == hr_before


async def test_a_jump_from_the_palette_is_where_the_project_resumes(context, sandbox, ids):
    from tests.helpers.wizard_pilot import on_screen

    project_at(6, sandbox, ids)
    app = app_for(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, 6)
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"go to step 1/9")
        await wait_for(
            pilot,
            lambda: (
                "Go to step 1/9"
                in str(app.screen.query_one("CommandList").get_option_at_index(0).prompt)
            ),
            what="the palette's match",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: step_is(app, 1))
        await wait_for(
            pilot, lambda: load_project("payroll").resume_step == 1, what="the jump saved"
        )
    saved = load_project("payroll")
    assert saved.resume_step == 1 and saved.step == 6
