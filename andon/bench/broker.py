"""A Mosquitto of its own for a run: loopback only, production limits, stopped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from andon.bench.words import NO_MOSQUITTO
from andon.bus.credentials import BrokerSettings
from andon.provision.mosquitto_conf import TUNING

HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0
MISSING = NO_MOSQUITTO


def find_mosquitto() -> str | None:
    """The broker binary (Debian installs it in /usr/sbin), or None."""
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


class BenchBroker:
    """One Mosquitto process listening on 127.0.0.1 only."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self._dir = tempfile.TemporaryDirectory(prefix="andon-bench-mosquitto-")
        self.config_path = Path(self._dir.name) / "mosquitto.conf"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    def _config(self) -> str:
        lines = [
            f"listener {self.port} {HOST}",
            "allow_anonymous true",
            "persistence false",
            *TUNING,  # production's limits and socket options, never Mosquitto's defaults
            "log_dest none",
        ]
        if os.geteuid() == 0:
            lines.append("user root")  # as root it would switch to the mosquitto user
        return "\n".join([*lines, ""])

    def start(self) -> BenchBroker:
        """Start on a free port; returns once it accepts connections."""
        for attempt in range(3):
            self.port = _free_port()
            self.config_path.write_text(self._config())
            process = subprocess.Popen(
                [self.binary, "-c", str(self.config_path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _accepts(self.port):
                if process.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            else:
                self._process = process
                return self
            error = b""
            if process.poll() is None:
                process.kill()
                process.wait(5)
            if process.stderr is not None:
                error = process.stderr.read()
                process.stderr.close()
            if attempt == 2:
                raise RuntimeError(f"mosquitto did not start: {error.decode(errors='replace')}")
        raise AssertionError("unreachable")

    def settings(self, client_id: str = "", *, clean_session: bool = True) -> BrokerSettings:
        """Client settings for this broker."""
        return BrokerSettings(
            host=HOST,
            port=self.port,
            client_id=client_id,
            clean_session=clean_session,
            reconnect_min_s=0.1,
            reconnect_max_s=0.5,
        )

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("mosquitto is not running")
        return self._process.pid

    def stop(self) -> None:
        """Stop the broker and remove its directory (safe to call twice)."""
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            if process.stderr is not None:
                process.stderr.close()
        self._dir.cleanup()

    def __enter__(self) -> BenchBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
