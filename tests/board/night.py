"""A night shift seen at 05:34: the counting station of line C since 22:00 the day before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.domain import commands as cmd
from tests.board.scenario import SimStation, SimTime

NIGHT_START = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
"""22:00 in Berlin on Tuesday 24 November."""
NIGHT_NOW = datetime(2026, 11, 25, 4, 34, tzinfo=UTC)
"""05:34 in Berlin: the night shift's eighth hour."""


def night_model(catalogue: BoardCatalogue) -> BoardModel:
    """A board model that heard station c2 count on takt through the night until 05:34."""
    time = SimTime(NIGHT_START)
    station = SimStation("c2", time).start()
    t = NIGHT_START + timedelta(seconds=45)
    while t <= NIGHT_NOW:
        time.set(t)
        if station.core.rules.calendar.is_working(t):
            station.do(cmd.count, good=1)
        t += timedelta(seconds=45)
    time.set(NIGHT_NOW)
    station.tick()
    station.publish_state()
    model = BoardModel(catalogue)
    for message in station.outbox:
        model.ingest(message.topic, message.payload, message.at)
    return model
