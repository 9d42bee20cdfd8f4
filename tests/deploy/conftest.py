"""Fixtures for the deployment tests: a plant provisioned into a temporary directory and
a real Mosquitto running the production configuration `andon provision` wrote for it.

The broker runs as the test user (``user root`` keeps a root test run from switching
to the mosquitto user), on free loopback ports, with its persistence and log in the
temporary directory; the generated ``andon.conf`` is included exactly as written,
the way Debian's ``/etc/mosquitto/mosquitto.conf`` includes ``conf.d/``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from andon.bus.client import BusClient, Message
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_plant
from andon.doctor.runner import doctor_settings
from andon.provision.bundle import ProvisionOptions, ProvisionResult, provision

REPO = Path(__file__).resolve().parents[2]
DEMO_PLANT = REPO / "firmware_config" / "demo" / "plant.toml"
HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0
WAIT_S = 5.0


def tool(name: str, apt_package: str) -> str:
    """The path of a command line tool; skips the test without it (fails in CI)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        message = f"{name} is not installed (apt-get install {apt_package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


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


class ProductionBroker:
    """Mosquitto with Debian's layout: a main file that includes the provisioned andon.conf."""

    def __init__(self, binary: str, workdir: Path, conf_dir: Path, ports: list[int]) -> None:
        self.workdir = workdir
        self.ports = ports
        self._binary = binary
        self.log_path = workdir / "mosquitto.log"
        self.main_conf = workdir / "mosquitto.conf"
        self.main_conf.write_text(
            "\n".join(
                [
                    "user root",
                    f"persistence_location {workdir}/",
                    f"log_dest file {self.log_path}",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    "log_type information",
                    f"include_dir {conf_dir}",
                    "",
                ]
            )
        )
        self.stderr_path = workdir / "stderr.log"
        self.start()

    def start(self) -> None:
        """Run Mosquitto (again, after :meth:`stop`: from its persistence file)."""
        with self.stderr_path.open("ab") as stderr:
            self.process = subprocess.Popen(
                [self._binary, "-c", str(self.main_conf)],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(_accepts(port) for port in self.ports):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"mosquitto did not start:\n{self.log()[-3000:]}")
            time.sleep(0.01)

    def log(self) -> str:
        """What Mosquitto said: first on stderr (reading the configuration), then in its log."""
        return "".join(p.read_text() for p in (self.stderr_path, self.log_path) if p.exists())

    def kill_and_start(self) -> None:
        """What systemd does after the watchdog killed a hung Mosquitto: start it afresh."""
        self.process.kill()
        self.process.wait(10)
        self.start()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@dataclass
class Plant:
    """A provisioned demo plant and its running broker."""

    result: ProvisionResult
    broker: ProductionBroker

    def bundle(self, username: str) -> Path:
        return self.result.out / "clients" / username

    def settings(self, username: str, **overrides: object) -> BrokerSettings:
        """What the device would use: the [broker] table of its bundle's plant copy.

        A station connects under its bundle's client id (the only one the broker lets
        its account use); ``client_id=""`` in ``overrides`` asks for a random one.
        """
        config = load_plant(self.bundle(username) / "plant.toml").broker
        settings = BrokerSettings.from_config(config, client_id=config.client_id or "")
        values = {**settings.__dict__, "reconnect_min_s": 0.1, "reconnect_max_s": 0.5}
        values.update(overrides)
        return BrokerSettings(**values)  # type: ignore[arg-type]

    def doctor_settings(self, username: str) -> BrokerSettings:
        """What ``andon doctor`` logs in with on that device (a station's doctor account)."""
        return doctor_settings(load_plant(self.bundle(username) / "plant.toml").broker)


def _provisioned_broker(
    tmp_path_factory: pytest.TempPathFactory, tls: bool, simulated: bool = False
) -> Iterator[Plant]:
    binary = tool("mosquitto", "mosquitto")
    for attempt in range(3):
        out = tmp_path_factory.mktemp("provisioned")
        port, tls_port = free_port(), free_port()
        options = ProvisionOptions(
            out=out,
            tls=tls,
            listen=HOST,
            port=port,
            tls_port=tls_port if tls else None,
            tls_names=(HOST, "localhost") if tls else (),
            broker_dir=PurePosixPath(out / "broker"),
            historians=("history",),
            simulated=simulated,
        )
        result = provision(DEMO_PLANT, options)
        workdir = tmp_path_factory.mktemp("mosquitto")
        try:
            broker = ProductionBroker(
                binary, workdir, out / "broker", [port, tls_port] if tls else [port]
            )
        except RuntimeError as error:
            if attempt == 2 or "in use" not in str(error):
                raise
            continue  # a free port was taken meanwhile: provision with others
        try:
            yield Plant(result, broker)
        finally:
            broker.stop()
        return


@pytest.fixture(scope="module")
def plain_plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    """The demo plant provisioned without TLS, its broker running."""
    yield from _provisioned_broker(tmp_path_factory, tls=False)


@pytest.fixture(scope="module")
def simulated_plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    """The demo plant provisioned for stations on simulated hardware (boards send cmd/sim)."""
    yield from _provisioned_broker(tmp_path_factory, tls=False, simulated=True)


@pytest.fixture(scope="module")
def tls_plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    """The demo plant provisioned with TLS (CA made here), its broker running."""
    yield from _provisioned_broker(tmp_path_factory, tls=True)


class Inbox:
    """Live messages one subscriber received, waited for by content (never by a sleep).

    Retained messages replayed on subscribing (left by earlier tests) are ignored:
    a live message reaches existing subscribers with the retain flag cleared.
    """

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._cond = threading.Condition()

    def __call__(self, message: Message) -> None:
        if message.retain:
            return
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()

    def wait_for(self, topic: str, payload: bytes, timeout: float = WAIT_S) -> list[Message]:
        """Every message up to and including the first ``topic``/``payload`` one."""
        with self._cond:
            found = self._cond.wait_for(
                lambda: any(m.topic == topic and m.payload == payload for m in self.messages),
                timeout,
            )
            assert found, f"{topic} {payload!r} never arrived; got {self.topics()}"
            index = next(
                i for i, m in enumerate(self.messages) if m.topic == topic and m.payload == payload
            )
            return self.messages[: index + 1]

    def topics(self) -> list[str]:
        return [m.topic for m in self.messages]


SYNC_TOPIC = "andon-test/sync"


def connect_client(
    clients: list[BusClient],
    settings: BrokerSettings,
    subscribe: dict[str, Inbox] | None = None,
) -> BusClient:
    """A connected BusClient whose subscriptions are in force.

    The client subscribes right after the broker accepted it, on the same
    connection as anything it publishes later; Mosquitto handles one client's
    packets in order. So once a QoS 1 message it publishes afterwards is
    acknowledged (even one the ACL drops), its subscriptions are active.
    """
    client = BusClient(settings)
    clients.append(client)
    for pattern, inbox in (subscribe or {}).items():
        client.subscribe(pattern, inbox)
    client.start()
    assert client.wait_connected(WAIT_S), f"not connected: {client.last_error}"
    if subscribe:
        assert client.publish(SYNC_TOPIC, b"", qos=1).wait(WAIT_S)
    return client


Connect = Callable[..., BusClient]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """``connect(settings, subscribe={pattern: inbox})`` -> a connected BusClient, closed after."""
    clients: list[BusClient] = []

    def factory(settings: BrokerSettings, subscribe: dict[str, Inbox] | None = None) -> BusClient:
        return connect_client(clients, settings, subscribe)

    yield factory
    for client in clients:
        client.close(timeout=1)
