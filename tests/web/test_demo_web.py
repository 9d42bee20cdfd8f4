"""``andon demo`` starts the web view too, prints its address, and it runs in plant time.

The demo's web server reads the broker through its own feed, under its own consumer
name (``web``), as ``andon web`` does: a call a demo station raises is on its calls
page within a second, and when the broker goes its pages say so with the data's age.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from andon.bus.credentials import BrokerSettings
from tests.conftest import Mosquitto, free_port
from tests.support.stations import Collector, wait_for

pytestmark = pytest.mark.mosquitto

WEB_STATUS = "andon/demo-plant/_boards/web/status"
"""The retained status of the web server's own feed (the web file's id: ``web``)."""


def test_the_demo_web_view_has_its_own_feed_follows_plant_time_and_says_when_the_broker_goes(
    mosquitto: Mosquitto,
    collector_factory: Callable[[BrokerSettings, str], Collector],
    tmp_path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--headless", "--seconds", "60", "--speed", "60",
        "--broker", f"127.0.0.1:{mosquitto.port}", "--data", str(tmp_path),
        "--web", f"127.0.0.1:{port}",
    ]  # fmt: skip
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    try:
        assert demo.stdout is not None
        lines = []
        for line in demo.stdout:
            lines.append(line.decode())
            if "web view on" in lines[-1] or len(lines) > 10:
                break
        assert f"andon demo: web view on {base}" in "".join(lines)

        # the server's own feed is connected under its own name
        statuses = collector_factory(mosquitto.settings(), WEB_STATUS)
        wait_for(lambda: any(s.get("online") for s in statuses.json("/status")), 15)

        # a call raised after the start is on the server's calls page within a second
        events = collector_factory(mosquitto.settings(), "andon/+/+/+/+/events")
        heard: dict[str, float] = {}

        def raised() -> str | None:
            for message in list(events.messages):
                event = json.loads(message.payload)
                if event.get("kind") == "call_raised":
                    heard.setdefault(event["data"]["call_id"], time.monotonic())
            return next(iter(heard), None)

        call_id = wait_for(raised, 40)
        shown = wait_for(lambda: call_id in httpx.get(f"{base}/calls", timeout=5).text, 5, 0.02)
        assert shown and time.monotonic() - heard[call_id] < 1.0

        # the demo's history is on the web view too: its page offers the lines' reports
        history = httpx.get(f"{base}/history", timeout=5)
        assert history.status_code == 200 and "Harness line C" in history.text

        def plant_clock() -> datetime | None:
            page = httpx.get(f"{base}/", timeout=5).text
            found = re.search(r'class="plant-clock" data-part="clock" data-at="([^"]+)"', page)
            return datetime.fromisoformat(found.group(1)) if found and "a3 ✓" in page else None

        def ahead_s() -> float | None:
            """How far the page's clock is ahead of the wall clock, past five minutes."""
            shown = plant_clock()
            ahead = (shown - datetime.now(shown.tzinfo)).total_seconds() if shown else 0
            return ahead if ahead > 300 else None

        # at x60 the page's clock (the demo's plant clock) runs away from the wall clock:
        # five plant minutes ahead after five wall seconds
        wait_for(ahead_s, 30)

        # the broker goes: the page says since when and how old its figures are
        mosquitto.kill()
        lost = re.compile(r"Connection lost to the broker since [0-9:]+: the figures are \S+ old")
        wait_for(lambda: lost.search(httpx.get(f"{base}/", timeout=5).text), 15)
        mosquitto.start()
        wait_for(lambda: not lost.search(httpx.get(f"{base}/", timeout=5).text), 30)
    finally:
        demo.terminate()
        demo.wait(20)
    assert demo.returncode == 0
