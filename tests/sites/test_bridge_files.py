"""``andon provision --enterprise``: the bridge file, its sizing and the enterprise's entries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from andon.bus.replay_pacing import MAX_IN_FLIGHT
from andon.cli.main import main
from andon.provision.bridge import MAX_QUEUE_BYTES, bridge_queue, replay_allowance
from andon.provision.enterprise_file import BridgeSizing, load_enterprise
from andon.provision.errors import ProvisionError
from andon.provision.mosquitto_conf import MAX_QUEUED_MESSAGES
from andon.provision.passwords import hash_matches
from andon.station.replay import REPLAY_LIMIT

DEMO = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"


def write_enterprise(folder: Path, body: str = "", *, ca: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if ca:
        (folder / "enterprise-ca.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    path = folder / "enterprise.toml"
    path.write_text(
        'kind = "enterprise"\nschema = 1\n'
        '[enterprise]\nid = "acme"\nname = "ACME"\n'
        '[broker]\nhost = "mqtt.acme.example"\nca_file = "enterprise-ca.crt"\n' + body
    )
    return path


def provision(tmp_path: Path, enterprise: Path, *extra: str) -> int:
    return main(
        [
            "provision",
            "--plant",
            str(DEMO / "plant.toml"),
            "--out",
            str(tmp_path / "out"),
            "--enterprise",
            str(enterprise),
            *extra,
        ]
    )


def test_the_bridge_maps_the_site_under_the_enterprise_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    enterprise = write_enterprise(
        tmp_path / "e", '\nfailover = ["mqtt2.acme.example:8883"]\n[bridge]\noutage_h = 8\n'
    )
    assert provision(tmp_path, enterprise) == 0
    out = tmp_path / "out"
    conf = (out / "broker" / "bridge.conf").read_text()
    assert (out / "broker" / "bridge.conf").stat().st_mode & 0o777 == 0o600
    assert "address mqtt.acme.example:8883 mqtt2.acme.example:8883\n" in conf
    topics = [line for line in conf.splitlines() if line.startswith("topic ")]
    assert topics == [
        "topic +/+/+/events out 1 andon/demo-plant/ acme/demo-plant/",
        "topic +/+/+/state out 1 andon/demo-plant/ acme/demo-plant/",
        "topic +/+/+/status out 1 andon/demo-plant/ acme/demo-plant/",
        "topic +/+/+/reply out 1 andon/demo-plant/ acme/demo-plant/",
        "topic +/+/status out 1 andon/demo-plant/ acme/demo-plant/",
        "topic +/+/+/cmd/replay in 1 andon/demo-plant/ acme/demo-plant/",
    ]
    assert "bridge_cafile /etc/mosquitto/andon/enterprise-ca.crt\n" in conf
    assert "cleansession false\n" in conf
    assert (out / "broker" / "enterprise-ca.crt").is_file()
    acl = (out / "enterprise" / "demo-plant" / "acl").read_text()
    assert "user bridge.demo-plant\n" in acl
    grants = [line for line in acl.splitlines() if line.startswith("topic ")]
    assert all(" acme/demo-plant/" in line for line in grants)
    assert "topic read acme/demo-plant/+/+/+/cmd/replay" in grants
    assert not any(line.startswith("topic read") and "cmd/+" in line for line in grants)
    password = re.search(r"^remote_password (\S+)$", conf, re.M)
    assert password is not None
    user, hashed = (out / "enterprise" / "demo-plant" / "passwd").read_text().strip().split(":")
    assert user == "bridge.demo-plant" and hash_matches(password.group(1), hashed)
    printed = capsys.readouterr().out
    assert "bridge.demo-plant" in printed and "7 stations" in printed


def test_provisioning_again_keeps_the_bridge_password_and_rotate_changes_it(
    tmp_path: Path,
) -> None:
    enterprise = write_enterprise(tmp_path / "e")
    conf = tmp_path / "out" / "broker" / "bridge.conf"
    assert provision(tmp_path, enterprise) == 0
    first = conf.read_text()
    passwd = (tmp_path / "out" / "enterprise" / "demo-plant" / "passwd").read_text()
    assert provision(tmp_path, enterprise) == 0
    assert conf.read_text() == first
    assert (tmp_path / "out" / "enterprise" / "demo-plant" / "passwd").read_text() == passwd
    assert provision(tmp_path, enterprise, "--rotate") == 0
    assert conf.read_text() != first


def test_listed_commands_come_down_and_a_laboratory_bridge_has_no_tls(tmp_path: Path) -> None:
    folder = tmp_path / "e"
    folder.mkdir()
    enterprise = folder / "enterprise.toml"
    enterprise.write_text(
        'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "ACME"\n'
        '[broker]\nhost = "127.0.0.1"\nport = 1884\ntls = false\n'
        '[bridge]\ncommands_down = ["replay", "acknowledge"]\n'
    )
    assert provision(tmp_path, enterprise) == 0
    conf = (tmp_path / "out" / "broker" / "bridge.conf").read_text()
    assert "topic +/+/+/cmd/acknowledge in 1 andon/demo-plant/ acme/demo-plant/" in conf
    assert "bridge_cafile" not in conf


def test_the_queue_is_sized_for_the_outage_and_the_replays_after_it() -> None:
    sizing = BridgeSizing(outage_h=48, messages_per_station_h=600, message_bytes=500)
    queue = bridge_queue(40, sizing)
    assert queue.replays == 40 * REPLAY_LIMIT  # every station's replay may be in flight
    assert queue.messages == 40 * 600 * 48 + queue.replays
    assert queue.bytes == queue.messages * 500
    assert queue.hours == pytest.approx(48)
    small = bridge_queue(2, BridgeSizing(outage_h=1))
    assert small.messages == MAX_QUEUED_MESSAGES  # never below the broker's own limit
    assert small.hours > 1


def test_the_room_for_replays_is_one_round_of_a_consumers_replays_in_flight() -> None:
    assert replay_allowance(1) == REPLAY_LIMIT
    assert replay_allowance(MAX_IN_FLIGHT * 4) == MAX_IN_FLIGHT * REPLAY_LIMIT
    large = bridge_queue(MAX_IN_FLIGHT * 4, BridgeSizing(outage_h=1, message_bytes=100))
    assert large.replays == MAX_IN_FLIGHT * REPLAY_LIMIT


def test_replays_count_against_the_broker_memory() -> None:
    """An outage that fits alone but not with its replays is refused."""
    stations, rate, size = 200, 800, 700
    hours = (MAX_QUEUE_BYTES / size - 1000) / (stations * rate)  # fits without replays
    with pytest.raises(ProvisionError, match=r"bridge\.outage_h"):
        bridge_queue(stations, BridgeSizing(outage_h=hours, message_bytes=size))


def test_an_outage_beyond_the_broker_memory_is_refused() -> None:
    sizing = BridgeSizing(outage_h=24 * 14, messages_per_station_h=3600, message_bytes=1000)
    with pytest.raises(ProvisionError, match=r"bridge\.outage_h: .*MiB.*expected a shorter"):
        bridge_queue(200, sizing)
    assert MAX_QUEUE_BYTES == 1024**3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("port = 0\n", "broker.port"),
        ('[bridge]\ncommands_down = ["stop_line"]\n', "bridge.commands_down[0]"),
        ("[bridge]\nrestart_min_s = 30\nrestart_max_s = 10\n", "restart_max_s"),
        ('failover = ["mqtt2"]\n', "broker.failover[0]"),
        ("[bridge]\nwan = 1\n", "bridge.wan"),
    ],
)
def test_a_wrong_enterprise_file_names_the_file_and_key_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, expected: str
) -> None:
    enterprise = write_enterprise(tmp_path / "e", body)
    assert provision(tmp_path, enterprise) == 1
    error = capsys.readouterr().err
    assert str(enterprise) in error and expected in error
    assert not (tmp_path / "out").exists()


def test_tls_needs_the_enterprise_ca(tmp_path: Path) -> None:
    enterprise = write_enterprise(tmp_path / "e", ca=False)
    with pytest.raises(ProvisionError, match="no such file"):
        load_enterprise(enterprise)
    (tmp_path / "e" / "enterprise.toml").write_text(
        'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "A"\n'
        '[broker]\nhost = "h"\n'
    )
    with pytest.raises(ProvisionError, match="expected ca_file"):
        load_enterprise(enterprise)


def test_a_plant_file_is_not_an_enterprise_file(tmp_path: Path) -> None:
    copy = tmp_path / "plant.toml"
    shutil.copy(DEMO / "plant.toml", copy)
    with pytest.raises(ProvisionError, match='kind: expected kind = "enterprise", got "plant"'):
        load_enterprise(copy)
