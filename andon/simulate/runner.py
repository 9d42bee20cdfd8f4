"""Playing a scenario: every station on simulated pins, time jumping from one moment to the next.

Time moves in jumps, never by sleeping. The runner stops at every scripted
step and production pulse, at every instant the station core says something
falls due (escalations, fixed-position stops, no-count stops:
:func:`andon.domain.decide.next_deadline`), at every start and end of planned
working time, and at least every ``tick_s`` of simulated time (pace is judged
continuously, so that is when it is looked at). At each stop every station
turns its loop once. At the end of each shift the stations' states are kept
for the report, before the next shift starts their figures afresh.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from andon.domain import event_decoding
from andon.domain import events as ev
from andon.domain.calendar import ShiftWindow
from andon.domain.decide import next_deadline
from andon.domain.station_state import StationState
from andon.i18n.markers import N_, registered
from andon.simulate.scenario_plan import Scenario, TimedProduction, TimedStep
from andon.simulate.station import SimulatedStation
from andon.simulate.timeline import SimTimeline, ceil_ms

log = logging.getLogger(__name__)

JOURNAL_EXISTS = N_(
    "journal already exists: {files}; choose an empty --journal-dir "
    "(a simulation never writes into an existing journal)"
)
TEMPLATES: tuple[str, ...] = registered(globals())
"""Why a simulation cannot run: raised in English, written in the reader's language."""


class SimulationError(Exception):
    """The simulation cannot run (e.g. its journal directory already holds journals)."""


@dataclass(frozen=True)
class RelayChange:
    """The line-stop relay of a station changed, as read from its simulated pin."""

    station: str
    at: datetime
    energised: bool


@dataclass(frozen=True)
class Refusal:
    """A scripted input or command the station refused, and why."""

    at: datetime
    station: str
    what: str
    reason: str


@dataclass(frozen=True)
class Checkpoint:
    """Every station's state at the end of a shift (or of the scenario, if earlier)."""

    window: ShiftWindow
    until: datetime
    states: dict[str, StationState]


@dataclass(frozen=True)
class JournalledEvent:
    """One event as the station's journal holds it."""

    seq: int
    event: ev.Event
    event_id: str = ""


@dataclass
class ProductionTally:
    """What became of a production block's pulses."""

    index: int
    station: str
    pulses: int = 0
    paused: int = 0


