"""A board restarted while three stations keep publishing: it ends with every event, once.

The restarted board is a new process as far as the broker knows (a new
model, a new feed, a clean session): it starts from each station's retained
state, asks for a replay of whatever it missed meanwhile, and must end up
holding each journal exactly (see :func:`tests.faults.fleet.check_board_holds_journal`).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from andon.domain import commands as cmd
from tests.faults.fleet import board_caught_up, check_board_holds_journal, demo_board
from tests.support.stations import wait_for

STATIONS = ("station-a1.toml", "station-a3.toml", "station-b1.toml")


def test_a_restarted_board_ends_with_all_events_none_twice(mosquitto, station_factory, journal_dir):
    agents = [
        station_factory(
            mosquitto.settings(client_id=f"station-{name}", clean_session=False),
            name=name,
            journal_path=journal_dir / name.replace(".toml", ".sqlite"),
        ).agent
        for name in STATIONS
    ]
    first_model, first_feed = demo_board(mosquitto.settings(client_id="board"))
    feeds = [first_feed]
    stop = threading.Event()
    produced = [0]

    def produce() -> None:
        calls = 0
        while not stop.is_set() and produced[0] < 600:
            for agent in agents:
                agent.run_on_loop(lambda a=agent: a.core.execute(cmd.count, good=1))
                produced[0] += 1
            calls += 1
            if calls % 20 == 0:  # now and then a call, raised and cancelled
                agent = agents[calls // 20 % len(agents)]
                agent.run_on_loop(lambda a=agent: a.core.execute(cmd.press, call_type="help"))
                call = agent.core.state.open_call("help")
                if call is not None:
                    agent.run_on_loop(
                        lambda a=agent, c=call: a.core.execute(
                            cmd.cancel, call_id=c.call_id, by="test", source="test"
                        )
                    )
            time.sleep(0.002)

    producer = threading.Thread(target=produce, name="producer")
    try:
        wait_for(lambda: first_feed.bus.connected and all(a.bus.connected for a in agents))
        producer.start()
        wait_for(lambda: produced[0] >= 150, timeout=30)
        first_feed.close()  # the board goes away in the middle of the stream ...
        assert first_model.view(datetime.now(UTC)).diagnostics.events > 0
        time.sleep(0.5)
        model, feed = demo_board(mosquitto.settings(client_id="board"))  # ... and comes back
        feeds.append(feed)
        producer.join(60)
        assert not producer.is_alive() and produced[0] >= 600

        wait_for(lambda: board_caught_up(model, feed, agents), timeout=30, step=0.2)
        time.sleep(0.3)  # a late duplicate, if any, would land now
        delivered = [check_board_holds_journal(model, agent) for agent in agents]
        assert all(delivered)
        view = model.view(datetime.now(UTC))
        assert not view.diagnostics.open_gaps
        shown = {c.call_id for line in view.lines for c in line.open_calls}
        assert shown == {c.call_id for a in agents for c in a.core.state.open_calls}
    finally:
        stop.set()
        if producer.is_alive():
            producer.join(10)
        for feed in feeds:
            feed.close()
