"""A station that never sent its state shows NO DATA, never zeros (docs/figures.md)."""

from __future__ import annotations

from andon.board.model import BoardModel
from andon.board.widgets.line_card import figure_items, station_items
from andon.i18n import translator
from tests.board import factory as f
from tests.board.test_model import make_catalogue


def test_a_station_heard_without_state_shows_no_data() -> None:
    model = BoardModel(make_catalogue())
    model.ingest(f.topic("status", station="a1"), f.status(True, station="a1"), f.at(0))
    model.ingest(f.topic("state"), f.state(seq=1), f.at(0))
    line = model.view(f.at(1)).line("line-a")
    assert line is not None
    items = [t.plain for t in station_items(line, translator("en"))]
    assert items == ["a1 ? NO DATA", "a3 ✓"]


def test_a_line_without_its_counting_stations_state_shows_no_figures() -> None:
    model = BoardModel(make_catalogue())
    model.ingest(f.topic("status"), f.status(True), f.at(0))
    line = model.view(f.at(1)).line("line-a")
    assert line is not None and line.kpi is None and line.pareto == ()
    text = " ".join(t.plain for t in figure_items(line, translator("en")))
    assert "0%" not in text and "waiting for the counting station" in text
