"""The demo's shift one, two and three weeks back: the history a first start opens with.

On a first start (no station journal yet, no history before the shift running
now) the shift running now is played three times by ``andon simulate``'s runner,
7, 14 and 21 days back, oldest first, by the demo's people
(:mod:`andon.demo.past_shift`), on the demo's own journals: each run continues the
journals of the one before, as a station goes on from shift to shift, so seqs and
call ids go on and the live stations continue from there. Each run is stored in
the history as a simulation is (:func:`andon.historian.simulation.store_simulation`)
and its rows are marked published (the history holds them). Every figure of those
weeks is then computed from these events by the same domain code as any other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from andon.config.station import StationFile
from andon.demo.operators import Behaviour
from andon.demo.past_shift import People, shift_scenario
from andon.domain.calendar import ShiftWindow
from andon.historian.simulation import store_simulation
from andon.historian.stores import open_store
from andon.journal.store import Journal
from andon.simulate.runner import journal_file, run_scenario
from andon.station.assemble import station_address

log = logging.getLogger(__name__)

WEEKS_BACK = (3, 2, 1)
"""The weeks the shift is played in, oldest first: the History screen's four-week trend
is the week running now and the three before."""
WEEK = timedelta(days=7)
MOMENT = timedelta(milliseconds=1)
PLAY_S = 60.0
"""Real seconds the past weeks may take to play; the shifts the plant time reaches
meanwhile are played too."""


def past_windows(
    stations: dict[Path, StationFile], now: datetime, ahead: timedelta = timedelta(0)
) -> list[ShiftWindow]:
    """The shifts running from ``now`` to ``now + ahead``, 21, 14 and 7 days back, oldest first.

    ``ahead``: the plant time that passes while they are played (the stations start
    after it), so the shift the stations start in has its past weeks too.
    """
    calendar = next(iter(stations.values())).plant_config.domain_calendar()
    windows: list[ShiftWindow] = []
    for back in WEEKS_BACK:
        at = now - back * WEEK
        windows += [w for w in calendar.windows(at, at + ahead + MOMENT) if w.end > at]
    return windows


def first_start(stations: dict[Path, StationFile], data_dir: Path, history: Path) -> bool:
    """True when ``data_dir`` holds no station journal and the history holds nothing yet."""
    keys = [f"{c.line}/{c.id}" for c in stations.values()]
    if any(journal_file(data_dir, key).exists() for key in keys):
        return False
    if not history.exists():
        return True
    with open_store(f"sqlite:///{history}") as store:
        return store.bounds() is None


def seed_past_weeks(
    stations: dict[Path, StationFile],
    data_dir: Path,
    history_url: str,
    now: datetime,
    behaviours: dict[str, Behaviour],
    people: People,
    seed: int,
    ahead: timedelta = timedelta(0),
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """Play the shifts of ``past_windows`` into the journals and the history.

    Returns the number of events stored; ``stopping`` is asked before each shift.
    """
    stored = 0
    for index, window in enumerate(past_windows(stations, now, ahead)):
        if stopping():
            break
        started = time.perf_counter()
        scenario = shift_scenario(stations, window, behaviours, people, seed + index)
        run = run_scenario(scenario, data_dir, resume=True)
        for refused in run.refusals:
            log.warning(
                "history: %s at %s refused %s: %s",
                refused.station,
                refused.at,
                refused.what,
                refused.reason,
            )
        stored += store_simulation(run, history_url)
        for key, events in run.events.items():
            config = run.scenario.stations[key].config
            path = journal_file(data_dir, key)
            journal = Journal(path, owner=station_address(config).path)
            try:
                journal.mark_published_many(j.seq for j in events)
            finally:
                journal.close()
        log.info(
            "history: the %s shift of %s played and stored (%d events in all, %.1f s)",
            window.shift.name,
            window.start.date().isoformat(),
            sum(len(e) for e in run.events.values()),
            time.perf_counter() - started,
        )
    return stored
