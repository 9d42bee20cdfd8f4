"""The History screen: this shift against last week's, the 4-week Pareto and MTTR trend.

The history is a real SQLite file holding the scripted early shift of line A
(firmware_config/scenarios/shift.toml) twice: a week before, and on the day
itself, as a station's journal would hold two shifts (seqs go on). The board
reads it at 12:00 of the day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.catalogue import BoardCatalogue
from andon.board.history import line_history
from andon.board.screens.history import HistoryScreen
from andon.config.loader import load_board
from andon.domain import events as ev
from andon.historian.errors import TEMPLATES as HISTORY_ERRORS
from andon.historian.report import ReportError
from andon.historian.site import load_site
from andon.historian.stores import open_store
from andon.i18n import translator
from andon.i18n.formats import short_date
from andon.i18n.sentences import translated
from andon.simulate.load import load_scenario
from andon.simulate.runner import SimulationRun, run_scenario
from tests.board.live import until, until_text
from tests.board.pilot import (
    SetClock,
    assert_text_snapshot,
    run,
    screen_text,
    scrolled,
    settle,
)
from tests.support.pace_history import store_back_to_back

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
SCENARIO = ROOT / "firmware_config" / "scenarios" / "shift.toml"
BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def scripted() -> SimulationRun:
    return run_scenario(load_scenario(SCENARIO, DEMO))


@pytest.fixture(scope="module")
def history(scripted: SimulationRun, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The scripted shift a week before (the same file, dated Feb 25), then on Mar 4."""
    folder = tmp_path_factory.mktemp("history")
    week_before = folder / "shift-week-before.toml"
    week_before.write_text(SCENARIO.read_text().replace("2026-03-04T", "2026-02-25T"))
    earlier = run_scenario(load_scenario(week_before, DEMO))
    url = f"sqlite:///{folder / 'history.sqlite'}"
    store_back_to_back(url, earlier, scripted)
    return url


def good_before_noon(scripted: SimulationRun) -> int:
    """Units the counting station A3 journaled from the shift's start to 12:00."""
    key = next(k for k, s in scripted.scenario.stations.items() if k.endswith("a3"))
    return sum(
        j.event.good
        for j in scripted.events[key]
        if isinstance(j.event, ev.Counted) and j.event.at < NOON
    )


def test_the_history_screen_compares_with_last_week_and_shows_four_weeks(
    history: str, scripted: SimulationRun
) -> None:
    catalogue = replace(BoardCatalogue.from_board(load_board(DEMO / "board.toml")), history=history)
    app = BoardApp(catalogue, clock=SetClock(NOON))
    good = good_before_noon(scripted)

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, "History of Assembly line A")
        await until_text(pilot, "Downtime by reason, last 4 weeks")
        text = screen_text(pilot.app)
        assert "History of Assembly line A: shift early from Mar 4, 2026, 06:00" in text
        actual = next(line for line in text.splitlines() if "Actual" in line)
        assert actual.split()[1:4] == [str(good), str(good), "0"]
        downtime = next(line for line in text.splitlines() if "Downtime  " in line)
        # 09:37:30 to 09:55:00 and the help call's 40 s line stop, on both days
        assert "18:10" in downtime
        # The 4-week Pareto: the breakdown of 17.5 min on both days, 35 min together.
        breakdown = next(line for line in text.splitlines() if "Mechanical breakdown" in line)
        assert "35:00" in breakdown
        # The trend: the weeks of Feb 9, 16, 23 and Mar 2 (Monday to Monday); the scripted
        # shift's five calls on Feb 25, and the four of the morning of Mar 4 (MTTR 9:52, as
        # in the comparison above).
        weeks = [line.split() for line in text.splitlines() if "/26 " in line]
        assert [w[:2] for w in weeks] == [
            ["2/9/26", "0"],
            ["2/16/26", "0"],
            ["2/23/26", "5"],
            ["3/2/26", "4"],
        ]
        assert weeks[3][3] == "9:52" and weeks[2][3] != "–"
        await pilot.press("l")
        assert "History of" not in screen_text(pilot.app)

    run(app, check, size=(120, 50))


def test_the_history_screen_reads_again_as_plant_time_goes_on(history: str) -> None:
    """A minute and a half of plant time (the board's clock) is read again within a few
    wall seconds, as under ``andon demo --speed``; another shift is read when it runs."""
    catalogue = replace(BoardCatalogue.from_board(load_board(DEMO / "board.toml")), history=history)
    clock = SetClock(NOON)
    app = BoardApp(catalogue, clock=clock)

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        screen = pilot.app.screen
        assert isinstance(screen, HistoryScreen)

        def read_at(at: datetime) -> bool:
            return screen.history is not None and screen.history.now == at

        await until(pilot, lambda: read_at(NOON))
        clock.advance(90)
        await until(pilot, lambda: read_at(NOON + timedelta(seconds=90)))
        clock.advance(3 * 3600)  # 15:01:30: the late shift runs
        await until_text(pilot, "History of Assembly line A: shift late from Mar 4, 2026, 14:00")

    run(app, check, size=(120, 50))


