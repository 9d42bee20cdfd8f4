"""deploy/install.sh: shellcheck, and installs into a --prefix that show the expected tree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from andon.config.board import BoardFile
from andon.config.loader import load_file, load_plant
from andon.config.station import StationFile
from andon.provision.bridge import provision_bridge
from andon.provision.bundle import ProvisionOptions, provision
from andon.provision.enterprise_file import load_enterprise
from andon.provision.mosquitto_conf import BROKER_DIR

from .conftest import DEMO_PLANT, REPO, tool

DEPLOY = REPO / "deploy"
INSTALL = DEPLOY / "install.sh"
STATION_A1 = DEMO_PLANT.parent / "station-a1.toml"
UNITS = sorted(p.name for p in (DEPLOY / "systemd").glob("*.service"))


def install(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", str(INSTALL), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if check:
        assert done.returncode == 0, done.stderr + done.stdout
    return done


def tree(root: Path) -> dict[str, int]:
    """Every path under ``root`` with its permission bits."""
    return {str(p.relative_to(root)): p.stat().st_mode & 0o777 for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("provisioned")
    options = ProvisionOptions(
        out=out, tls=True, broker_host="broker.plant", historians=("history",)
    )
    provision(DEMO_PLANT, options)
    return out


def test_shellcheck_finds_nothing() -> None:
    """install.sh and the step files it sources, each checked where it is sourced (-x)."""
    shellcheck = tool("shellcheck", "shellcheck")
    scripts = sorted(DEPLOY.glob("*.sh"))
    steps = sorted((DEPLOY / "lib").glob("*.sh"))
    assert scripts and steps
    sourced = INSTALL.read_text()
    assert all(f'lib/{step.name}"' in sourced for step in steps), "a step file nobody sources"
    done = subprocess.run(
        [shellcheck, "--severity=style", "--external-sources", *map(str, scripts + steps)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_station_installs_into_the_prefix(bundles: Path, tmp_path: Path) -> None:
    bundle = bundles / "clients" / "station.line-a.a1"
    done = install(
        "--prefix", tmp_path, "--no-venv", "--role", "station",
        "--config", bundle / "station-a1.toml", "--ntp", "ntp.plant.local",
    )  # fmt: skip
    files = tree(tmp_path)
    etc = "etc/andon/station-a1"
    assert files[f"{etc}"] == 0o750
    assert files[f"{etc}/station.toml"] == 0o640
    assert files[f"{etc}/plant.toml"] == 0o640
    assert files[f"{etc}/mqtt.password"] == 0o600
    assert files[f"{etc}/ca.crt"] == 0o644
    assert files["var/lib/andon"] == 0o750
    assert files["opt/andon"] == 0o755
    for unit in UNITS:
        assert files[f"etc/systemd/system/{unit}"] == 0o644
    assert files["etc/udev/rules.d/99-andon-scanners.rules"] == 0o644
    assert files["etc/systemd/journald.conf.d/andon.conf"] == 0o644
    timesyncd = tmp_path / "etc/systemd/timesyncd.conf.d/andon.conf"
    assert "NTP=ntp.plant.local\n" in timesyncd.read_text()
    assert "etc/mosquitto" not in files
    assert not any(name.endswith(".bak") for name in files)

    # Nothing outside the prefix: the system-wide steps are only named.
    for step in ("apt-get install", "useradd", "systemctl enable andon-station@station-a1"):
        assert any(
            line.startswith("skipped (--prefix): ") and step in line
            for line in done.stdout.splitlines()
        ), step
    assert not any(line.startswith("+ systemctl") for line in done.stdout.splitlines())

    # What is installed is a working configuration: the station finds its credentials.
    station = load_file(tmp_path / etc / "station.toml")
    assert isinstance(station, StationFile)
    broker = station.plant_config.broker
    assert broker.password_file == tmp_path / etc / "mqtt.password"
    assert broker.ca_file == tmp_path / etc / "ca.crt"
    assert broker.username == "station.line-a.a1"
    assert (broker.host, broker.port) == ("broker.plant", 8883)


def test_installing_again_changes_nothing(bundles: Path, tmp_path: Path) -> None:
    bundle = bundles / "clients" / "board.supervisor"
    config = bundle / "board.toml"
    args = ("--prefix", tmp_path, "--no-venv", "--role", "board,board-web", "--config", config)
    install(*args)
    first = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    modes = tree(tmp_path)
    install(*args)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == first
    assert tree(tmp_path) == modes
    board = load_file(tmp_path / "etc/andon/board/board.toml")
    assert isinstance(board, BoardFile) and board.plant_config.broker.username == "board.supervisor"


def test_a_changed_file_is_replaced_and_kept_as_bak(bundles: Path, tmp_path: Path) -> None:
    bundle = bundles / "clients" / "store.store"
    args = ("--prefix", tmp_path, "--no-venv", "--role", "store", "--config", bundle / "store.toml")
    install(*args)
    installed = tmp_path / "etc/andon/store/store.toml"
    installed.write_text(installed.read_text() + "# edited on the device\n")
    install(*args)
    assert installed.read_bytes() == (bundle / "store.toml").read_bytes()
    assert (tmp_path / "etc/andon/store/store.toml.bak").read_text().endswith("on the device\n")


def test_the_broker_role_installs_the_provisioned_files(bundles: Path, tmp_path: Path) -> None:
    done = install("--prefix", tmp_path, "--no-venv", "--role", "broker",
                   "--broker-files", bundles / "broker")  # fmt: skip
    files = tree(tmp_path)
    assert files["etc/mosquitto/conf.d/andon.conf"] == 0o644
    assert files["etc/mosquitto/andon"] == 0o750
    for name, expected in (("passwd", 0o600), ("acl", 0o600), ("clientids.json", 0o600),
                           ("server.key", 0o600), ("server.crt", 0o644),
                           ("ca.crt", 0o644)):  # fmt: skip
        assert files[f"etc/mosquitto/andon/{name}"] == expected, name
    assert (tmp_path / "etc/mosquitto/andon/passwd").read_bytes() == (
        bundles / "broker" / "passwd"
    ).read_bytes()
    assert "skipped (--prefix): chown mosquitto:mosquitto" in done.stdout
    assert "skipped (--prefix): systemctl restart mosquitto.service" in done.stdout
    assert "etc/andon/broker" not in files


def test_the_broker_role_installs_the_bridge_to_the_enterprise(tmp_path: Path) -> None:
    out = tmp_path / "provisioned"
    ca = tmp_path / "enterprise-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    enterprise = tmp_path / "enterprise.toml"
    enterprise.write_text(
        'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "ACME"\n'
        f'[broker]\nhost = "mqtt.acme.example"\nca_file = "{ca}"\n'
    )
    plant = load_plant(DEMO_PLANT)
    result = provision(DEMO_PLANT, ProvisionOptions(out=out))
    stations = sum(1 for b in result.bundles if b.client.kind == "station")
    provision_bridge(plant, stations, load_enterprise(enterprise), out, BROKER_DIR)
    root = tmp_path / "root"
    install("--prefix", root, "--no-venv", "--role", "broker", "--broker-files", out / "broker")
    files = tree(root)
    assert files["etc/mosquitto/conf.d/bridge.conf"] == 0o600
    assert files["etc/mosquitto/andon/enterprise-ca.crt"] == 0o644
    assert (root / "etc/mosquitto/conf.d/bridge.conf").read_bytes() == (
        out / "broker" / "bridge.conf"
    ).read_bytes()


def test_a_dry_run_changes_nothing(bundles: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "root"
    bundle = bundles / "clients" / "station.line-a.a2"
    done = install("--prefix", prefix, "--dry-run", "--role", "station",
                   "--config", bundle / "station-a2.toml")  # fmt: skip
    assert not prefix.exists()
    etc = f"{prefix}/etc/andon/station-a2"
    assert f"+ install -m 0600 -- {bundle}/mqtt.password {etc}/mqtt.password" in done.stdout
    assert f"+ python3 -m venv {prefix}/opt/andon/venv" in done.stdout
    assert "pip install" in done.stdout and "[pi]" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "printer"), "unknown role 'printer'"),
        (("--role", "station"), "need --config FILE"),
        (("--role", "broker"), "needs --broker-files"),
        (("--role", "board", "--config", STATION_A1), 'needs kind = "board"'),
        (("--role", "station", "--config", "/nonexistent.toml"), "no configuration file"),
        (("--role", "station", "--config", STATION_A1, "--name", "A 1"), "--name"),
        ((), "say which role"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(
    args: tuple[str | Path, ...], message: str, tmp_path: Path
) -> None:
    done = install("--prefix", tmp_path / "root", "--no-venv", *args, check=False)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "root").exists()


def test_a_config_whose_plant_is_elsewhere_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    text = STATION_A1.read_text()
    config.write_text(text.replace('plant = "plant.toml"', 'plant = "../plant.toml"'))
    done = install("--prefix", tmp_path / "root", "--no-venv", "--role", "station",
                   "--config", config, check=False)  # fmt: skip
    assert done.returncode == 2 and 'set plant = "plant.toml"' in done.stderr


def test_the_historian_gets_its_plant_file_password_and_database_setting(
    bundles: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(bundles / "clients" / "historian.history", bundle)
    (bundle / "historian.env").write_text("ANDON_HISTORY_DATABASE=postgresql://andon@db/andon\n")
    done = install("--prefix", tmp_path / "root", "--no-venv", "--role", "historian",
                   "--config", bundle / "plant.toml")  # fmt: skip
    files = tree(tmp_path / "root")
    for name, expected in (("plant.toml", 0o640), ("mqtt.password", 0o600),
                           ("historian.env", 0o600)):  # fmt: skip
        assert files[f"etc/andon/historian/{name}"] == expected, name
    assert "systemctl enable andon-historian.service" in done.stdout


def test_the_notifier_gets_its_secrets_file(bundles: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(bundles / "clients" / "notifier.maintenance", bundle)
    (bundle / "notify.env").write_text("ANDON_NOTIFY_MAIL_URL='mailtos://user:pw@smtp'\n")
    done = install("--prefix", tmp_path / "root", "--no-venv", "--role", "notify",
                   "--config", bundle / "notify.toml")  # fmt: skip
    files = tree(tmp_path / "root")
    for name, expected in (("notify.toml", 0o640), ("plant.toml", 0o640),
                           ("mqtt.password", 0o600), ("notify.env", 0o600)):  # fmt: skip
        assert files[f"etc/andon/notify/{name}"] == expected, name
    assert "skipped (--prefix): chown root:root" in done.stdout
    assert "systemctl enable andon-notify.service" in done.stdout
