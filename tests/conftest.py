"""Fixtures every part of the suite shares: real MQTT brokers on loopback.

* ``mosquitto_factory(**options)`` starts a Mosquitto on a free loopback port
  with its own config, log and persistence directory; the broker can be
  killed (SIGKILL) and started again on the same port. Every broker started
  is stopped at the end of the test.
* ``mosquitto``: one such broker with default options.
* ``embedded_broker``: the in-process amqtt broker on a free loopback port.

Without the ``mosquitto`` binary the Mosquitto tests are skipped, except in
CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from andon.bus.credentials import BrokerSettings
from andon.bus.embedded_broker import EmbeddedBroker

# The suite reads andon's English texts: the language of the machine that runs it (a German
# developer's LANG, a CI image's) must not change what a command writes. LANGUAGE comes first
# for andon's terminal commands; a test of another language passes its own environment.
os.environ["LANGUAGE"] = "en"

HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0


def mosquitto_binary() -> str | None:
    """Path of the mosquitto broker (Debian installs it in /usr/sbin)."""
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


class Mosquitto:
    """One Mosquitto process on loopback; restartable on the same port."""

    def __init__(
        self,
        binary: str,
        workdir: Path,
        *,
        persistence: bool = False,
        allow_anonymous: bool = True,
        password_file: Path | None = None,
        tls: tuple[Path, Path, Path] | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        self.binary = binary
        self.workdir = workdir
        self.host = HOST
        self.port = free_port()
        self.persistence = persistence
        self.allow_anonymous = allow_anonymous
        self.password_file = password_file
        self.tls = tls
        self.extra = tuple(extra)
        self.log_path = workdir / "mosquitto.log"
        self.config_path = workdir / "mosquitto.conf"
        self._process: subprocess.Popen[bytes] | None = None

    def config(self) -> str:
        lines = [
            f"listener {self.port} {HOST}",
            f"allow_anonymous {'true' if self.allow_anonymous else 'false'}",
            "max_queued_messages 100000",
            "max_inflight_messages 0",
            "user root",  # as root it would otherwise switch to the mosquitto user
            f"log_dest file {self.log_path}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
        ]
        if self.persistence:
            lines += ["persistence true", f"persistence_location {self.workdir}/"]
        else:
            lines.append("persistence false")
        if self.password_file is not None:
            lines.append(f"password_file {self.password_file}")
        if self.tls is not None:
            ca_file, cert_file, key_file = self.tls
            lines += [f"cafile {ca_file}", f"certfile {cert_file}", f"keyfile {key_file}"]
        return "\n".join([*lines, *self.extra, ""])

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> Mosquitto:
        """Start (again) on the same port; returns once it accepts connections."""
        if self.running:
            raise RuntimeError("mosquitto is already running")
        self.config_path.write_text(self.config())
        self._process = subprocess.Popen(
            [self.binary, "-c", str(self.config_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _accepts(self.port):
            if self._process.poll() is not None:
                error = self._process.stderr.read().decode() if self._process.stderr else ""
                log = self.log_path.read_text() if self.log_path.exists() else ""
                self._process = None
                raise RuntimeError(f"mosquitto exited at start:\n{error}\n{log[-2000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"mosquitto did not listen on {self.port} in time")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Graceful stop (SIGTERM): persistence is saved."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """Crash (SIGKILL): nothing saved, connections dropped at once."""
        self._end(signal.SIGKILL)

    def _end(self, sig: signal.Signals) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stderr:
            process.stderr.close()

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def settings(self, **overrides: object) -> BrokerSettings:
        """Client settings for this broker, with a short reconnect delay for tests."""
        values: dict[str, object] = {
            "host": HOST,
            "port": self.port,
            "reconnect_min_s": 0.1,
            "reconnect_max_s": 0.5,
        }
        values.update(overrides)
        return BrokerSettings(**values)  # type: ignore[arg-type]


MosquittoFactory = Callable[..., Mosquitto]


@pytest.fixture
def mosquitto_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosquittoFactory]:
    """``factory(persistence=, allow_anonymous=, password_file=, tls=, extra=)`` -> started broker.

    ``tls`` is ``(ca_file, cert_file, key_file)``; ``extra`` are more config lines.
    """
    binary = mosquitto_binary()
    if binary is None:
        message = "the mosquitto binary is not installed (apt-get install mosquitto)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    started: list[Mosquitto] = []

    def factory(**options: object) -> Mosquitto:
        workdir = tmp_path_factory.mktemp("mosquitto")
        for attempt in range(3):
            broker = Mosquitto(binary, workdir, **options)  # type: ignore[arg-type]
            started.append(broker)
            try:
                return broker.start()
            except RuntimeError:
                if attempt == 2 or "in use" not in broker.log():
                    raise
                broker.log_path.unlink()  # the free port was taken meanwhile: another one
        raise AssertionError("unreachable")

    yield factory
    for broker in started:
        broker.kill()


@pytest.fixture
def mosquitto(mosquitto_factory: MosquittoFactory) -> Mosquitto:
    """A Mosquitto on loopback with default options (anonymous, no persistence)."""
    return mosquitto_factory()


@pytest.fixture
def embedded_broker() -> Iterator[EmbeddedBroker]:
    """The in-process amqtt broker on a free loopback port."""
    broker = EmbeddedBroker(HOST, 0).start()
    try:
        yield broker
    finally:
        broker.stop()


# In CI, property tests draw the same examples every run: a red build is then
# reproducible, and a found counter-example belongs in an @example.
if os.environ.get("CI"):
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    hypothesis_settings.load_profile("ci")

# Simulated stations from the demo configuration, for every test package.
from tests.support.stations import collector_factory, station_factory  # noqa: E402, F401
