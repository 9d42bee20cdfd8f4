"""A real SQLite history whose line A ran at different paces in two weeks' late shifts.

On 2026-02-25 line A of the demo plant runs fast in the early shift (a unit
every 133 s) and slow in the late one (every 200 s); on 2026-03-04 the other way
round (tests/historian/test_pace_report.py works the day out by hand). Both days
are one journal per station, as a station holds them (seqs go on).
"""

from __future__ import annotations

from pathlib import Path

from andon.bus.messages import EventMessage
from andon.historian.stores import open_store
from andon.simulate.load import load_scenario
from andon.simulate.runner import SimulationRun, run_scenario
from andon.station.assemble import station_address
from tests.historian.test_pace_report import EARLY, LATE, PAST_THE_END, production
from tests.support.stations import DEMO

STATIONS = ("a1", "a2", "a3")


def _day(folder: Path, day: str, early_s: int, late_s: int) -> SimulationRun:
    path = folder / f"pace-{day}.toml"
    path.write_text(
        f'kind = "scenario"\nschema = 1\nname = "Pace on {day}"\n'
        f"start = {day}T06:00:00+01:00\nend = {day}T22:10:00+01:00\n"
        'stations = ["station-a1.toml", "station-a2.toml", "station-a3.toml"]\ntick_s = 30\n\n'
        + production(EARLY, early_s)
        + "\n"
        + production(LATE, late_s)
        + "".join(PAST_THE_END.format(station=s) for s in STATIONS),
        encoding="utf-8",
    )
    return run_scenario(load_scenario(path, DEMO))


def pace_history(folder: Path) -> str:
    """The URL of the history in ``folder``: 2026-02-25, then 2026-03-04."""
    before = _day(folder, "2026-02-25", 133, 200)
    day = _day(folder, "2026-03-04", 200, 133)
    url = f"sqlite:///{folder / 'pace-history.sqlite'}"
    store_back_to_back(url, before, day)
    return url


def store_back_to_back(url: str, before: SimulationRun, after: SimulationRun) -> None:
    """Store two runs as one journal per station: ``after``'s seqs go on from ``before``'s."""
    with open_store(url) as store:
        for key, events in before.events.items():
            path = station_address(before.scenario.stations[key].config).path
            store.insert([EventMessage(path, j.seq, j.event_id, j.event) for j in events])
            later = after.events[key]
            store.insert(
                [EventMessage(path, len(events) + j.seq, j.event_id, j.event) for j in later]
            )
