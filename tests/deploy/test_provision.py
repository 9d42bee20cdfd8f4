"""``andon provision``: bundles, the password file, the ACL, idempotence and bad input."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from andon.bus.commands import COMMANDS
from andon.cli.main import main
from andon.config.loader import load_file, load_plant
from andon.config.station import StationFile
from andon.provision.acl import Grant, Site, board_grants, station_grants, store_grants
from andon.provision.bundle import (
    ProvisionOptions,
    broker_layout,
    plant_title,
    provision,
)
from andon.provision.errors import ProvisionError
from andon.provision.mosquitto_conf import render_mosquitto_conf
from andon.provision.passwords import (
    hash_matches,
    mosquitto_hash,
    parse_password_file,
    render_password_file,
)
from andon.provision.plant_copy import replace_broker_table, with_plant_reference

from .conftest import DEMO_PLANT, REPO

DEMO = DEMO_PLANT.parent
SITE = Site("andon", "demo-plant", "assembly")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --- passwords --------------------------------------------------------------------------


def test_the_hash_has_mosquittos_pbkdf2_format() -> None:
    hashed = mosquitto_hash("secret", salt=bytes(range(12)))
    algorithm, iterations, salt, digest = hashed.split("$")[1:]
    assert (algorithm, iterations, salt) == ("7", "101", "AAECAwQFBgcICQoL")
    assert len(digest) == 88  # 64 bytes in base64
    assert hash_matches("secret", hashed)
    assert not hash_matches("Secret", hashed)
    assert not hash_matches("secret", "$6$abc$def")


def test_hashes_made_by_mosquitto_passwd_verify(tmp_path: Path) -> None:
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        pytest.skip("mosquitto_passwd is not installed (apt-get install mosquitto)")
    path = tmp_path / "passwd"
    path.write_text("")
    subprocess.run([tool, "-b", str(path), "alice", "s3cret!"], check=True)
    hashed = parse_password_file(path.read_text())["alice"]
    assert hash_matches("s3cret!", hashed)
    assert not hash_matches("s3cret", hashed)


def test_unchanged_passwords_keep_their_lines() -> None:
    first = render_password_file({"b": "pw-b", "a": "pw-a"})
    assert [line.split(":")[0] for line in first.splitlines()] == ["a", "b"]
    previous = parse_password_file(first)
    again = render_password_file({"a": "pw-a", "b": "changed"}, previous)
    assert again.splitlines()[0] == first.splitlines()[0]
    assert again.splitlines()[1] != first.splitlines()[1]
    assert hash_matches("changed", parse_password_file(again)["b"])


@pytest.mark.parametrize("bad", ["", "a:b", "a b", "tab\tname"])
def test_usernames_that_the_files_cannot_hold_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="username"):
        render_password_file({bad: "pw"})


# --- ACL grants -------------------------------------------------------------------------


def test_a_station_writes_exactly_its_own_channels() -> None:
    base = "andon/demo-plant/assembly/line-a/a1"
    assert set(station_grants(SITE, "line-a", "a1")) == {
        Grant("write", f"{base}/state"),
        Grant("write", f"{base}/status"),
        Grant("write", f"{base}/events"),
        Grant("write", f"{base}/reply"),
        Grant("read", f"{base}/cmd/#"),
    }


def test_a_stations_own_board_commands_only_that_station() -> None:
    grants = board_grants(SITE, "a1-screen", ["line-a"], station="a1")
    writes = {g.topic for g in grants if g.access == "write"}
    assert writes == {
        *(f"andon/demo-plant/assembly/line-a/a1/cmd/{c}" for c in COMMANDS if c != "sim"),
        "andon/demo-plant/_boards/a1-screen/status",
    }


def test_a_board_sends_cmd_sim_only_to_simulated_stations() -> None:
    for station in (None, "a1"):
        real = board_grants(SITE, "b", ["line-a"], station=station)
        simulated = board_grants(SITE, "b", ["line-a"], station=station, simulated=True)
        assert not any(g.topic.endswith("/cmd/sim") for g in real)
        assert [g.topic for g in simulated if g.topic.endswith("/cmd/sim")] == [
            "andon/demo-plant/assembly/line-a/a1/cmd/sim"
            if station
            else "andon/demo-plant/assembly/line-a/+/cmd/sim"
        ]


def test_a_board_and_a_store_command_only_their_lines() -> None:
    board = {g.topic for g in board_grants(SITE, "b", ["line-b"]) if g.access == "write"}
    assert "andon/demo-plant/assembly/line-b/+/cmd/resolve" in board
    assert not any(topic.endswith("/cmd/+") for topic in board)
    assert not any("line-a" in topic for topic in board)
    store = {g.topic for g in store_grants(SITE, "s", ["line-a"]) if g.access == "write"}
    assert store == {
        "andon/demo-plant/assembly/line-a/+/cmd/kanban",
        "andon/demo-plant/assembly/line-a/+/cmd/replay",
        "andon/demo-plant/_stores/s/status",
    }


# --- the plant copy ---------------------------------------------------------------------


PLANT_TEXT = """\
kind = "plant"  # a comment that stays
schema = 1

