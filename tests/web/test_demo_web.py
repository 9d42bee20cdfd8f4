"""``andon demo`` starts the web view too, prints its address, and it runs in plant time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime

import httpx
import pytest

from tests.conftest import Mosquitto, free_port
from tests.support.stations import wait_for

pytestmark = pytest.mark.mosquitto


def test_the_demo_prints_its_web_address_and_the_page_follows_plant_time(
    mosquitto: Mosquitto, tmp_path
) -> None:
    port = free_port()
    command = [
        sys.executable, "-m", "andon", "demo", "--headless", "--seconds", "40", "--speed", "60",
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
        assert f"andon demo: web view on http://127.0.0.1:{port}" in "".join(lines)

        def plant_clock() -> datetime | None:
            page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
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
    finally:
        demo.terminate()
        demo.wait(20)
    assert demo.returncode == 0
