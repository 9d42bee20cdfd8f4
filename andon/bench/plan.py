"""How much one benchmark run measures: the quick and the full plan, and the rows' names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str], None]
"""Told what is measured next."""


@dataclass(frozen=True)
class Plan:
    """How much of everything one run measures."""

    presses: int
    round_trips: int
    board_presses: int
    lines: int
    stations_per_line: int
    events_per_station: int
    station_commands: int
    board_events_per_station: int
    idle_s: float
    journal_events: int
    start_ups: int
    ingest_rounds: int
    budget_s: float
    """The most any one latency loop may take."""
    state_repeats: int
    """Publishes of the retained state timed at each number of closed calls."""
    view_seconds: int
    """Seconds of the board's clock over which the in-process board views are timed."""


QUICK = Plan(
    presses=30,
    round_trips=200,
    board_presses=15,
    lines=100,
    stations_per_line=10,
    events_per_station=2,
    station_commands=300,
    board_events_per_station=100,
    idle_s=1.0,
    journal_events=2000,
    start_ups=1,
    ingest_rounds=1,
    budget_s=6.0,
    state_repeats=20,
    view_seconds=5,
)

FULL = Plan(
    presses=200,
    round_trips=1000,
    board_presses=60,
    lines=100,
    stations_per_line=10,
    events_per_station=10,
    station_commands=1500,
    board_events_per_station=700,
    idle_s=3.0,
    journal_events=5000,
    start_ups=3,
    ingest_rounds=3,
    budget_s=60.0,
    state_repeats=200,
    view_seconds=30,
)


def row_name(template: str, plan: Plan) -> str:
    """A row's name with the plan's figures filled in."""
    return template.format(
        lines=plan.lines, per_line=plan.stations_per_line, journal_events=plan.journal_events
    )