# about the broker
[broker]
host = "10.0.0.5"
port = 1883 # inline comment

# about the site: belongs to [site]
[site]
id = "p1"
"""


def test_only_the_broker_table_is_replaced() -> None:
    table = {"host": "broker.plant", "port": 8883, "tls": True, "username": "station.l.s"}
    text = replace_broker_table(PLANT_TEXT, table, "for station.l.s")
    assert tomllib.loads(text) == {
        "kind": "plant",
        "schema": 1,
        "broker": table,
        "site": {"id": "p1"},
    }
    assert "# a comment that stays" in text
    assert "# about the site: belongs to [site]\n[site]" in text
    assert "# for station.l.s\n[broker]" in text


def test_a_missing_broker_table_is_added() -> None:
    text = replace_broker_table('kind = "plant"\n[site]\nid = "p1"', {"host": "h"})
    assert tomllib.loads(text)["broker"] == {"host": "h"}
    assert tomllib.loads(text)["site"] == {"id": "p1"}


def test_broker_settings_as_dotted_keys_are_refused() -> None:
    with pytest.raises(ProvisionError, match=r"\[broker\] table"):
        replace_broker_table('broker.host = "h"\n', {"host": "x"})


def test_the_plant_reference_is_rewritten() -> None:
    text = 'kind = "station"\nplant = "../plants/p.toml"  # shared\n[hardware]\n'
    changed = with_plant_reference(text, "plant.toml")
    assert tomllib.loads(changed) == {"kind": "station", "plant": "plant.toml", "hardware": {}}
    assert "# shared" in changed


# --- provisioning the demo plant ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    provision(DEMO_PLANT, ProvisionOptions(out=out))
    return out


def test_secrets_are_private(demo: Path) -> None:
    assert mode(demo) == 0o700
    assert mode(demo / "broker" / "passwd") == 0o600
    assert mode(demo / "broker" / "acl") == 0o600
    passwords = list(demo.glob("clients/*/mqtt.password"))
    assert len(passwords) == 14
    assert all(mode(p) == 0o600 for p in passwords)
    assert len({p.read_text() for p in passwords}) == 14


def test_the_password_file_holds_every_clients_password(demo: Path) -> None:
    hashes = parse_password_file((demo / "broker" / "passwd").read_text())
    for bundle in (demo / "clients").iterdir():
        password = (bundle / "mqtt.password").read_text().strip()
        assert hash_matches(password, hashes[bundle.name]), bundle.name


def test_a_bundle_is_a_working_configuration(demo: Path) -> None:
    bundle = demo / "clients" / "station.line-a.a1"
    station = load_file(bundle / "station-a1.toml")
    assert isinstance(station, StationFile)
    broker = station.plant_config.broker
    assert broker.username == "station.line-a.a1"
    assert broker.password_file == bundle / "mqtt.password"
    assert (broker.host, broker.port, broker.tls) == ("127.0.0.1", 1883, False)
    original = tomllib.loads(DEMO_PLANT.read_text())
    copy = tomllib.loads((bundle / "plant.toml").read_text())
    assert {k: v for k, v in copy.items() if k != "broker"} == {
        k: v for k, v in original.items() if k != "broker"
    }


def test_the_notifier_bundle_holds_its_notify_file(demo: Path) -> None:
    from andon.config.loader import load_notify

    bundle = demo / "clients" / "notifier.maintenance"
    notifier = load_notify(bundle / "notify.toml")
    assert notifier.plant_config.broker.username == "notifier.maintenance"
    assert notifier.plant_config.broker.password_file == bundle / "mqtt.password"


def test_the_acl_names_every_client_once(demo: Path) -> None:
    acl = (demo / "broker" / "acl").read_text()
    grants: dict[str, list[str]] = {}
    for line in acl.splitlines():
        if line.startswith("user "):
            user = line.split()[1]
            assert user not in grants, f"{user} named twice"
            grants[user] = []
        elif line.startswith("topic ") and grants:
            grants[user].append(line)
    clients = {p.name for p in (demo / "clients").iterdir()}
    doctors = {u for u in grants if u.startswith("doctor")}
    assert set(grants) - doctors == clients
    assert len(doctors) == len(clients), "every client has its doctor account"
    for doctor in doctors:
        role, _, name = doctor.partition(".")
        owner = "station." + name if role == "doctor" else doctor.removeprefix("doctor-")
        assert owner in clients, doctor
        assert grants[doctor] == [], f"{doctor} is granted nothing"
    first_user = acl.index("\nuser ")
    assert "topic " not in acl[:first_user]  # nothing granted to anonymous clients


def test_provisioning_again_changes_nothing(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    shutil.copytree(demo, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = provision(DEMO_PLANT, ProvisionOptions(out=out))
    assert result.written == []
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not any(b.new_password for b in result.bundles)


def test_rotating_changes_every_password(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "rotated"
    shutil.copytree(demo, out)
    result = provision(DEMO_PLANT, ProvisionOptions(out=out, rotate=True))
    assert all(b.new_password for b in result.bundles)
    for bundle in out.glob("clients/*"):
        old = (demo / "clients" / bundle.name / "mqtt.password").read_text()
        assert (bundle / "mqtt.password").read_text() != old


def test_a_client_that_left_is_reported_and_loses_access(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "fewer"
    shutil.copytree(demo, out)
    files = [DEMO / "station-a1.toml", DEMO / "board.toml"]
    result = provision(DEMO_PLANT, ProvisionOptions(out=out, member_files=files, notifiers=()))
    assert out / "clients" / "station.line-a.a2" in result.stale
    users = parse_password_file((out / "broker" / "passwd").read_text())
    assert sorted(users) == [
        "board.supervisor", "doctor-board.supervisor", "doctor-monitor", "doctor-watchdog",
        "doctor.line-a.a1", "monitor", "station.line-a.a1", "watchdog",
    ]  # fmt: skip
    acl = (out / "broker" / "acl").read_text()
    assert "station.line-a.a2" not in acl and "doctor.line-a.a2" not in acl
    assert "line-a.a2" not in (out / "broker" / "clientids.json").read_text()


def test_tls_bundles_point_at_the_tls_port_and_carry_the_ca(tmp_path: Path) -> None:
    out = tmp_path / "tls"
    options = ProvisionOptions(out=out, tls=True, broker_host="broker.plant", notifiers=())
    result = provision(DEMO_PLANT, options)
    assert result.layout.tls is not None and result.layout.tls.port == 8883
    assert result.layout.tls.address is None  # a host name: every interface
    assert result.layout.plain.address == "127.0.0.1"
    bundle = out / "clients" / "board.supervisor"
    broker = load_plant(bundle / "plant.toml").broker
    assert (broker.host, broker.port, broker.tls) == ("broker.plant", 8883, True)
    assert broker.ca_file == bundle / "ca.crt"
    assert (bundle / "ca.crt").read_bytes() == (out / "tls" / "ca.crt").read_bytes()
    assert mode(out / "broker" / "server.key") == 0o600
    assert not (bundle / "ca.key").exists() and not (out / "broker" / "ca.key").exists()


def test_the_reference_configuration_is_what_provision_writes() -> None:
    plant = load_plant(DEMO_PLANT)
    layout = broker_layout(plant, ProvisionOptions(out=Path("unused")), tls=False)
    expected = render_mosquitto_conf(layout, plant_title(plant))
    reference = REPO / "deploy" / "mosquitto" / "andon.conf"
    assert reference.read_text() == expected, (
        "regenerate it: andon provision --plant firmware_config/demo/plant.toml --out DIR, "
        "then copy DIR/broker/andon.conf to deploy/mosquitto/"
    )


def test_the_broker_dir_is_named_in_the_configuration(tmp_path: Path) -> None:
    options = ProvisionOptions(out=tmp_path / "o", broker_dir=PurePosixPath("/srv/mq"))
    result = provision(DEMO_PLANT, options)
    conf = (result.broker_dir / "andon.conf").read_text()
    assert "password_file /srv/mq/passwd\n" in conf and "acl_file /srv/mq/acl\n" in conf
    assert "allow_anonymous false\n" in conf
    for limit in ("max_queued_messages", "max_inflight_messages", "message_size_limit"):
        assert f"\n{limit} " in conf
    assert "\nmax_connections " in conf and "\npersistence true\n" in conf


# --- bad input ----------------------------------------------------------------------------


def test_an_invalid_station_file_names_file_and_key_and_writes_nothing(tmp_path: Path) -> None:
    plant_dir = tmp_path / "plant"
    shutil.copytree(DEMO, plant_dir)
    station = plant_dir / "station-a1.toml"
    station.write_text(station.read_text().replace('line = "line-a"', 'line = "line-x"'))
    out = tmp_path / "out"
    with pytest.raises(ProvisionError) as caught:
        provision(plant_dir / "plant.toml", ProvisionOptions(out=out))
    assert "station-a1.toml" in str(caught.value) and "line" in str(caught.value)
    assert not out.exists()


def test_files_with_syntax_errors_fail_naming_each_file_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant_dir = tmp_path / "plant"
    shutil.copytree(DEMO, plant_dir)
    (plant_dir / "station-a2.toml").write_text('kind = "station"\nline = "line-a\n')
    (plant_dir / "store.toml").write_bytes(b'kind = "store"\nname = "\xff"\n')
    out = tmp_path / "out"

    code = main(["provision", "--plant", str(plant_dir / "plant.toml"), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    assert f"{plant_dir / 'station-a2.toml'}" in err and "line 2" in err
    assert f"{plant_dir / 'store.toml'}" in err and "UTF-8" in err
    assert not out.exists()


def test_a_plant_file_with_a_syntax_error_fails_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant_dir = tmp_path / "plant"
    shutil.copytree(DEMO, plant_dir)
    plant = plant_dir / "plant.toml"
    plant.write_text(plant.read_text().replace("[calendar]", "[calendar", 1))
    out = tmp_path / "out"

    assert main(["provision", "--plant", str(plant), "--out", str(out)]) == 1

    assert str(plant) in capsys.readouterr().err
    assert not out.exists()


def test_two_boards_with_one_id_are_refused(tmp_path: Path) -> None:
    plant_dir = tmp_path / "plant"
    shutil.copytree(DEMO, plant_dir)
    board = plant_dir / "maintenance.toml"
    board.write_text(board.read_text().replace('id = "maintenance"', 'id = "supervisor"'))
    with pytest.raises(ProvisionError, match=r"board\.supervisor"):
        provision(plant_dir / "plant.toml", ProvisionOptions(out=tmp_path / "out"))


def test_a_file_of_another_plant_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(DEMO, other)
    with pytest.raises(ProvisionError, match="belongs to the plant file"):
        provision(
            DEMO_PLANT,
            ProvisionOptions(out=tmp_path / "out", member_files=[other / "station-a1.toml"]),
        )


# --- the command --------------------------------------------------------------------------


def test_the_command_prints_what_to_install_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["provision", "--plant", str(DEMO_PLANT), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert f"--role broker --broker-files {out / 'broker'}" in printed
    bundle = out / "clients" / "station.line-a.a1"
    assert f"--role station --config {bundle / 'station-a1.toml'}" in printed
    notifier = out / "clients" / "notifier.maintenance"
    assert f"--role notify --config {notifier / 'notify.toml'}" in printed
    assert main(["provision", "--plant", str(DEMO_PLANT), "--out", str(out)]) == 0
    assert "password kept" in capsys.readouterr().out


def test_the_command_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["provision", "--plant", str(missing), "--out", str(tmp_path / "o")]) == 1
    assert "nope.toml" in capsys.readouterr().err


def test_a_plant_file_whose_broker_cannot_be_rewritten_leaves_nothing(tmp_path: Path) -> None:
    plant_dir = tmp_path / "plant"
    shutil.copytree(DEMO, plant_dir)
    plant = plant_dir / "plant.toml"
    text = plant.read_text()
    table = text[text.index("[broker]") : text.index("[calendar]")]
    text = text.replace(table, "").replace("schema = 1\n", 'schema = 1\nbroker.host = "10.0.0.5"\n')
    plant.write_text(text)
    out = tmp_path / "out"
    with pytest.raises(ProvisionError, match=r"\[broker\] table"):
        provision(plant, ProvisionOptions(out=out))
    assert not out.exists()
