"""A call someone else raises in the demo is answered by its people like their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from andon.bus.client import BusClient
from tests.support.stations import wait_for

STATION = "firmware_config/demo/station-c1.toml"
STATE = "andon/demo-plant/assembly/line-c/c1/state"
SPEED = "60"
"""At x60 a call is answered within 90 plant s and solved within 300 more: 6.5 s."""


def _press(port: int, button: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "andon", "sim", "--config", STATION,
        "--broker", f"127.0.0.1:{port}", "press", button,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=30, env=os.environ)


def test_a_visitors_press_is_answered_and_resolved(mosquitto, tmp_path):
    states: list[dict] = []
    watcher = BusClient(mosquitto.settings(client_id="demo-visitor-watcher"))
    watcher.subscribe(STATE, lambda m: states.append(json.loads(m.payload)))
    watcher.start()
    assert watcher.wait_connected(10)
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--headless", "--seconds", "60", "--speed", SPEED,
        "--broker", f"127.0.0.1:{mosquitto.port}", "--data", str(tmp_path), "--web", "off",
    ]  # fmt: skip
    demo = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: states, 15)
        pressed = None
        deadline = time.monotonic() + 20
        while pressed is None and time.monotonic() < deadline:
            for button in ("quality", "help"):
                if _press(mosquitto.port, button).returncode == 0:
                    pressed = button
                    break
            else:
                time.sleep(0.5)  # both slots held by the demo's own calls: wait for them
        assert pressed, "no button press was taken within 20 s"
        seen = len(states)
        ours = wait_for(
            lambda: [
                c["call_id"]
                for s in states[seen - 1 :]
                for c in s["open_calls"]
                if c["type"] == pressed and c["source"] == "button"
            ],
            5,
        )[-1]
        wait_for(lambda: all(c["call_id"] != ours for c in states[-1]["open_calls"]), 25)
        closed = [c for s in states for c in s["open_calls"] if c["call_id"] == ours]
        assert closed[-1]["status"] == "acknowledged", "a badge acknowledged it before it closed"
        assert closed[-1]["acknowledged_by"], "the badge names who answered"
    finally:
        demo.terminate()
        try:
            demo.wait(15)
        finally:
            if demo.poll() is None:
                demo.kill()
        watcher.close()
