"""TLS with the plant's own CA, on a real Mosquitto; and the certificates themselves."""

from __future__ import annotations

import ssl
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from andon.doctor.broker import check_broker
from andon.doctor.result import Status
from andon.provision.tls import TlsFiles, ensure_tls, have_cryptography
from tests.support.fresh_bus_process import round_trip

from .conftest import HOST, Connect, Inbox, Plant, tool

A1 = "andon/demo-plant/assembly/line-a/a1"


def test_clients_connect_over_tls_with_the_provisioned_ca(tls_plant: Plant) -> None:
    settings = tls_plant.doctor_settings("station.line-a.a1")
    assert settings.tls and settings.port == tls_plant.result.layout.tls.port  # type: ignore[union-attr]
    assert settings.ca_file == tls_plant.bundle("station.line-a.a1") / "ca.crt"
    result = check_broker(settings)
    assert result.status is Status.OK, result.detail
    assert "(tls)" in result.detail


def test_events_travel_over_tls(tls_plant: Plant, connect: Connect) -> None:
    seen = Inbox()
    connect(tls_plant.settings("board.supervisor"), subscribe={"andon/demo-plant/#": seen})
    station = connect(tls_plant.settings("station.line-a.a1"))
    assert station.publish(f"{A1}/events", b"over tls", qos=1).wait(5)
    assert seen.wait_for(f"{A1}/events", b"over tls")


def test_a_fresh_process_takes_a_burst_over_tls(tls_plant: Plant) -> None:
    # A topic the board's ACL lets it both send and read: a command it is allowed to send
    # (no station runs here to act on it). A topic outside its ACL would be acknowledged
    # by the broker and silently dropped.
    report = round_trip(tls_plant.settings("board.supervisor"), f"{A1}/cmd/replay")
    assert report["received"] == 50 + 2050


def test_a_broker_from_another_ca_is_not_trusted(tls_plant: Plant, tmp_path: Path) -> None:
    stranger = ensure_tls(tmp_path / "other", "another CA", [HOST], backend="openssl")
    settings = replace(tls_plant.doctor_settings("station.line-a.a1"), ca_file=stranger.ca_cert)
    result = check_broker(settings)
    assert result.status is Status.FAIL
    assert "not trusted" in result.detail


def test_the_plain_listener_serves_only_this_machine(tls_plant: Plant) -> None:
    layout = tls_plant.result.layout
    assert layout.plain.address == "127.0.0.1"
    conf = (tls_plant.result.broker_dir / "andon.conf").read_text()
    assert f"listener {layout.plain.port} 127.0.0.1\n" in conf
    doctor = tls_plant.doctor_settings("monitor")
    plain = replace(doctor, tls=False, ca_file=None, port=layout.plain.port)
    assert check_broker(plain).status is Status.OK


def test_plain_mqtt_on_the_tls_port_gets_no_answer(tls_plant: Plant) -> None:
    settings = replace(tls_plant.settings("monitor"), tls=False, ca_file=None)
    result = check_broker(settings, timeout_s=2)
    assert result.status is Status.FAIL
    assert "before accepting the login" in result.detail


def _check_certificates(files: TlsFiles, name: str) -> None:
    openssl = tool("openssl", "openssl")
    done = subprocess.run(
        [openssl, "verify", "-x509_strict", "-CAfile", str(files.ca_cert), str(files.server_cert)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(files.server_cert, files.server_key)  # the key fits the certificate
    text = subprocess.run(
        [openssl, "x509", "-noout", "-ext", "subjectAltName", "-in", str(files.server_cert)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"DNS:{name}" in text and "IP Address:10.0.0.5" in text
    for private in (files.ca_key, files.server_key):
        assert private.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("backend", ["openssl", "cryptography"])
def test_certificates_pass_strict_verification(backend: str, tmp_path: Path) -> None:
    if backend == "cryptography" and not have_cryptography():
        pytest.skip("the cryptography package is not installed (the openssl CLI is used)")
    files = ensure_tls(tmp_path, "andon test CA", ["broker.plant", "10.0.0.5"], backend=backend)  # type: ignore[arg-type]
    _check_certificates(files, "broker.plant")


def test_the_ca_is_kept_and_the_server_certificate_renewed(tmp_path: Path) -> None:
    first = ensure_tls(tmp_path, "andon test CA", ["broker.plant"], backend="openssl")
    ca, server = first.ca_cert.read_bytes(), first.server_cert.read_bytes()
    again = ensure_tls(tmp_path, "andon test CA", ["broker.plant"], backend="openssl")
    assert again.ca_cert.read_bytes() == ca and again.server_cert.read_bytes() == server
    names = ["broker.plant", "10.0.0.5"]
    renewed = ensure_tls(tmp_path, "andon test CA", names, renew_server=True, backend="openssl")
    assert renewed.ca_cert.read_bytes() == ca
    assert renewed.server_cert.read_bytes() != server
    _check_certificates(renewed, "broker.plant")
