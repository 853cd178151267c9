"""The keyed table redraws only the cells that changed, and never shows a stale one: a row
that changed on screen shows its new text at once, one that changed out of sight shows it
when scrolled to, and the cells that did not change keep their drawing."""

from __future__ import annotations

from textual.app import App, ComposeResult

from widgets.progress_table import KeyedTable


class _TableApp(App):
    def compose(self) -> ComposeResult:
        yield KeyedTable(("Name", "State", "Elapsed"), widths=(None, 10, 8), id="t")


def _rows(n: int, elapsed: str, state=lambda i: "Running") -> dict[str, tuple[str, ...]]:
    return {f"k{i:03d}": (f"Db{i:03d}", state(i), elapsed) for i in range(n)}


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_changed_cells_show_on_screen_and_out_of_sight_after_a_scroll():
    app = _TableApp()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(KeyedTable)
        table.sync(_rows(30, "1m"))
        await _settle(pilot)
        assert "Db000" in table.render_line(1).text and "1m" in table.render_line(1).text
        # a refresh: every row's elapsed time moves, one row far down changes state too
        assert table.sync(_rows(30, "2m", lambda i: "Failed" if i == 25 else "Running"))
        assert table.updates == 31
        await _settle(pilot)
        line = table.render_line(1).text
        assert "Db000" in line and "Running" in line and "2m" in line and "1m" not in line
        await pilot.press("ctrl+end")  # the cursor to the last row: the table scrolls down
        await _settle(pilot)
        shown = [table.render_line(y).text for y in range(1, table.size.height)]
        row25 = next(text for text in shown if "Db025" in text)
        assert "Failed" in row25 and "2m" in row25
        assert all("1m" not in text for text in shown)
        # nothing changed: nothing written
        assert not table.sync(_rows(30, "2m", lambda i: "Failed" if i == 25 else "Running"))
        assert table.updates == 0
