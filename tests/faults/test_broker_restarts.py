"""Mosquitto killed and restarted three times while ten stations stream 5 000 events.

The board is the production feed and model. It holds an event when it delivered
it (in order, once, with the journal's id) or when a newer retained ``state``
of the station covered it: the board shows a station's figures from its
snapshot, so after a reconnect it rightly skips to the snapshot instead of
waiting for the replay of what it missed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from andon.config.loader import load_station
from andon.station.assemble import build_station
from tests.faults.fleet import (
    board_caught_up,
    check_board_holds_journal,
    demo_board,
    produce,
    ten_station_files,
)
from tests.support.stations import wait_for

ROUNDS = 20
PER_ROUND = 25  # 10 stations × 20 rounds × 25 counts = 5 000 events (and a few more)
OUTAGES = {3: "kill", 5: "start", 8: "kill", 10: "start", 13: "kill", 15: "start"}


def test_the_board_ends_with_exactly_the_journals_of_ten_stations(mosquitto, tmp_path, journal_dir):
    model, feed = demo_board(mosquitto.settings(client_id="board"))
    runtimes = []
    try:
        for path in ten_station_files(tmp_path):
            config = load_station(path)
            runtime = build_station(
                config,
                sim=True,
                settings=mosquitto.settings(client_id=f"station-{config.id}", clean_session=False),
                journal_path=journal_dir / f"{config.id}.sqlite",
                tick_s=0.1,  # ten loops share one interpreter here; time matters little
            )
            runtimes.append(runtime)
            runtime.agent.start()
        agents = [r.agent for r in runtimes]
        assert len({a.address.path for a in agents}) == 10
        wait_for(lambda: feed.bus.connected and all(a.bus.connected for a in agents))
        # The board holds every station's first state before the stream starts, and
        # catches up after the first round: those events reach it one by one.
        wait_for(lambda: board_caught_up(model, feed, agents))

        outages = 0

        def broker(round_done: int) -> None:
            nonlocal outages
            if round_done == 0:
                wait_for(lambda: board_caught_up(model, feed, agents), timeout=30, step=0.05)
            action = OUTAGES.get(round_done)
            if action == "kill":
                mosquitto.kill()
                outages += 1
            elif action == "start":
                mosquitto.start()

        produce(agents, ROUNDS, PER_ROUND, between=broker)
        assert outages == 3 and mosquitto.running
        produced = sum(a.core.state.good for a in agents)
        assert produced == 10 * ROUNDS * PER_ROUND

        wait_for(lambda: board_caught_up(model, feed, agents), timeout=60, step=0.2)
        time.sleep(0.3)  # a late duplicate, if any, would land now
        delivered = [check_board_holds_journal(model, agent) for agent in agents]
        assert sum(a.journal.last_seq() for a in agents) >= 5000
        # Events did reach the board one by one, not only as snapshots: the first round's
        # at least. Later ones may rightly be covered by a state (see the module's doc).
        by_station = {a.address.path: n for a, n in zip(agents, delivered, strict=True)}
        assert min(delivered) >= PER_ROUND, f"delivered one by one: {by_station}"
        assert not model.view(datetime.now(UTC)).diagnostics.open_gaps
    finally:
        for runtime in runtimes:
            runtime.agent.stop()
        feed.close()
