"""What ``andon sim`` says is what the station did: "done" only when it took the input."""

from __future__ import annotations

import sqlite3

from tests.cli.test_sim_command import andon_sim, open_calls, start_a3
from tests.support.stations import wait_for

A3 = "demo-plant/assembly/line-a/a3"


def journaled(runtime, kind: str) -> int:
    path = runtime.agent.journal.path
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from events where kind = ?", (kind,)).fetchone()[0]


def test_a_badge_with_no_call_waiting_is_refused_never_done(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)

    done = andon_sim(mosquitto, "scan", "BD:1001")

    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "done" not in done.stdout + done.stderr
    assert f"{A3}: refused: no call waiting for acknowledgement" in done.stderr
    wait_for(lambda: journaled(runtime, "scan_rejected") == 1)


def test_a_long_press_with_nothing_to_cancel_is_refused(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)

    done = andon_sim(mosquitto, "hold", "help", "2.5")

    assert done.returncode == 1, (done.stdout, done.stderr)
    assert f"{A3}: refused: " in done.stderr and "done" not in done.stderr
    assert open_calls(runtime) == []


def test_what_the_station_took_is_done_and_done_is_what_it_journaled(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)

    pressed = andon_sim(mosquitto, "press", "help")
    badge = andon_sim(mosquitto, "scan", "BD:1001")
    card = andon_sim(mosquitto, "scan", "RC:BRK-TOOL")

    for done, action in ((pressed, "press"), (badge, "scan"), (card, "scan")):
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"{A3}: {action} done"
    assert journaled(runtime, "call_raised") == 1
    assert journaled(runtime, "call_acknowledged") == 1
    assert journaled(runtime, "call_resolved") == 1
    assert journaled(runtime, "scan_rejected") == 0
    assert open_calls(runtime) == []
