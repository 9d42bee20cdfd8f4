"""Two provisioned sites bridged over cuttable WAN links to an enterprise broker (fixtures).

Everything is real and on loopback: each site is the demo plant under its own site
id, provisioned by ``andon provision --enterprise`` and served by a Mosquitto that
includes the written ``andon.conf`` and ``bridge.conf`` the way Debian's
``conf.d`` does; the enterprise broker is a third Mosquitto with a TLS listener,
the sites' ACL and password entries appended to its own, and a historian account.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from andon.bench.wan_link import WanLink
from andon.bus.credentials import BrokerSettings
from andon.bus.watchdog import BrokerWatchdog
from andon.config.loader import load_plant
from andon.provision.acl import AclEntry, Grant, render_acl
from andon.provision.bridge import BridgeResult, provision_bridge
from andon.provision.bundle import ProvisionOptions, ProvisionResult, provision
from andon.provision.enterprise_file import load_enterprise
from andon.provision.passwords import new_password, render_password_file
from andon.provision.tls import ensure_tls
from tests.deploy.conftest import HOST, ProductionBroker, free_port, tool

DEMO = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"
ENTERPRISE_ID = "acme"
SITES = ("plant-north", "plant-south")
HISTORIAN = "historian"
WATCHDOG_GRACE_S = 5.0


@dataclass
class Site:
    """One provisioned site: its files, its broker and its WAN link."""

    id: str
    provisioned: ProvisionResult
    bridge: BridgeResult
    broker: ProductionBroker
    wan: WanLink

    def bundle(self, username: str) -> Path:
        return self.provisioned.out / "clients" / username

    def settings(self, username: str, **overrides: object) -> BrokerSettings:
        """What a device of the site uses: its bundle's [broker] table, under its client id
        (the only one the broker lets its account use)."""
        config = load_plant(self.bundle(username) / "plant.toml").broker
        settings = BrokerSettings.from_config(config, client_id=config.client_id or "")
        values = {**settings.__dict__, "reconnect_min_s": 0.1}
        values["reconnect_max_s"] = 0.5
        values.update(overrides)
        return BrokerSettings(**values)  # type: ignore[arg-type]


@dataclass
class Enterprise:
    """The enterprise broker and the sites bridged to it."""

    broker: ProductionBroker
    tls_port: int
    ca_file: Path
    historian_password: Path
    sites: dict[str, Site]

    def historian(self, **overrides: object) -> BrokerSettings:
        values: dict[str, object] = {
            "host": "localhost",
            "port": self.tls_port,
            "tls": True,
            "ca_file": self.ca_file,
            "username": HISTORIAN,
            "password_file": self.historian_password,
            "reconnect_min_s": 0.1,
            "reconnect_max_s": 0.5,
        }
        values.update(overrides)
        return BrokerSettings(**values)  # type: ignore[arg-type]


def site_plant(root: Path, site: str) -> Path:
    """The demo plant's files under another site id."""
    folder = root / site
    shutil.copytree(DEMO, folder)
    plant = folder / "plant.toml"
    text = plant.read_text(encoding="utf-8")
    assert 'id = "demo-plant"' in text
    plant.write_text(text.replace('id = "demo-plant"', f'id = "{site}"'), encoding="utf-8")
    return plant


