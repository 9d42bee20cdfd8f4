"""The files a client logs in with: its password file and its TLS files."""

from __future__ import annotations

import os
import stat

from andon.bus.credentials import BrokerSettings
from andon.doctor.result import CheckResult, fail, ok, skip, warn

CHECK = "credentials"
PROVISION_HINT = (
    "copy the device's bundle from andon provision (mqtt.password, ca.crt) next to its "
    "configuration: sudo deploy/install.sh --role ROLE --config BUNDLE/FILE.toml"
)


def check_credentials(settings: BrokerSettings) -> CheckResult:
    """The password file is readable, non-empty and private; TLS files exist."""
    problems = []
    for what, path in (
        ("CA certificate", settings.ca_file),
        ("client certificate", settings.cert_file),
        ("client key", settings.key_file),
    ):
        if path is not None and not os.access(path, os.R_OK):
            problems.append(f"{what} {path} is missing or unreadable")
    if problems:
        return fail(CHECK, "; ".join(problems), PROVISION_HINT)
    if settings.username is None:
        return skip(CHECK, "no username: the broker must allow anonymous clients")
    path = settings.password_file
    if path is None:
        return fail(
            CHECK,
            f"username {settings.username} but no password_file in [broker]",
            PROVISION_HINT,
        )
    try:
        mode = path.stat().st_mode
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except OSError as exc:
        return fail(CHECK, f"password file {path}: {exc.strerror}", PROVISION_HINT)
    except UnicodeDecodeError:
        return fail(CHECK, f"password file {path} is not UTF-8 text", PROVISION_HINT)
    if not first or not first[0]:
        return fail(CHECK, f"password file {path} is empty", PROVISION_HINT)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return warn(
            CHECK,
            f"password file {path} is readable by other users",
            f"sudo chown andon: {path} && sudo chmod 600 {path}",
        )
    tls = f", CA {settings.ca_file}" if settings.ca_file else ""
    return ok(CHECK, f"user {settings.username}, password file {path} (private){tls}")
