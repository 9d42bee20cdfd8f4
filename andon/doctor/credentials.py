"""The files a client logs in with: its password file and its TLS files."""

from __future__ import annotations

import os
import stat

from andon.bus.credentials import BrokerSettings
from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok, skip, warn

CHECK = "credentials"
PROVISION_HINT = W.PROVISION_HINT


def check_credentials(settings: BrokerSettings) -> CheckResult:
    """The password file is readable, non-empty and private; TLS files exist."""
    problems = []
    for sentence, path in (
        (W.CA_UNREADABLE, settings.ca_file),
        (W.CERT_UNREADABLE, settings.cert_file),
        (W.KEY_UNREADABLE, settings.key_file),
    ):
        if path is not None and not os.access(path, os.R_OK):
            problems.append(sentence.format(path=path))
    if problems:
        return fail(CHECK, "; ".join(problems), PROVISION_HINT)
    if settings.username is None:
        return skip(CHECK, W.NO_USERNAME)
    path = settings.password_file
    if path is None:
        return fail(
            CHECK,
            W.NO_PASSWORD_FILE.format(user=settings.username),
            PROVISION_HINT,
        )
    try:
        mode = path.stat().st_mode
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except OSError as exc:
        return fail(
            CHECK, W.PASSWORD_FILE_ERROR.format(path=path, error=exc.strerror), PROVISION_HINT
        )
    except UnicodeDecodeError:
        return fail(CHECK, W.PASSWORD_NOT_UTF8.format(path=path), PROVISION_HINT)
    if not first or not first[0]:
        return fail(CHECK, W.PASSWORD_EMPTY.format(path=path), PROVISION_HINT)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return warn(
            CHECK,
            W.PASSWORD_SHARED.format(path=path),
            f"sudo chown andon: {path} && sudo chmod 600 {path}",
        )
    if settings.ca_file:
        found = W.CREDENTIALS_OK_CA.format(user=settings.username, path=path, ca=settings.ca_file)
    else:
        found = W.CREDENTIALS_OK.format(user=settings.username, path=path)
    return ok(CHECK, found)