def enterprise_file(root: Path, port: int, ca: Path, outage_h: float = 2) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "enterprise.toml"
    path.write_text(
        "\n".join(
            [
                'kind = "enterprise"',
                "schema = 1",
                "[enterprise]",
                f'id = "{ENTERPRISE_ID}"',
                'name = "ACME Manufacturing"',
                "[broker]",
                'host = "localhost"',
                f"port = {port}",
                f'ca_file = "{ca}"',
                "[bridge]",
                f"outage_h = {outage_h}",
                "restart_min_s = 1",
                "restart_max_s = 2",
                "keepalive_s = 5",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def enterprise_conf(folder: Path, tls_port: int, tls_dir: Path) -> None:
    """The enterprise broker's own andon.conf: TLS only, big queues for the historian."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "enterprise.conf").write_text(
        "\n".join(
            [
                "per_listener_settings false",
                "allow_anonymous false",
                f"password_file {folder / 'passwd'}",
                f"acl_file {folder / 'acl'}",
                "persistence true",
                "max_queued_messages 1000000",
                "max_queued_bytes 0",
                "max_inflight_messages 100",
                "set_tcp_nodelay true",
                f"listener {tls_port} {HOST}",
                f"cafile {tls_dir / 'ca.crt'}",
                f"certfile {tls_dir / 'server.crt'}",
                f"keyfile {tls_dir / 'server.key'}",
                "tls_version tlsv1.2",
                "",
            ]
        )
    )


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Enterprise]:
    binary = tool("mosquitto", "mosquitto")
    root = tmp_path_factory.mktemp("sites")
    tls = ensure_tls(root / "enterprise-tls", "ACME enterprise CA", ["localhost", HOST])
    tls_port = free_port()
    links = {site: WanLink(tls_port) for site in SITES}
    started: list[ProductionBroker] = []
    watchdogs: list[BrokerWatchdog] = []
    try:
        results: dict[str, tuple[ProvisionResult, BridgeResult, int]] = {}
        for site in SITES:
            # Each site reaches the enterprise through its own WAN link.
            description = enterprise_file(
                root / f"{site}-enterprise", links[site].port, tls.ca_cert
            )
            plant_file = site_plant(root, site)
            out = root / f"{site}-provisioned"
            port = free_port()
            options = ProvisionOptions(
                out=out, listen=HOST, port=port, broker_dir=PurePosixPath(out / "broker")
            )
            provisioned = provision(plant_file, options)
            stations = sum(1 for b in provisioned.bundles if b.client.kind == "station")
            bridge = provision_bridge(
                load_plant(plant_file),
                stations,
                load_enterprise(description),
                out,
                PurePosixPath(out / "broker"),
            )
            results[site] = (provisioned, bridge, port)

        conf_dir = root / "enterprise-broker"
        enterprise_conf(conf_dir, tls_port, tls.server_cert.parent)
        historian_password = root / "historian.password"
        password = new_password()
        historian_password.write_text(password + "\n")
        historian_password.chmod(0o600)
        passwd = render_password_file({HISTORIAN: password})
        acl = render_acl(
            [
                AclEntry(
                    HISTORIAN,
                    "The enterprise historian",
                    (
                        Grant("read", f"{ENTERPRISE_ID}/#"),
                        Grant("write", f"{ENTERPRISE_ID}/+/+/+/+/cmd/+"),
                        Grant("write", f"{ENTERPRISE_ID}/_enterprise/_historians/+/status"),
                    ),
                )
            ]
        )
        for _, bridge, _ in results.values():
            passwd += (bridge.enterprise_dir / "passwd").read_text()
            acl += "\n" + (bridge.enterprise_dir / "acl").read_text()
        (conf_dir / "passwd").write_text(passwd)
        (conf_dir / "acl").write_text(acl)
        central = ProductionBroker(
            binary, tmp_path_factory.mktemp("enterprise-mosquitto"), conf_dir, [tls_port]
        )
        started.append(central)
        sites: dict[str, Site] = {}
        for site, (provisioned, bridge, port) in results.items():
            broker = ProductionBroker(
                binary,
                tmp_path_factory.mktemp(f"{site}-mosquitto"),
                bridge.bridge_conf.parent,
                [port],
            )
            started.append(broker)
            sites[site] = Site(site, provisioned, bridge, broker, links[site])
        for site in sites.values():
            # What andon-broker-watchdog.service does on a site's broker host, with this
            # fixture in systemd's place: Debian 12's Mosquitto can hang after a failed TLS
            # handshake of its bridge (eclipse-mosquitto/mosquitto#2594).
            watchdogs.append(
                BrokerWatchdog(
                    site.settings("watchdog"),
                    site.broker.kill_and_start,
                    grace_s=WATCHDOG_GRACE_S,
                    cooldown_s=WATCHDOG_GRACE_S,
                    check_s=0.5,
                ).start()
            )
        yield Enterprise(central, tls_port, tls.ca_cert, historian_password, sites)
    finally:
        for watchdog in watchdogs:
            watchdog.stop()
        for broker in reversed(started):
            broker.stop()
        for link in links.values():
            link.close()
