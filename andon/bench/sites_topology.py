"""The load test's brokers: site Mosquittos bridged over cuttable links to an enterprise one.

Each site broker runs the production limits and the bridge file that
:func:`andon.provision.bridge.render_bridge_conf` writes for a site (TLS, the
site's own account, its queue sized for the outage). The enterprise broker
takes the sites' ACL and password entries and a historian account. All on
loopback; everything is stopped by :meth:`Topology.stop`.

As on a site broker host, a broker watchdog (:class:`andon.bus.watchdog.BrokerWatchdog`)
watches each site broker and, when it hangs, kills it and starts it again on its port
and persistence file (:meth:`Topology.restart`). The CPU time and peak memory of a
killed broker are kept, so a site's figures cover every process it ran as.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from andon.bench import words as W
from andon.bench.broker_drops import SYS_INTERVAL_S
from andon.bench.machine import cpu_seconds, peak_mb
from andon.bench.processes import Child
from andon.bus.credentials import BrokerSettings
from andon.bus.watchdog import COOLDOWN_S, GRACE_S, BrokerWatchdog
from andon.provision.acl import AclEntry, Grant, render_acl
from andon.provision.bridge import ENTERPRISE_CA_FILE, SiteBridge, bridge_queue, render_bridge_conf
from andon.provision.enterprise_file import EnterpriseFile
from andon.provision.mosquitto_conf import TUNING
from andon.provision.passwords import new_password, render_password_file
from andon.provision.tls import ensure_tls

HOST = "127.0.0.1"
ENTERPRISE = "acme"
HISTORIAN = "historian"
START_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def _broker(binary: str, conf: Path, port: int) -> Child:
    child = Child([binary, "-c", str(conf)])
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _accepts(port):
        child.alive()
        if time.monotonic() > deadline:
            child.stop()
            raise RuntimeError(f"mosquitto ({conf}) did not listen on {port} in time")
        time.sleep(0.02)
    return child


def _root_user() -> list[str]:
    return ["user root"] if os.geteuid() == 0 else []  # root would switch to mosquitto


@dataclass
class Topology:
    """The running brokers and relay, and how to reach them."""

    folder: Path
    enterprise_port: int
    ca_file: Path
    historian_password: Path
    site_ports: dict[str, int]
    binary: str = "mosquitto"
    enterprise: Child | None = None
    relay: Child | None = None
    sites: dict[str, Child] = field(default_factory=dict)
    site_confs: dict[str, Path] = field(default_factory=dict)
    watchdogs: dict[str, BrokerWatchdog] = field(default_factory=dict)
    restarts: dict[str, int] = field(default_factory=dict)
    retired_cpu_s: dict[str, float] = field(default_factory=dict)
    """CPU time of the site brokers' killed processes."""
    retired_peak_mb: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def children(self) -> dict[str, Child]:
        out = {f"{W.SITE_BROKER} {s}": c for s, c in self.sites.items()}
        if self.enterprise is not None:
            out[W.ENTERPRISE_BROKER] = self.enterprise
        if self.relay is not None:
            out[W.WAN_RELAY] = self.relay
        return out

    def site_of(self, name: str) -> str | None:
        """The site whose broker :meth:`children` calls ``name``; None for the others."""
        site = name.removeprefix(f"{W.SITE_BROKER} ")
        return site if site != name and site in self.sites else None

    def cpu_seconds(self, name: str) -> float:
        """CPU time of a component so far; a site broker's over every process it ran as."""
        with self.lock:
            site = self.site_of(name)
            if site is None:
                return cpu_seconds(self.children()[name].pid)
            return self.retired_cpu_s.get(site, 0.0) + cpu_seconds(self.sites[site].pid)

    def peak_mb(self, name: str) -> float:
        with self.lock:
            site = self.site_of(name)
            now = peak_mb(self.children()[name].pid)
            return max(now, self.retired_peak_mb.get(site, 0.0)) if site else now

    def restart(self, site: str) -> None:
        """What systemd does after the watchdog killed a hung Mosquitto: start it afresh."""
        with self.lock:
            old = self.sites[site]
            peak = peak_mb(old.pid)
            old.process.kill()
            # Not reaped yet: its final CPU time is still in /proc.
            os.waitid(os.P_PID, old.pid, os.WEXITED | os.WNOWAIT)
            self.retired_cpu_s[site] = self.retired_cpu_s.get(site, 0.0) + cpu_seconds(old.pid)
            self.retired_peak_mb[site] = max(self.retired_peak_mb.get(site, 0.0), peak)
            old.stop()
            self.sites[site] = _broker(self.binary, self.site_confs[site], self.site_ports[site])
            self.restarts[site] = self.restarts.get(site, 0) + 1

    def watch(self, grace_s: float = GRACE_S, cooldown_s: float = COOLDOWN_S) -> None:
        """Start a broker watchdog on every site broker, with :meth:`restart` as its hook."""
        for site, port in self.site_ports.items():
            settings = BrokerSettings(host=HOST, port=port, client_id=f"watchdog.{site}")
            self.watchdogs[site] = BrokerWatchdog(
                settings, lambda s=site: self.restart(s), grace_s=grace_s, cooldown_s=cooldown_s
            ).start()

    def hangs(self) -> int:
        return sum(w.stats.hangs for w in self.watchdogs.values())

    def cut(self) -> None:
        """Cut every site's WAN link."""
        assert self.relay is not None
        self.relay.process.send_signal(signal.SIGUSR1)

    def restore(self) -> None:
        assert self.relay is not None
        self.relay.process.send_signal(signal.SIGUSR2)

    def stop(self) -> None:
        for watchdog in self.watchdogs.values():
            watchdog.stop()
        for child in [*self.sites.values(), self.relay, self.enterprise]:
            if child is not None:
                child.stop()


