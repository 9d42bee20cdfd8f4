"""Helpers of the fault-injection tests: ten stations of the demo plant, and a board that
records every event it delivers so a test can hold it against the stations' journals."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import EventMessage
from andon.bus.sequence import Offered, SequenceTracker
from andon.bus.topics import StationAddress
from andon.config.loader import load_board
from andon.domain import commands as cmd
from andon.station.agent import StationAgent
from tests.support.stations import DEMO

COPIES = (("a1", "a4"), ("b1", "b3"), ("c1", "c3"))
"""Three more non-counting stations, one per line, copied from the demo ones."""


def ten_station_files(where: Path) -> list[Path]:
    """The seven demo station files and three copies with new ids, written to ``where``."""
    files = sorted(DEMO.glob("station-*.toml"))
    plant = (DEMO / "plant.toml").as_posix()
    for source, new in COPIES:
        text = (DEMO / f"station-{source}.toml").read_text()
        copied = text.replace(f'id = "{source}"', f'id = "{new}"', 1).replace(
            'plant = "plant.toml"', f'plant = "{plant}"', 1
        )
        assert copied.count(f'id = "{new}"') == 1 and plant in copied
        path = where / f"station-{new}.toml"
        path.write_text(copied)
        files.append(path)
    return files


class RecordingTracker(SequenceTracker[EventMessage]):
    """A sequence tracker that also keeps what it delivered and where a snapshot moved it on."""

    def __init__(self, retry_s: float) -> None:
        super().__init__(retry_s)
        self.delivered: list[EventMessage] = []
        self.baselines: list[tuple[int, int]] = []
        """``(last delivered, snapshot seq)`` each time a state message skipped ahead."""

    def baseline(self, station: str, seq: int) -> None:
        before = self.last(station)
        super().baseline(station, seq)
        if self.last(station) > before:
            self.baselines.append((before, self.last(station)))

    def offer(self, station: str, seq: int, message: EventMessage, now: float) -> Offered[Any]:
        offered = super().offer(station, seq, message, now)
        self.delivered.extend(m for _, m in offered.deliver)
        return offered


class RecordingBoardModel(BoardModel):
    """The production board model; each station's tracker records what the board delivered."""

    def _station(self, address: StationAddress) -> Any:
        known = address.path in self._stations
        station = super()._station(address)
        if not known:
            station.tracker = RecordingTracker(self._replay_retry_s)
        return station

    def record(self, path: str) -> tuple[list[EventMessage], list[tuple[int, int]]]:
        """(events delivered, snapshot jumps) for one station, copied under the model's lock."""
        with self._lock:
            tracker = self._stations[path].tracker
            assert isinstance(tracker, RecordingTracker)
            return list(tracker.delivered), list(tracker.baselines)

    def last(self, path: str) -> int:
        with self._lock:
            station = self._stations.get(path)
            return station.tracker.last(path) if station is not None else 0

    def good(self) -> dict[str, int]:
        """The good count the board shows per station (stations with a state only)."""
        view = self.view(datetime.now(UTC))
        return {
            station.path: station.snapshot.good
            for line in view.lines
            for station in line.stations
            if station.snapshot is not None
        }


def board_caught_up(model: RecordingBoardModel, feed: BoardFeed, agents: Sequence[Any]) -> bool:
    """The board has every station's last journaled event and shows its counts."""
    feed.tick()  # asks again for replays of gaps still open
    if any(model.last(a.address.path) < a.journal.last_seq() for a in agents):
        return False
    shown = model.good()
    return all(shown.get(a.address.path) == a.core.state.good for a in agents)


def demo_board(settings: BrokerSettings) -> tuple[RecordingBoardModel, BoardFeed]:
    """The demo supervisor board's model and feed (started)."""
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    model = RecordingBoardModel(catalogue)
    feed = BoardFeed(model, settings, lambda: datetime.now(UTC))
    feed.start()
    return model, feed


def check_board_holds_journal(model: RecordingBoardModel, agent: StationAgent) -> int:
    """The board delivered every journaled event of the station (or a snapshot covered it),
    none twice, each with the journal's id; returns how many it delivered one by one."""
    path = agent.address.path
    assert agent.journal is not None
    rows = {row.seq: row.id for row in agent.journal.rows()}
    delivered, jumps = model.record(path)
    seqs = [m.seq for m in delivered]
    assert len(seqs) == len(set(seqs)), f"{path}: an event was delivered twice"
    assert seqs == sorted(seqs), f"{path}: events delivered out of order"
    wrong = [m.seq for m in delivered if rows.get(m.seq) != m.event_id]
    assert not wrong, f"{path}: delivered events that are not the journal's: {wrong[:5]}"
    covered = set(seqs)
    for before, after in jumps:
        covered.update(range(before + 1, after + 1))
    missing = sorted(set(rows) - covered)
    assert not missing, f"{path}: the board never had events {missing[:10]}"
    return len(delivered)


def produce(
    agents: Sequence[StationAgent],
    rounds: int,
    per_round: int,
    between: Callable[[int], None] = lambda _: None,
) -> None:
    """Every station counts ``per_round`` units per round on its own loop, all in parallel;
    ``between(round)`` runs after each round."""
    for index in range(rounds):
        done = [threading.Event() for _ in agents]
        for agent, finished in zip(agents, done, strict=True):

            def job(agent: StationAgent = agent, finished: threading.Event = finished) -> None:
                for _ in range(per_round):
                    agent.core.execute(cmd.count, good=1)
                finished.set()

            agent.call_soon(job)
        for finished in done:
            assert finished.wait(60), "a station loop stopped turning"
        between(index)
