"""``andon doctor``'s mosquitto check: the installed Mosquitto and a provisioned TLS bridge.

Mosquitto before 2.0.15 can hang after a failed TLS handshake of a bridge
(https://github.com/eclipse-mosquitto/mosquitto/issues/2594); the check names the
version, the issue and the remedy. The version is the real program's, the bridge
the one ``andon provision --enterprise`` writes, laid out as Debian includes it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from andon.config.loader import load_plant
from andon.doctor.mosquitto import (
    FIXED,
    MosquittoHost,
    check_mosquitto,
    installed_version,
    judge,
    tls_bridges,
)
from andon.doctor.result import Status, render
from andon.doctor.runner import DoctorOptions, run_checks
from andon.i18n import translator
from andon.provision.bridge import provision_bridge
from andon.provision.bundle import ProvisionOptions, provision
from andon.provision.enterprise_file import load_enterprise
from andon.provision.mosquitto_conf import BROKER_DIR

from .conftest import DEMO_PLANT, tool

ISSUE = "eclipse-mosquitto/mosquitto#2594"


def _debian_version(binary: str) -> tuple[int, int, int]:
    """The packaged version, from dpkg rather than from the program (2.0.11-1.2+deb12u1)."""
    done = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", "mosquitto"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"{binary} is not Debian's package")
    upstream = done.stdout.split("-")[0].split(":")[-1]
    major, minor, patch = (int(part) for part in upstream.split(".")[:3])
    return major, minor, patch


def _etc(tmp_path: Path, *, bridge: bool = True, tls: bool = True) -> Path:
    """A Debian-like /etc/mosquitto: mosquitto.conf including conf.d/ with the provisioned
    andon.conf and (``bridge``) the site's bridge.conf to an enterprise broker."""
    out = tmp_path / "provisioned"
    result = provision(DEMO_PLANT, ProvisionOptions(out=out))
    etc = tmp_path / "etc" / "mosquitto"
    conf_d = etc / "conf.d"
    conf_d.mkdir(parents=True)
    (etc / "mosquitto.conf").write_text(
        f"pid_file /run/mosquitto/mosquitto.pid\npersistence true\ninclude_dir {conf_d}\n"
    )
    (conf_d / "andon.conf").write_text((out / "broker" / "andon.conf").read_text())
    if bridge:
        ca = tmp_path / "enterprise-ca.crt"
        ca.write_text("-----BEGIN CERTIFICATE-----\n")
        enterprise = tmp_path / "enterprise.toml"
        enterprise.write_text(
            'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "ACME"\n'
            '[broker]\nhost = "mqtt.acme.example"\n'
            + (f'ca_file = "{ca}"\n' if tls else "tls = false\nport = 1883\n")
        )
        stations = sum(1 for b in result.bundles if b.client.kind == "station")
        plant = load_plant(DEMO_PLANT)
        provision_bridge(plant, stations, load_enterprise(enterprise), out, BROKER_DIR)
        (conf_d / "bridge.conf").write_text((out / "broker" / "bridge.conf").read_text())
    return etc / "mosquitto.conf"


def test_the_installed_mosquitto_names_its_version() -> None:
    binary = tool("mosquitto", "mosquitto")
    assert installed_version(binary) == _debian_version(binary)


def test_a_provisioned_tls_bridge_is_found_through_include_dir(tmp_path: Path) -> None:
    config = _etc(tmp_path)
    found = tls_bridges(config)
    assert found.tls == [("andon-acme", config.parent / "conf.d" / "bridge.conf")]
    assert found.unreadable == []


def test_a_plain_bridge_or_none_is_not_a_tls_bridge(tmp_path: Path) -> None:
    assert tls_bridges(_etc(tmp_path / "none", bridge=False)).tls == []
    plain = _etc(tmp_path / "plain", tls=False)
    assert "bridge_cafile" not in (plain.parent / "conf.d" / "bridge.conf").read_text()
    assert tls_bridges(plain).tls == []


def test_the_installed_mosquitto_with_a_tls_bridge_and_no_watchdog(tmp_path: Path) -> None:
    binary = tool("mosquitto", "mosquitto")
    version = _debian_version(binary)
    host = MosquittoHost(binary, _etc(tmp_path), tmp_path / "andon-broker-watchdog.service")
    result = check_mosquitto(host)
    assert result is not None
    if version >= FIXED:
        assert result.status is Status.OK and ISSUE in result.detail
        return
    shown = ".".join(map(str, version))
    assert result.status is Status.WARN
    assert f"Mosquitto {shown} with the TLS bridge andon-acme" in result.detail
    assert ISSUE in result.detail and "fixed in 2.0.15" in result.detail
    assert "no broker watchdog is installed" in result.detail
    assert "install the broker watchdog" in result.fix and "2.0.15" in result.fix
    assert "https://github.com/eclipse-mosquitto/mosquitto/issues/2594" in result.fix


def test_with_the_watchdog_installed_the_remedy_is_to_upgrade(tmp_path: Path) -> None:
    binary = tool("mosquitto", "mosquitto")
    if _debian_version(binary) >= FIXED:
        pytest.skip("the installed Mosquitto does not have the hang")
    unit = tmp_path / "andon-broker-watchdog.service"
    unit.write_text((Path(__file__).parents[2] / "deploy/systemd" / unit.name).read_text())
    results = run_checks(
        _plant_copy(tmp_path),
        DoctorOptions(
            skip=frozenset({"broker", "clock", "credentials"}),
            mosquitto=MosquittoHost(binary, _etc(tmp_path / "host"), unit),
        ),
    )
    result = next(r for r in results if r.check == "mosquitto")
    assert result.status is Status.WARN
    assert f"the broker watchdog is installed ({unit}) and restarts it" in result.detail
    assert result.fix.startswith("upgrade Mosquitto to 2.0.15 or later")
    printed = render(results)
    assert "WARN  mosquitto" in printed and printed.endswith("all checks passed")


def _plant_copy(tmp_path: Path) -> Path:
    plant = tmp_path / "plant.toml"
    plant.write_text(DEMO_PLANT.read_text())
    return plant


def test_a_fixed_mosquitto_is_ok_and_none_without_the_program(tmp_path: Path) -> None:
    config = _etc(tmp_path)
    host = MosquittoHost("mosquitto", config, tmp_path / "none.service")
    assert judge((2, 0, 15), tls_bridges(config), host).status is Status.OK
    assert judge((2, 0, 14), tls_bridges(config), host).status is Status.WARN
    assert judge((1, 6, 9), tls_bridges(config), host).status is Status.WARN
    assert check_mosquitto(MosquittoHost("andon-no-such-broker", config)) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_bridge_file_is_said(tmp_path: Path) -> None:
    config = _etc(tmp_path)
    bridge = config.parent / "conf.d" / "bridge.conf"
    bridge.chmod(0)
    found = tls_bridges(config)
    assert found.unreadable == [bridge]
    result = judge((2, 0, 11), found, MosquittoHost(config=config))
    assert result.status is Status.WARN and str(bridge) in result.detail
    assert f"sudo grep -n bridge_ {bridge}" in result.fix


def test_the_finding_in_german_and_chinese(tmp_path: Path) -> None:
    config = _etc(tmp_path)
    result = judge((2, 0, 11), tls_bridges(config), MosquittoHost(config=config))
    for language in ("de", "zh_CN", "zh_TW"):
        printed = render([result], translator(language))
        assert ISSUE in printed and "2.0.11" in printed and "2.0.15" in printed
        assert "can hang" not in printed, language
