"""A plant CA and the broker's server certificate.

Uses the ``cryptography`` package when it is importable, else the ``openssl``
command line tool (always there on Raspberry Pi OS). Keys are ECDSA P-256.
The certificates carry what strict verifiers ask for: the CA has critical
``basicConstraints CA:TRUE`` and ``keyUsage keyCertSign, cRLSign``; the server
certificate has the broker's names and addresses as subject alternative
names, ``extendedKeyUsage serverAuth`` and key identifiers.

An existing CA is kept (the devices trust it); an existing server certificate
is kept unless it is renewed, which needs no change on the devices.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from andon.provision.errors import (
    HALF_A_CA,
    NO_TLS_BACKEND,
    NO_TLS_NAMES,
    NOT_EC_KEY,
    OPENSSL_FAILED,
    OPENSSL_MISSING,
    ProvisionError,
)
from andon.provision.files import write_bytes

CA_DAYS = 3650
SERVER_DAYS = 1825
Backend = Literal["auto", "cryptography", "openssl"]


@dataclass(frozen=True)
class TlsFiles:
    """The CA and the broker's certificate, as files."""

    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path


def split_names(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """DNS names and IP addresses, each once, in the order given."""
    dns: list[str] = []
    ips: list[str] = []
    for name in names:
        try:
            address = str(ipaddress.ip_address(name))
        except ValueError:
            if name and name not in dns:
                dns.append(name)
        else:
            if address not in ips:
                ips.append(address)
    if not dns and not ips:
        raise ProvisionError(NO_TLS_NAMES)
    return dns, ips


def have_cryptography() -> bool:
    try:
        import cryptography.x509  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def choose_backend(backend: Backend = "auto") -> Literal["cryptography", "openssl"]:
    if backend == "auto":
        if have_cryptography():
            return "cryptography"
        backend = "openssl"
    if backend == "openssl" and shutil.which("openssl") is None:
        raise ProvisionError(NO_TLS_BACKEND)
    return backend


def ensure_tls(
    directory: Path,
    ca_name: str,
    server_names: Sequence[str],
    *,
    renew_server: bool = False,
    backend: Backend = "auto",
) -> TlsFiles:
    """The CA and server certificate in ``directory``, made when missing.

    ``server_names`` are the host names and addresses clients use for the
    broker; the first one is the certificate's common name.
    """
    files = TlsFiles(
        *(directory / name for name in ("ca.crt", "ca.key", "server.crt", "server.key"))
    )
    dns, ips = split_names(server_names)
    have_ca = files.ca_cert.exists() and files.ca_key.exists()
    if files.ca_cert.exists() != files.ca_key.exists():
        raise ProvisionError(HALF_A_CA.format(directory=directory))
    have_server = files.server_cert.exists() and files.server_key.exists()
    if have_ca and have_server and not renew_server:
        return files
    chosen = choose_backend(backend)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    make = _CryptographyMaker() if chosen == "cryptography" else _OpensslMaker()
    if not have_ca:
        make.ca(files, ca_name)
    make.server(files, dns, ips)
    return files


class _CryptographyMaker:
    def ca(self, files: TlsFiles, name: str) -> None:
        from cryptography import x509  # type: ignore[import-not-found,unused-ignore]
        from cryptography.hazmat.primitives import hashes, serialization  # type: ignore[import-not-found,unused-ignore]
        from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore[import-not-found,unused-ignore]
        from cryptography.x509.oid import NameOID  # type: ignore[import-not-found,unused-ignore]

        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(x509, key_cert_sign=True, crl_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        write_bytes(
            files.ca_key,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            private=True,
        )
        write_bytes(files.ca_cert, cert.public_bytes(serialization.Encoding.PEM))

    def server(self, files: TlsFiles, dns: list[str], ips: list[str]) -> None:
        from cryptography import x509  # type: ignore[import-not-found,unused-ignore]
        from cryptography.hazmat.primitives import hashes, serialization  # type: ignore[import-not-found,unused-ignore]
        from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore[import-not-found,unused-ignore]
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # type: ignore[import-not-found,unused-ignore]

        ca_key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
        ca_cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
            raise ProvisionError(NOT_EC_KEY.format(key=files.ca_key))
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns]
        names += [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, (dns + ips)[0])]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(x509, digital_signature=True), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        write_bytes(
            files.server_key,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            private=True,
        )
        write_bytes(files.server_cert, cert.public_bytes(serialization.Encoding.PEM))


def _key_usage(x509: Any, **usages: bool) -> Any:
    """A ``KeyUsage`` extension with only ``usages`` set."""
    names = (
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
        "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
    )  # fmt: skip
    return x509.KeyUsage(**{name: usages.get(name, False) for name in names})


class _OpensslMaker:
    def ca(self, files: TlsFiles, name: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            key = Path(tmp) / "ca.key"
            cert = Path(tmp) / "ca.crt"
            _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(key))
            _openssl(
                "req", "-new", "-x509", "-sha256", "-key", str(key), "-out", str(cert),
                "-days", str(CA_DAYS), "-subj", "/CN=" + _dn_escape(name),
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash",
            )  # fmt: skip
            write_bytes(files.ca_key, _pkcs8(key), private=True)
            write_bytes(files.ca_cert, cert.read_bytes())

    def server(self, files: TlsFiles, dns: list[str], ips: list[str]) -> None:
        san = ",".join([f"DNS:{n}" for n in dns] + [f"IP:{a}" for a in ips])
        with tempfile.TemporaryDirectory() as tmp:
            key = Path(tmp) / "server.key"
            csr = Path(tmp) / "server.csr"
            cert = Path(tmp) / "server.crt"
            ext = Path(tmp) / "server.ext"
            ext.write_text(
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\n"
                f"subjectAltName={san}\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid\n"
            )
            _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(key))
            _openssl(
                "req", "-new", "-key", str(key), "-out", str(csr),
                "-subj", "/CN=" + _dn_escape((dns + ips)[0]),
            )  # fmt: skip
            _openssl(
                "x509", "-req", "-sha256", "-in", str(csr), "-CA", str(files.ca_cert),
                "-CAkey", str(files.ca_key), "-set_serial", str(secrets.randbits(63)),
                "-days", str(SERVER_DAYS), "-extfile", str(ext), "-out", str(cert),
            )  # fmt: skip
            write_bytes(files.server_key, _pkcs8(key), private=True)
            write_bytes(files.server_cert, cert.read_bytes())


def _pkcs8(key: Path) -> bytes:
    return _openssl("pkcs8", "-topk8", "-nocrypt", "-in", str(key))


def _dn_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("/", "\\/").replace("=", "\\=")


def _openssl(*args: str) -> bytes:
    env = {**os.environ, "OPENSSL_CONF": os.devnull}
    try:
        done = subprocess.run(
            ["openssl", *args], capture_output=True, check=False, env=env, timeout=60
        )
    except OSError as exc:
        raise ProvisionError(OPENSSL_MISSING.format(error=exc)) from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise ProvisionError(OPENSSL_FAILED.format(command=args[0], error=message))
    return done.stdout