@dataclass
class SimulationRun:
    """Everything a report needs from a finished simulation."""

    scenario: Scenario
    checkpoints: list[Checkpoint] = field(default_factory=list)
    events: dict[str, list[JournalledEvent]] = field(default_factory=dict)
    relay: list[RelayChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    production: list[ProductionTally] = field(default_factory=list)
    wall_s: float = 0.0
    journal_dir: Path | None = None

    @property
    def simulated_s(self) -> float:
        return (self.scenario.end - self.scenario.start).total_seconds()

    @property
    def speed(self) -> float:
        """Simulated seconds per wall-clock second."""
        return self.simulated_s / self.wall_s if self.wall_s > 0 else float("inf")


@dataclass(order=True, frozen=True)
class _Moment:
    at: datetime
    order: int
    seq: int
    step: TimedStep | None = field(compare=False, default=None)
    block: TimedProduction | None = field(compare=False, default=None)


def journal_file(journal_dir: Path, key: str) -> Path:
    """Where a station's journal goes: ``<line>-<station>.sqlite`` like on a Pi."""
    return journal_dir / f"{key.replace('/', '-')}.sqlite"


MEMORY_DIR = Path("/dev/shm")


def scratch_dir() -> Path | None:
    """Where throwaway journals go: memory when the system offers it (no disk syncs), else
    the default temporary directory."""
    if MEMORY_DIR.is_dir() and os.access(MEMORY_DIR, os.W_OK | os.X_OK):
        return MEMORY_DIR
    return None


def run_scenario(
    scenario: Scenario, journal_dir: Path | None = None, *, resume: bool = False
) -> SimulationRun:
    """Play ``scenario``; journals go to ``journal_dir`` (kept) or a temporary directory.

    With ``resume``, journals already in ``journal_dir`` are continued: each station
    starts from its journal as a restarted station does (its events, calls and seqs
    go on), and the run's events are the whole journals.
    """
    if journal_dir is not None:
        journal_dir = Path(journal_dir)
        journal_dir.mkdir(parents=True, exist_ok=True)
        taken = [str(f) for k in scenario.stations if (f := journal_file(journal_dir, k)).exists()]
        if taken and not resume:
            raise SimulationError(JOURNAL_EXISTS.format(files=", ".join(taken)))
        return _Runner(scenario, journal_dir).run()
    with tempfile.TemporaryDirectory(prefix="andon-simulate-", dir=scratch_dir()) as tmp:
        run = _Runner(scenario, Path(tmp)).run()
        run.journal_dir = None
        return run


class _Runner:
    def __init__(self, scenario: Scenario, journal_dir: Path) -> None:
        self.scenario = scenario
        self.journal_dir = journal_dir
        self.timeline = SimTimeline(scenario.start)
        self.stations: dict[str, SimulatedStation] = {}
        self.result = SimulationRun(scenario=scenario, journal_dir=journal_dir)
        self._relay: dict[str, bool] = {}
        self._tallies: dict[int, ProductionTally] = {}
        self._tick = timedelta(seconds=scenario.tick_s)
        first = next(iter(scenario.stations.values())).config.plant_config
        calendar = first.domain_calendar()
        self.windows = calendar.windows(scenario.start, scenario.end)
        boundaries: set[datetime] = set()
        for window in self.windows:
            boundaries |= {window.start, window.end}
            for begin, end in window.working_intervals():
                boundaries |= {begin, end}
        self.boundaries = sorted(b for b in boundaries if scenario.start < b <= scenario.end)
        self._boundary_set = frozenset(self.boundaries)
        self._pending_windows = [w for w in self.windows if w.end <= scenario.end]
        self._due: dict[str, datetime | None] = {}

    # --- the run ---------------------------------------------------------------------

    def run(self) -> SimulationRun:
        started = time.perf_counter()
        try:
            for key, spec in self.scenario.stations.items():
                self.stations[key] = SimulatedStation(
                    spec, self.timeline, journal_file(self.journal_dir, key)
                )
            for key, station in self.stations.items():
                station.start()
                self._due[key] = self._deadline(station)
            self._watch_relays()
            self._play()
            self.result.wall_s = time.perf_counter() - started
            self._read_journals()
        finally:
            for station in self.stations.values():
                try:
                    station.close()
                except Exception:  # closing one must not keep the others open
                    log.exception("closing simulated station %s failed", station.key)
        return self.result

    def _agenda(self) -> list[_Moment]:
        moments = [_Moment(s.at, 0, s.index, step=s) for s in self.scenario.steps]
        for block in self.scenario.production:
            tally = ProductionTally(block.index, block.station)
            self._tallies[block.index] = tally
            self.result.production.append(tally)
            moments += [_Moment(at, 1, block.index, block=block) for at in block.beats()]
        return sorted(moments)

    def _play(self) -> None:
        agenda = self._agenda()
        i = 0
        while i < len(agenda):
            at = agenda[i].at
            moments = []
            while i < len(agenda) and agenda[i].at == at:
                moments.append(agenda[i])
                i += 1
            self._run_until(at)
            self._visit(at, moments)
        self._run_until(self.scenario.end)
        if self.timeline.now() < self.scenario.end:
            self._visit(self.scenario.end, [])
        for window in self.windows:
            if window.end > self.scenario.end:
                self._checkpoint(window, self.scenario.end)

    def _run_until(self, target: datetime) -> None:
        """Visit every instant before ``target`` at which something may happen."""
        while True:
            now = self.timeline.now()
            candidates = [self._next_tick(now)]
            candidates += [b for b in self.boundaries if b > now][:1]
            candidates += [due for due in self._due.values() if due is not None and due > now]
            nxt = min(candidates)
            if nxt >= target:
                return
            self._visit(nxt, [])

    def _visit(self, at: datetime, moments: list[_Moment]) -> None:
        """Move to ``at``, carry out its inputs, and turn the loop of the stations concerned.

        Inputs come first (a station settles what falls due as it handles one); then
        every station with something due turns its loop: a deadline, the start or end
        of planned working time, or (for counting stations, whose pace is judged
        continuously) the regular tick.
        """
        while self._pending_windows and self._pending_windows[0].end <= at:
            # boundaries include every shift end, so ``at`` is this window's end
            window = self._pending_windows.pop(0)
            self._checkpoint(window, window.end)
        seconds = self.timeline.advance_to(at)
        for station in self.stations.values():
            station.let_pass(seconds)
        touched: set[str] = set()  # stations whose loop turned after an input here
        for moment in moments:
            if moment.step is not None:
                self._do_step(moment.step)
                touched.add(moment.step.station)
            elif moment.block is not None and self._do_beat(moment.block):
                touched.add(moment.block.station)
            self._watch_relays()
        boundary = at in self._boundary_set
        tick = (at - self.scenario.start) % self._tick == timedelta(0)
        for key, station in self.stations.items():
            due = self._due.get(key)
            if key not in touched and not (
                boundary or (due is not None and due <= at) or (tick and station.spec.config.counts)
            ):
                continue
            if key not in touched:
                station.step()
            self._due[key] = self._deadline(station)
        self._watch_relays()

    def _deadline(self, station: SimulatedStation) -> datetime | None:
        due = next_deadline(station.state, self.timeline.now())
        return None if due is None else ceil_ms(due)

    def _next_tick(self, now: datetime) -> datetime:
        elapsed = now - self.scenario.start
        return self.scenario.start + (elapsed // self._tick + 1) * self._tick

    def _checkpoint(self, window: ShiftWindow, until: datetime) -> None:
        states = {key: station.state for key, station in self.stations.items()}
        self.result.checkpoints.append(Checkpoint(window=window, until=until, states=states))

    # --- inputs ----------------------------------------------------------------------

    def _do_step(self, timed: TimedStep) -> None:
        station = self.stations[timed.station]
        for reason in station.perform(timed):
            self._refused(timed.station, f"steps[{timed.index}] {timed.step.describe()}", reason)

    def _do_beat(self, block: TimedProduction) -> bool:
        """One production pulse, unless the line stands; True when it was pulsed."""
        station = self.stations[block.station]
        tally = self._tallies[block.index]
        if block.pause_when_stopped and self._line_stands(station):
            tally.paused += 1
            return False
        tally.pulses += 1
        for reason in station.pulse():
            self._refused(block.station, f"production[{block.index}] pulse", reason)
        return True

    def _line_stands(self, station: SimulatedStation) -> bool:
        if station.fault_signal():
            return True
        return any(
            other.relay_energised()
            for other in self.stations.values()
            if other.spec.line == station.spec.line
        )

    def _refused(self, station: str, what: str, reason: str) -> None:
        self.result.refusals.append(Refusal(self.timeline.now(), station, what, reason))

    # --- observing -------------------------------------------------------------------

    def _watch_relays(self) -> None:
        for key, station in self.stations.items():
            energised = station.relay_energised()
            if energised is None:
                continue
            if self._relay.get(key, False) != energised:
                self.result.relay.append(RelayChange(key, self.timeline.now(), energised))
            self._relay[key] = energised

    def _read_journals(self) -> None:
        for key, station in self.stations.items():
            journal = station.agent.journal
            if journal is None:
                continue
            self.result.events[key] = [
                JournalledEvent(row.seq, event_decoding.from_dict(row.kind, row.payload), row.id)
                for row in journal.rows()
            ]
