"""A station process SIGKILLed while an equipment call escalates: the restart has it all.

The demo plant is copied with the escalation ladder shortened (level 2 after
2 s, level 3 after 6 s) so the ladder runs within the test. The station is
killed at level 2 and stays dead past the moment level 3 is due.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from andon.journal.store import Journal
from tests.support.stations import DEMO, wait_for

A3 = "demo-plant/assembly/line-a/a3"
BASE = f"andon/{A3}"
LEVEL_2_S = 2
LEVEL_3_S = 6


def fast_ladder_station(where: Path) -> Path:
    """station-a3 of a copy of the demo plant whose escalations come after seconds."""
    plant = (DEMO / "plant.toml").read_text()
    assert "after_s = 300" in plant and "after_s = 900" in plant
    plant = plant.replace("after_s = 300", f"after_s = {LEVEL_2_S}").replace(
        "after_s = 900", f"after_s = {LEVEL_3_S}"
    )
    (where / "plant.toml").write_text(plant)
    station = where / "station-a3.toml"
    station.write_text((DEMO / "station-a3.toml").read_text())
    return station


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_killed_station_restarts_with_its_call_level_timers_and_lamps(mosquitto, tmp_path):
    config = fast_ladder_station(tmp_path)
    journal = tmp_path / "a3.sqlite"
    states: list[dict] = []
    replies: list[dict] = []
    lock = threading.Lock()

    def keep(into: list[dict]):
        def handler(message) -> None:
            with lock:
                into.append(json.loads(message.payload))

        return handler

    watcher = BusClient(mosquitto.settings(client_id="watcher"))
    watcher.subscribe(f"{BASE}/state", keep(states))
    watcher.subscribe(f"{BASE}/reply", keep(replies))
    watcher.start()
    assert watcher.wait_subscribed(10)
    command = [
        sys.executable, "-m", "andon", "--log-level", "WARNING", "station", "--sim",
        "--config", str(config),
        "--broker", f"127.0.0.1:{mosquitto.port}",
        "--journal", str(journal),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    def equipment_calls(state: dict) -> list[dict]:
        return [c for c in state["open_calls"] if c["type"] == "equipment"]

    def latest(predicate) -> dict | None:
        with lock:
            found = [s for s in states if predicate(s)]
        return found[-1] if found else None

    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    second = None
    try:
        wait_for(lambda: latest(lambda s: True), timeout=30)
        command_id = str(uuid.uuid4())
        watcher.publish(
            f"{BASE}/cmd/sim",
            encode(command_message(command_id, "test", action="press", call_type="equipment")),
        )
        wait_for(lambda: any(r["command_id"] == command_id and r["accepted"] for r in replies))
        before = wait_for(
            lambda: latest(lambda s: any(c["level"] == 2 for c in equipment_calls(s))),
            timeout=LEVEL_2_S + 10,
        )
        call = equipment_calls(before)[0]
        assert "call.equipment" in before["signals"]

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        raised_at = instant(call["raised_at"])
        # Stay dead past the moment level 3 falls due.
        time.sleep(max(0.0, LEVEL_3_S + 0.5 - (time.time() - raised_at.timestamp())))
        with lock:
            states.clear()
        second = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        after = wait_for(lambda: latest(lambda s: s["seq"] > before["seq"]), timeout=30)
        calls = equipment_calls(after)
        assert [c["call_id"] for c in calls] == [call["call_id"]]
        again = calls[0]
        assert again["raised_at"] == call["raised_at"]
        assert again["status"] == "raised"
        assert again["level"] == 3  # escalated while the process was dead, decided at start
        # The timer runs from raised_at, across the outage.
        elapsed = (instant(after["at"]) - raised_at).total_seconds()
        assert again["elapsed_s"] == round(elapsed, 1)
        assert again["elapsed_s"] >= LEVEL_3_S

        # The lamps follow the same call and line signals as before the kill.
        def calls_and_line(state: dict) -> set[str]:
            return {s for s in state["signals"] if s.startswith("call.") or s == "line_stopped"}

        assert calls_and_line(after) == calls_and_line(before) >= {"call.equipment"}
        assert after["line_stopped"] == before["line_stopped"]
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(10)
            if process is not None and process.stderr is not None:
                process.stderr.close()
        watcher.close()
    with Journal(journal, owner=A3) as j:
        rows = list(j.rows())
    kinds = [row.kind for row in rows]
    assert kinds.count("station_started") == 2
    escalations = [r.payload["level"] for r in rows if r.kind == "call_escalated"]
    assert escalations == [1, 2, 3]
    restart = kinds.index("station_started", 1)
    level_3 = next(
        i for i, r in enumerate(rows) if r.kind == "call_escalated" and r.payload["level"] == 3
    )
    assert level_3 > restart  # the restarted station decided level 3 itself
