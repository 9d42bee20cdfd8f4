"""What ``andon sim`` says is what the station did: "done" only when it took the input."""

from __future__ import annotations

import shutil
import sqlite3

from tests.cli.test_sim_command import andon_sim, open_calls, start_a3
from tests.support.stations import DEMO, wait_for

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

    for done, action in ((pressed, "press"), (badge, "badge"), (card, "reason card")):
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"{A3}: done", action
    assert journaled(runtime, "call_raised") == 1
    assert journaled(runtime, "call_acknowledged") == 1
    assert journaled(runtime, "call_resolved") == 1
    assert journaled(runtime, "scan_rejected") == 0
    assert open_calls(runtime) == []


def test_only_the_poked_devices_refusals_answer_a_simulated_input():
    from andon.station.assemble import sim_input_concerns
    from hal import events as hal

    press = {"action": "press", "call_type": "help"}
    scan = {"action": "scan", "scanner": "scanner", "text": "BD:1001"}
    assert sim_input_concerns(press, hal.ButtonPressed(call_type="help", at=1.0))
    assert sim_input_concerns(press, hal.ButtonLongPressed(call_type="help", at=1.0))
    assert not sim_input_concerns(press, hal.ButtonPressed(call_type="quality", at=1.0))
    assert not sim_input_concerns(press, hal.Scanned(scanner="scanner", text="BD:1001", at=1.0))
    assert sim_input_concerns(scan, hal.Scanned(scanner="scanner", text="BD:1001", at=1.0))
    assert not sim_input_concerns(scan, hal.Scanned(scanner="scanner", text="RC:JAM", at=1.0))
    assert sim_input_concerns(scan, hal.ScanRejected(scanner="scanner", reason="bad", at=1.0))
    count = {"action": "count", "n": 2}
    assert sim_input_concerns(count, hal.CountPulse(good=True, at=1.0))
    assert not sim_input_concerns(count, hal.CountPulse(good=False, at=1.0))


def test_an_accepted_input_is_told_in_the_plants_language(mosquitto, station_factory, tmp_path):
    # The station answers "press done" in English; the command says it in its own words.
    start_a3(mosquitto, station_factory)
    german = tmp_path / "demo"
    shutil.copytree(DEMO, german)
    plant = german / "plant.toml"
    plant.write_text(
        plant.read_text(encoding="utf-8").replace(
            'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"', 1
        ),
        encoding="utf-8",
    )

    done = andon_sim(mosquitto, "press", "help", config=german / "station-a3.toml")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{A3}: erledigt"
