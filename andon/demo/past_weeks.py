"""The demo's past: the shift running now 1, 2 and 3 weeks back, and the shift before it.

On a first start (no station journal yet, no history before the shift running
now) the shift running now is played 21, 14 and 7 days back, and then the shift
that ran just before it, oldest first, by ``andon simulate``'s runner and the
demo's people (:mod:`andon.demo.past_shift`): ``andon report --compare`` (this
shift against the one before) and ``--week --compare`` find their previous
period filled, the History screen its last week and four-week trend. Each run
continues the journals of the one before, as a station goes on from shift to
shift, so seqs and call ids go on and the live stations continue from there.

The shifts are played into scratch journals (in memory where the system offers
it: no disk syncs), and come into the data folder and the history only once all
are played (:mod:`andon.demo.past_place`): a stop meanwhile leaves the data
folder as it was, and the next start plays them all; a stop while they are put
in place is finished at the next start. Every figure of the past is computed
from these events by the same domain code as any other.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from andon.config.station import StationFile
from andon.demo.operators import Behaviour
from andon.demo.past_place import finish, stage
from andon.demo.past_shift import People, shift_scenario
from andon.domain.calendar import ShiftWindow
from andon.historian.stores import open_store
from andon.journal.store import Journal
from andon.simulate.runner import journal_file, run_scenario, scratch_dir
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
    """The shifts running from ``now`` to ``now + ahead``, 21, 14 and 7 days back, then
    the last shift that ended by ``now`` (the one before the shift running now), oldest first.

    ``ahead``: the plant time that passes while they are played (the stations start
    after it), so the shift the stations start in has its past weeks too.
    """
    calendar = next(iter(stations.values())).plant_config.domain_calendar()
    windows: list[ShiftWindow] = []
    for back in WEEKS_BACK:
        at = now - back * WEEK
        windows += [w for w in calendar.windows(at, at + ahead + MOMENT) if w.end > at]
    ended = [w for w in calendar.windows(now - WEEK, now) if w.end <= now]
    if ended and all(w.start != ended[-1].start for w in windows):
        windows.append(ended[-1])
    return sorted(windows, key=lambda w: w.start)


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
    """Play the shifts of ``past_windows`` into scratch journals, then put them into the
    data folder's journals and the history at once.

    Returns the number of events stored; ``stopping`` is asked before each shift: a
    stop leaves the data folder as it was (0 returned).
    """
    windows = past_windows(stations, now, ahead)
    if not windows:
        return 0
    with tempfile.TemporaryDirectory(prefix="andon-demo-past-", dir=scratch_dir()) as tmp:
        scratch = Path(tmp)
        for index, window in enumerate(windows):
            if stopping():
                log.info("history: stopped before the past weeks were all played; none kept")
                return 0
            started = time.perf_counter()
            scenario = shift_scenario(stations, window, behaviours, people, seed + index)
            run = run_scenario(scenario, scratch, resume=True)
            for refused in run.refusals:
                log.warning(
                    "history: %s at %s refused %s: %s",
                    refused.station,
                    refused.at,
                    refused.what,
                    refused.reason,
                )
            log.info(
                "history: the %s shift of %s played (%d events in all, %.1f s)",
                window.shift.name,
                window.start.date().isoformat(),
                sum(len(e) for e in run.events.values()),
                time.perf_counter() - started,
            )
        _mark_published(stations, scratch)
        stage(scratch, data_dir, stations.values())
    return finish(stations.values(), data_dir, history_url)


def _mark_published(stations: dict[Path, StationFile], scratch: Path) -> None:
    """The history holds every played row: none is published again."""
    for config in stations.values():
        path = journal_file(scratch, f"{config.line}/{config.id}")
        if not path.exists():
            continue
        with Journal(path, owner=station_address(config).path) as journal:
            journal.mark_published_many(range(1, journal.last_seq() + 1))