def test_a_board_without_history_says_so() -> None:
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    app = BoardApp(catalogue, clock=SetClock(NOON))

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, "This board keeps no history")

    run(app, check, size=(120, 30))


def test_the_four_weeks_are_kept_between_reads_of_the_shift(history: str) -> None:
    site = load_site(DEMO)
    with open_store(history) as store:
        first = line_history(store, site, "line-a", NOON)
        later = line_history(store, site, "line-a", NOON + timedelta(hours=1), weeks_of=first)
        other = line_history(store, site, "line-b", NOON, weeks_of=first)
    assert later.weeks is first.weeks and later.pareto is first.pareto
    assert later.this_shift.summary != first.this_shift.summary, "the shift is read again"
    assert other.line == "line-b" and other.weeks is not first.weeks


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "de"])
def test_the_history_screen_reads_as_stored(
    history: str, language: str, size: tuple[int, int]
) -> None:
    """The History screen in every shipped language, stored with the other text snapshots:
    double-width headings and dates keep the columns of the comparison and the trend."""
    board = BoardCatalogue.from_board(load_board(DEMO / "board.toml"), language)
    app = BoardApp(replace(board, history=history), clock=SetClock(NOON))
    head = translator(language).gettext("History of {line}")

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, head.format(line=board.line("line-a").name))  # type: ignore[union-attr]
        await settle(pilot)
        assert_text_snapshot(app, f"{language}/history-{size[0]}x{size[1]}")

    run(app, check, size=size)


def test_a_shift_with_no_events_says_so_in_one_short_sentence(history: str) -> None:
    # A week after the stored day: this shift is empty, last week's is the scripted one.
    catalogue = replace(BoardCatalogue.from_board(load_board(DEMO / "board.toml")), history=history)
    app = BoardApp(catalogue, clock=SetClock(NOON + timedelta(days=7)))

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        sentence = "No events of Assembly line A in the shift from Mar 11, 2026, 06:00."
        await until_text(pilot, sentence)  # the history is read in the background
        text = screen_text(pilot.app)
        assert "line-a" not in text and "2026-03" not in text and "history holds" not in text

    run(app, check, size=(80, 24))


def test_a_line_the_plant_lacks_is_named_with_the_reports_sentence(history: str) -> None:
    site = load_site(DEMO)
    with open_store(history) as store, pytest.raises(ReportError) as raised:
        line_history(store, site, "line-z", NOON)
    assert translated(str(raised.value), HISTORY_ERRORS, translator("de")) == (
        "im Werk demo-plant gibt es keine Linie 'line-z' (seine Linien: line-a, line-b, line-c)"
    )


def test_a_history_that_cannot_be_read_says_why_in_the_boards_language(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite").mkdir()  # a folder where the database should be
    missing = f"sqlite:///{tmp_path / 'history.sqlite'}"
    board = BoardCatalogue.from_board(load_board(DEMO / "board.toml"), "de")
    app = BoardApp(replace(board, history=missing), clock=SetClock(NOON))
    head = translator("de").gettext("The history cannot be read: {error}").split("{")[0]

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, head)
        text = screen_text(pilot.app)
        assert "cannot open" not in text and "cannot connect" not in text, text

    run(app, check, size=(200, 30))


REASON_CODES = ("BRK-TOOL", "BRK-MECH", "MAT-SHORT", "BRK-ELEC", "TRAINING", "MAT-WRONG", "REWORK")
MANY_REASONS = (
    *(
        {"reason": c, "label": None, "seconds": 60.0 * (20 - i), "stops": 1 + i}
        for i, c in enumerate(REASON_CODES)
    ),
    {"reason": "", "label": None, "seconds": 300.0, "stops": 2},
)
"""Eight reasons in four weeks (the demo's), one of them stops without a reason."""


@pytest.mark.parametrize("many", [False, True], ids=["scripted", "eight-reasons"])
@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "de"])
def test_the_history_screen_fits_80_by_24(history: str, language: str, many: bool) -> None:
    """Nothing scrolls: with more reasons than rows, the Pareto sums up the last ones in a
    row of its own and the trend keeps the current week (the last row) on the screen."""
    board = BoardCatalogue.from_board(load_board(DEMO / "board.toml"), language)
    app = BoardApp(replace(board, history=history), clock=SetClock(NOON))
    tr = translator(language)

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, tr.gettext("MTTR trend of the line, last 4 weeks"))
        await until_text(pilot, "9:52")
        if many:
            screen = app.screen
            assert isinstance(screen, HistoryScreen) and screen.history is not None
            screen.history = replace(screen.history, pareto=MANY_REASONS)
            screen.redraw()
            await settle(pilot)
        assert scrolled(app) == []
        rows = screen_text(app).splitlines()
        assert rows[-2].split()[:2] == [short_date(NOON - timedelta(days=2), language), "4"]
        if many:
            shown = [row for row in rows if "×" in row]
            assert 1 < len(shown) < len(MANY_REASONS), shown
            more = tr.ngettext("… {count} more reason", "… {count} more reasons", 9 - len(shown))
            assert more.split("{")[0] in shown[-1], shown
            assert "100" in shown[-1], shown

    run(app, check, size=(80, 24))
