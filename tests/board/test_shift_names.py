"""A shift's name as the plant gives it in the reader's language (``names``), on the board,
the web line page and the reports; its key stays the data's (pilot, no broker)."""

from __future__ import annotations

import dataclasses
import tomllib

from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.config.calendar import ShiftConfig
from andon.config.loader import load_plant
from andon.historian.words import ReportWords
from andon.notify.report_text import report_title
from tests.board.pilot import RecordingSender, SetClock, run, screen_text
from tests.board.scenario import BOARD_NOW, catalogue, fed_model

DEMO_PLANT = "firmware_config/demo/plant.toml"


def test_the_demo_plant_names_its_shifts_in_every_shipped_language():
    plant = load_plant(DEMO_PLANT)
    names = {s.name: s.names for s in plant.calendar.shifts}
    assert set(names) == {"early", "late", "night"}
    for translations in names.values():
        assert set(translations) == {"zh_CN", "zh_TW", "de"}
    assert plant.calendar.shift_name("early", "zh_CN") == "早班"
    assert plant.calendar.shift_name("night", "de") == "Nacht"
    assert plant.calendar.shift_name("early", "en") == "early"
    assert plant.calendar.shift_name("not-a-shift", "de") == "not-a-shift"


def test_a_shift_without_names_reads_as_its_key():
    with open(DEMO_PLANT, "rb") as file:
        shift = dict(tomllib.load(file)["calendar"]["shifts"][0])
    shift.pop("names")
    shift.pop("stops", None)
    assert ShiftConfig.model_validate(shift).name_in("zh_CN") == "early"


def test_the_line_screen_and_card_name_the_shift_in_the_boards_language():
    cat = catalogue("board.toml", "zh_CN")
    assert cat.shifts.get("early") == "early"  # the test plant gives no names
    cat = dataclasses.replace(cat, shifts={"early": "早班"})
    app = BoardApp(
        cat,
        model=fed_model(cat),
        sender=RecordingSender(),
        clock=SetClock(BOARD_NOW),
        operator="Mehmet Yilmaz",
        start_mode="line",
    )

    async def check(pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "班次 早班" in text and "班次 early" not in text, text

    run(app, check, size=(120, 40))


def test_the_shift_end_report_title_names_the_shift_in_its_language():
    words = ReportWords("de", load_plant(DEMO_PLANT))
    report = {
        "scope": {"kind": "line", "id": "line-a"},
        "period": {"shift": "early", "start": "2026-12-08T06:00:00+01:00"},
    }
    title = report_title(report, words)
    assert "Früh" in title and "early" not in title, title
