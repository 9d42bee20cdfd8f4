"""``andon demo`` brings three live lines onto the bus within seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime

from andon.bus.client import BusClient
from tests.support.stations import wait_for

COUNTING = {
    "line-a": "andon/demo-plant/assembly/line-a/a3/state",
    "line-b": "andon/demo-plant/assembly/line-b/b2/state",
    "line-c": "andon/demo-plant/assembly/line-c/c2/state",
}
EXPECTED_PACE = {"line-a": "normal", "line-b": "too_fast", "line-c": "too_slow"}
SPEED = "60"
"""Plant time for this test. The demo opens mid-shift with what the shift has made so far,
but in the first minutes of a shift line A (takt 160 s) has made nothing yet: at the
default x10 its first unit takes 16 s. At x60 every line counts within seconds, whatever
the time of day the test runs at. Forty minutes into a shift (35 of work after the
start meeting) line B, 17.6 % fast, is beyond its band (1.5 units + 10 % of the plan)
whatever its phase: past 1 961 s of work for the worst one."""


def test_the_demo_shows_three_live_lines_within_ten_seconds(mosquitto, tmp_path):
    states: dict[str, dict] = {}
    watcher = BusClient(mosquitto.settings(client_id="demo-watcher"))
    for line, topic in COUNTING.items():
        watcher.subscribe(
            topic, lambda m, line=line: states.__setitem__(line, json.loads(m.payload))
        )
    watcher.start()
    assert watcher.wait_connected(10)
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--headless", "--seconds", "30", "--speed", SPEED,
        "--broker", f"127.0.0.1:{mosquitto.port}", "--data", str(tmp_path),
    ]  # fmt: skip
    started = time.monotonic()
    demo = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ
    )
    try:
        wait_for(lambda: len(states) == 3 and all(s["good"] > 0 for s in states.values()), 10)
        assert time.monotonic() - started < 10
        for line, state in states.items():
            assert state["in_shift"], "the demo calendar covers every hour of every day"
            shift_start = datetime.fromisoformat(state["shift"]["start"].replace("Z", "+00:00"))
            at = datetime.fromisoformat(state["at"].replace("Z", "+00:00"))
            if (at - shift_start).total_seconds() > 2400:
                assert state["pace"] == EXPECTED_PACE[line], (line, state["pace"])
    finally:
        demo.terminate()
        try:
            demo.wait(15)
        finally:
            if demo.poll() is None:
                demo.kill()
        watcher.close()
    assert demo.returncode == 0, demo.stderr.read().decode()[-2000:] if demo.stderr else ""
