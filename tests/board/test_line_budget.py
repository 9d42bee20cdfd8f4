"""The line screen's rows shared out (andon/board/line_budget.py), and the screen that
uses them: nothing scrolls, and a section cut short says so in its title."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from andon.board.line_budget import Section, allot, first_rows, fit_rows
from andon.board.widgets.keyed_table import KeyedTable
from tests.board.conftest import AppFactory
from tests.board.pilot import run, screen_text, scrolled


def test_the_floors_come_first_then_the_hours_stops_pareto_and_calls():
    sections = {
        "hours": Section(wants=8, floor=1),
        "pareto": Section(wants=4, floor=1),
        "stops": Section(wants=2, floor=1),
        "calls": Section(wants=6, floor=1),
    }
    assert allot(20, sections) == {"hours": 8, "pareto": 4, "stops": 2, "calls": 6}
    assert allot(12, sections) == {"hours": 8, "pareto": 1, "stops": 2, "calls": 1}
    assert allot(6, sections) == {"hours": 3, "pareto": 1, "stops": 1, "calls": 1}
    # fewer rows than the floors: the floors all the same (such a terminal scrolls)
    assert allot(2, sections) == {"hours": 1, "pareto": 1, "stops": 1, "calls": 1}
    # the Pareto's five longest reasons come before the calls, the rest after them
    wide = {"pareto": Section(wants=9, floor=2), "calls": Section(wants=10, floor=1)}
    assert allot(10, wide) == {"pareto": 5, "calls": 5}
    assert allot(17, wide) == {"pareto": 7, "calls": 10}
    # a section never gets more than it wants, nor a floor above it
    assert allot(30, {"calls": Section(wants=0, floor=1)}) == {"calls": 0}


def test_the_hours_kept_are_the_first_named_then_the_newest_in_their_order():
    heights = [1, 1, 2, 1, 1]
    assert fit_rows(heights, 6) == [0, 1, 2, 3, 4]
    assert fit_rows(heights, 4) == [2, 3, 4]
    assert fit_rows(heights, 3, first=[4, 0]) == [0, 3, 4]
    # a tall row that does not fit is skipped for a smaller one before it
    assert fit_rows(heights, 3) == [1, 3, 4]
    assert fit_rows([], 5) == []


def test_the_first_rows_that_fit_at_least_one():
    assert first_rows([1, 2, 1], 3) == 2
    assert first_rows([1, 2, 1], 10) == 3
    assert first_rows([3, 1], 1) == 1
    assert first_rows([], 4) == 0


@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "de"])
def test_a_short_terminal_cuts_sections_and_says_so_without_scrolling(
    make_app: AppFactory, language: str
):
    """At 80×18 the scripted morning does not fit whole: the current hour and the hours
    waiting for a cause stay, the latest call and the oldest stop stay, the titles say
    how many are left out, and nothing scrolls."""
    app = make_app(start_mode="line", language=language)
    tr = app.tr

    async def check(pilot: Pilot[None]) -> None:
        assert scrolled(app) == []
        text = screen_text(app)
        hours = app.screen.query_one("#hours", KeyedTable)
        assert 0 < hours.row_count < 5
        assert "10:00–11:00 ›" in text  # the current hour
        if hours.row_count > 1:  # German takes a row more for the stations
            assert "(e)" in text  # then an hour waiting for its cause is the next kept
        left_out = 5 - hours.row_count
        title = tr.ngettext(
            "Hourly performance ({count} hour left out)",
            "Hourly performance ({count} hours left out)",
            left_out,
        )
        assert title.format(count=left_out) in text
        calls = app.screen.query_one("#history", KeyedTable)
        assert calls.row_count >= 1 and "10:26" in text  # the latest call
        if calls.row_count < 3:
            title = tr.ngettext(
                "Calls this shift (the latest {shown} of {count})",
                "Calls this shift (the latest {shown} of {count})",
                3,
            )
            assert title.format(shown=calls.row_count, count=3) in text

    run(app, check, size=(80, 18))
