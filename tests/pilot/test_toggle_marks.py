"""Radio buttons, check boxes and the database list show their state in the glyph as well as
its colour: ● chosen / ○ not, X ticked / blank not — readable on a 16-colour terminal."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton, SelectionList

from tests.helpers.wizard_pilot import wait_for
from tests.helpers.wizard_projects import opened_at


def glyph(button) -> str:
    """The character inside the button's brackets, as drawn."""
    drawn = str(button.render())
    return drawn[drawn.index("▐") + 1]


async def test_mode_radio_buttons_show_which_is_chosen(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 7) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.existing is not None, what="settings")
        online = app.screen.query_one("#mode-online", RadioButton)
        offline = app.screen.query_one("#mode-offline", RadioButton)
        assert online.value and (glyph(online), glyph(offline)) == ("●", "○")
        offline.value = True
        await wait_for(pilot, lambda: (glyph(online), glyph(offline)) == ("○", "●"), what="marks")


async def test_a_check_box_shows_ticked_or_not(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 4) as (app, pilot):
        encrypt = app.screen.query_one("#encrypt", Checkbox)
        before = encrypt.value
        assert glyph(encrypt) == ("X" if before else " ")
        encrypt.toggle()
        await wait_for(pilot, lambda: glyph(encrypt) == ("X" if not before else " "), what="mark")


async def test_the_database_list_marks_selected_rows(context, sandbox, ids):
    async with opened_at(context, sandbox, ids, 6) as (app, pilot):
        await wait_for(pilot, lambda: app.wizard.inventory, what="databases")
        databases = app.screen.query_one("#databases", SelectionList)
        await pilot.pause()

        def marks() -> dict[str, str]:
            found = {}
            for y in range(databases.option_count):
                text = "".join(s.text for s in databases.render_line(y))
                name = str(databases.get_option_at_index(y).prompt).split()[0]
                found[name] = text[text.index("▐") + 1]
            return found

        online = app.screen.query_one("#db-mode-online", RadioButton)
        offline = app.screen.query_one("#db-mode-offline", RadioButton)
        assert {glyph(online), glyph(offline)} == {"●", "○"}
        assert glyph(online if online.value else offline) == "●"
        chosen = set(app.wizard.project.databases)
        assert chosen and all((m == "X") == (n in chosen) for n, m in marks().items())
        assert " " in marks().values()
