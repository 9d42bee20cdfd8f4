"""With the board on the terminal, the demo's log goes to its file and never over the board."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

RUN_S = 12


def test_the_log_goes_to_the_file_not_over_the_board(tmp_path: Path) -> None:
    data = tmp_path / "data"
    log = tmp_path / "demo.log"
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--speed", "30", "--seconds", str(RUN_S),
        "--data", str(data), "--log", str(log),
    ]  # fmt: skip
    demo = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + RUN_S + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break  # the demo closed the terminal
                if not chunk:
                    break
                screen += chunk
            elif demo.poll() is not None:
                break
        assert demo.wait(30) == 0, screen[-2000:]
    finally:
        if demo.poll() is None:
            demo.kill()
        os.close(master)
    text = screen.decode("utf-8", "replace")
    assert f"andon demo: log in {log}" in text
    assert "supervisor board" in text, "the board was on the terminal"
    assert " INFO " not in text and " WARNING " not in text, "a log line was written over it"
    written = log.read_text()
    assert "INFO andon.bus.embedded_broker" in written and "online at" in written
