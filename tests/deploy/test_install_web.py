"""deploy/install.sh --role web: the web view from its bundle, HTTPS, nothing anonymous."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from andon.provision.bundle import ProvisionOptions, provision

from .conftest import DEMO_PLANT, REPO
from .test_install import install, tree

PRODUCTION_WEB = REPO / "deploy" / "web" / "web.toml"


@pytest.fixture(scope="module")
def web_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web client's provisioned bundle with the production web file and the files
    it names beside it: people, session key, the wall screen's token."""
    out = tmp_path_factory.mktemp("provisioned")
    provision(DEMO_PLANT, ProvisionOptions(out=out, tls=True, broker_host="broker.plant"))
    bundle = out / "clients" / "web.web"
    shutil.copy(PRODUCTION_WEB, bundle / "web.toml")
    shutil.copy(REPO / "deploy" / "web" / "people.toml", bundle / "people.toml")
    (bundle / "session.key").write_bytes(bytes(range(32)))
    (bundle / "tv-hall-1.token").write_text("0123456789abcdef0123456789abcdef0123456789abcdef\n")
    return bundle


def certificate(folder: Path, name: str = "web") -> tuple[Path, Path]:
    """A host certificate and its key (self-signed: the installer checks they belong together)."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-subj", "/CN=andon.plant.example", "-days", "30",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_the_web_role_installs_its_bundle_certificate_and_unit(
    web_bundle: Path, tmp_path: Path
) -> None:
    cert, key = certificate(tmp_path)
    root = tmp_path / "root"
    done = install("--prefix", root, "--no-venv", "--role", "web", "--config",
                   web_bundle / "web.toml", "--tls-cert", cert, "--tls-key", key)  # fmt: skip
    files = tree(root)
    web = "etc/andon/web"
    assert files[web] == 0o750
    for name, mode in (("web.toml", 0o640), ("plant.toml", 0o640), ("mqtt.password", 0o600),
                       ("ca.crt", 0o644), ("people.toml", 0o640), ("session.key", 0o640),
                       ("tv-hall-1.token", 0o640)):  # fmt: skip
        assert files[f"{web}/{name}"] == mode, name
    assert files["etc/andon/tls/web.crt"] == 0o644
    assert files["etc/andon/tls/web.key"] == 0o640
    assert (root / "etc/andon/tls/web.key").read_bytes() == key.read_bytes()
    assert files["etc/systemd/system/andon-web.service"] == 0o644
    assert "systemctl enable andon-web.service" in done.stdout
    assert "skipped (--prefix): chown root:andon" in done.stdout

    again = install("--prefix", root, "--no-venv", "--role", "web", "--config",
                    web_bundle / "web.toml", "--tls-cert", cert, "--tls-key", key)  # fmt: skip
    assert tree(root) == files
    assert "+ install -m" not in again.stdout


def test_the_web_role_refuses_anonymous_access_and_missing_pieces(
    web_bundle: Path, tmp_path: Path
) -> None:
    cert, key = certificate(tmp_path)
    other_cert, _ = certificate(tmp_path, "other")
    anonymous = tmp_path / "anonymous"
    shutil.copytree(web_bundle, anonymous)
    text = (anonymous / "web.toml").read_text()
    (anonymous / "web.toml").write_text(
        text.replace("view_without_sign_in = false", "view_without_sign_in = true")
    )
    no_token = tmp_path / "no-token"
    shutil.copytree(web_bundle, no_token)
    (no_token / "tv-hall-1.token").unlink()
    config = web_bundle / "web.toml"
    cases = [
        (("--config", anonymous / "web.toml", "--tls-cert", cert, "--tls-key", key),
         "view_without_sign_in: expected false (no anonymous access)"),
        (("--config", config), "needs --tls-cert FILE and --tls-key FILE"),
        (("--config", config, "--tls-cert", other_cert, "--tls-key", key),
         f"{key} is not the private key of {other_cert}"),
        (("--config", no_token / "web.toml", "--tls-cert", cert, "--tls-key", key),
         "put tv-hall-1.token beside it"),
        (("--config", web_bundle / "plant.toml", "--tls-cert", cert, "--tls-key", key),
         'the web role needs kind = "web"'),
    ]  # fmt: skip
    for args, message in cases:
        root = tmp_path / "root"
        done = install("--prefix", root, "--no-venv", "--role", "web", *args, check=False)
        assert done.returncode == 2, done.stdout
        assert message in done.stderr, (message, done.stderr)
        assert not (root / "etc/andon/web").exists()