def enterprise_file(
    port: int, ca_file: Path | None, outage_h: float, messages_per_station_h: float
) -> EnterpriseFile:
    broker: dict[str, object] = {"host": "localhost", "port": port, "tls": ca_file is not None}
    if ca_file is not None:
        broker["ca_file"] = str(ca_file)
    return EnterpriseFile.model_validate(
        {
            "kind": "enterprise",
            "schema": 1,
            "enterprise": {"id": ENTERPRISE, "name": "Load test enterprise"},
            "broker": broker,
            "bridge": {
                "outage_h": outage_h,
                "messages_per_station_h": messages_per_station_h,
                "message_bytes": 400,
                "restart_min_s": 1,
                "restart_max_s": 2,
                "keepalive_s": 10,
            },
        }
    )


def start(
    binary: str,
    folder: Path,
    sites: list[str],
    per_site: int,
    rate: float,
    outage_s: float,
    *,
    tls_bridge: bool = True,
) -> Topology:
    """Write every configuration and start the enterprise broker, the relay and the sites."""
    tls = ensure_tls(folder / "tls", "load test enterprise CA", ["localhost", HOST])
    enterprise_port = free_port()
    historian_password = folder / "historian.password"
    historian_password.write_text(new_password() + "\n")
    historian_password.chmod(0o600)
    topology = Topology(folder, enterprise_port, tls.ca_cert, historian_password, {}, binary)
    try:
        bridge_port = enterprise_port if tls_bridge else free_port()
        relay = Child.python("-m", "andon.bench.wan_link", str(bridge_port), str(len(sites)))
        topology.relay = relay
        links = relay.read_json()["ports"]
        passwords = {HISTORIAN: historian_password.read_text().strip()}
        entries = [
            AclEntry(
                HISTORIAN,
                "historian",
                (
                    Grant("read", f"{ENTERPRISE}/#"),
                    Grant("write", f"{ENTERPRISE}/+/+/+/+/cmd/replay"),
                    Grant("write", f"{ENTERPRISE}/_enterprise/_historians/+/status"),
                ),
            ),
        ]
        site_confs: list[tuple[str, Path, int]] = []
        for site, link in zip(sites, links, strict=True):
            directory = folder / site
            directory.mkdir()
            shutil.copy(tls.ca_cert, directory / ENTERPRISE_CA_FILE)
            description = enterprise_file(
                link, tls.ca_cert if tls_bridge else None, outage_s / 3600 * 2, rate * 3600
            )
            bridge = SiteBridge(site, site, f"andon/{site}/", f"{ENTERPRISE}/{site}/", ("replay",))
            password = new_password()
            passwords[bridge.username] = password
            entries.append(bridge.acl_entry())
            queue = bridge_queue(per_site, description.bridge)
            port = free_port()
            conf = directory / "mosquitto.conf"
            base = [
                *_root_user(),
                f"listener {port} {HOST}",
                "allow_anonymous true",
                "persistence true",
                f"persistence_location {directory}/",
                "autosave_interval 60",
                f"sys_interval {SYS_INTERVAL_S}",
                *TUNING,
                "log_dest none",
                "",
            ]
            bridge_text = render_bridge_conf(
                bridge, description, queue, password, PurePosixPath(directory)
            )
            conf.write_text("\n".join(base) + bridge_text)
            site_confs.append((site, conf, port))
            topology.site_ports[site] = port
            topology.site_confs[site] = conf

        central = folder / "enterprise"
        central.mkdir()
        (central / "passwd").write_text(render_password_file(passwords))
        (central / "acl").write_text(render_acl(entries))
        conf = central / "mosquitto.conf"
        conf.write_text(
            "\n".join(
                [
                    *_root_user(),
                    "per_listener_settings false",
                    "allow_anonymous false",
                    f"password_file {central / 'passwd'}",
                    f"acl_file {central / 'acl'}",
                    "persistence true",
                    f"persistence_location {central}/",
                    *(t for t in TUNING if not t.startswith("max_queued")),
                    "max_queued_messages 2000000",
                    "max_queued_bytes 0",
                    f"listener {enterprise_port} {HOST}",
                    f"cafile {tls.ca_cert}",
                    f"certfile {tls.server_cert}",
                    f"keyfile {tls.server_key}",
                    "tls_version tlsv1.2",
                    *([] if tls_bridge else [f"listener {bridge_port} {HOST}"]),
                    "log_dest none",
                    "",
                ]
            )
        )
        topology.enterprise = _broker(binary, conf, enterprise_port)
        for site, site_conf, port in site_confs:
            topology.sites[site] = _broker(binary, site_conf, port)
    except BaseException:
        topology.stop()
        raise
    return topology
