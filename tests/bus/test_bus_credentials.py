"""Logging in: password from a file, anonymous refused, TLS with a private CA."""

import shutil
import subprocess
from pathlib import Path

import pytest

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings, CredentialsError, read_password
from andon.bus.topics import StationAddress
from andon.config.broker import BrokerConfig

from .conftest import WAIT_S, Collector, wait_until

STATION = StationAddress("andon", "plant1", "assembly", "line2", "st3")


def _passwd_binary() -> str:
    binary = shutil.which("mosquitto_passwd")
    if binary is None:
        pytest.skip("mosquitto_passwd is not installed")
    return binary


def _password_db(tmp_path: Path, user: str, password: str) -> Path:
    db = tmp_path / "passwd"
    subprocess.run([_passwd_binary(), "-c", "-b", str(db), user, password], check=True)
    return db


def _secret(tmp_path: Path, text: str, name: str = "secret") -> Path:
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o600)
    return path


@pytest.mark.mosquitto
def test_password_from_a_file_logs_in_and_anonymous_is_refused(
    mosquitto_factory, make_client, tmp_path
):
    broker = mosquitto_factory(
        allow_anonymous=False, password_file=_password_db(tmp_path, "st3", "s3cret!")
    )
    good = make_client(
        broker.settings(username="st3", password_file=_secret(tmp_path, "s3cret!\n"))
    )
    assert good.wait_connected(WAIT_S)
    received = Collector()
    good.subscribe(STATION.events(), received)
    assert wait_until(
        lambda: good.publish(STATION.events(), b"hello").wait(WAIT_S) and received.messages
    )

    anonymous = make_client(broker.settings())
    assert wait_until(lambda: anonymous.last_error is not None)
    assert "refused" in (anonymous.last_error or "")
    assert not anonymous.connected

    wrong = make_client(
        broker.settings(username="st3", password_file=_secret(tmp_path, "guess", "wrong"))
    )
    assert wait_until(lambda: wrong.last_error is not None)
    assert "refused" in (wrong.last_error or "") and not wrong.connected


def test_password_file_problems_are_clear(tmp_path):
    with pytest.raises(CredentialsError, match="cannot read password file"):
        read_password(tmp_path / "missing")
    with pytest.raises(CredentialsError, match="empty"):
        read_password(_secret(tmp_path, "\n"))
    assert read_password(_secret(tmp_path, "pw with spaces \nsecond line")) == "pw with spaces "
    settings = BrokerSettings(username="u", password_file=tmp_path / "missing")
    with pytest.raises(CredentialsError):
        BusClient(settings).start()


def test_a_readable_password_file_is_warned_about(tmp_path, caplog):
    path = _secret(tmp_path, "pw")
    path.chmod(0o644)
    assert read_password(path) == "pw"
    assert "readable by other users" in caplog.text


def test_settings_are_checked():
    with pytest.raises(ValueError, match="username"):
        BrokerSettings(password_file=Path("pw"))
    with pytest.raises(ValueError, match="client_id"):
        BrokerSettings(clean_session=False)
    with pytest.raises(ValueError, match="tls"):
        BrokerSettings(ca_file=Path("ca.pem"))
    with pytest.raises(ValueError, match="port"):
        BrokerSettings(port=0)


def test_settings_from_the_broker_config(tmp_path):
    config = BrokerConfig(
        host="broker.plant",
        tls=True,
        ca_file=tmp_path / "ca.pem",
        username="st3",
        password_file=tmp_path / "pw",
    )
    settings = BrokerSettings.from_config(config, client_id="st3", clean_session=False)
    assert (settings.host, settings.port, settings.tls) == ("broker.plant", 8883, True)
    assert settings.ca_file == tmp_path / "ca.pem"
    assert settings.keepalive_s == config.keepalive_s
    assert not settings.clean_session


# --- TLS ------------------------------------------------------------------------


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca_and_server_cert(directory: Path, name: str = "ca") -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1, with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(
        "req", "-x509", *ec, "-keyout", f"{name}.key", "-out", f"{name}.pem",
        "-days", "2", "-subj", f"/CN=andon test {name}", cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        cwd=directory,
    )  # fmt: skip
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{name}.pem", "-CAkey", f"{name}.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext",
        cwd=directory,
    )  # fmt: skip
    return directory / f"{name}.pem", directory / "server.pem", directory / "server.key"


@pytest.mark.mosquitto
def test_tls_with_a_private_ca(mosquitto_factory, make_client, tmp_path):
    ca, cert, key = make_ca_and_server_cert(tmp_path)
    broker = mosquitto_factory(tls=(ca, cert, key))
    client = make_client(broker.settings(tls=True, ca_file=ca))
    assert client.wait_connected(WAIT_S)
    received = Collector()
    client.subscribe(STATION.events(), received)
    assert wait_until(
        lambda: client.publish(STATION.events(), b"secret").wait(WAIT_S) and received.messages
    )

    other = tmp_path / "other"
    other.mkdir()
    stranger_ca, _, _ = make_ca_and_server_cert(other, name="stranger")
    distrustful = make_client(broker.settings(tls=True, ca_file=stranger_ca))
    assert wait_until(lambda: distrustful.last_error is not None)
    assert not distrustful.connected
