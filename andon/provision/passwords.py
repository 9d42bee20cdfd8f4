"""Client passwords and the Mosquitto password file.

Mosquitto 2 reads ``username:hash`` lines; the hash
``$7$<iterations>$<salt>$<digest>`` is PBKDF2-HMAC-SHA512 over the password with
a 12-byte salt, salt and digest in standard base64, exactly what
``mosquitto_passwd`` writes. Hashing here means the admin machine needs no
Mosquitto tools to provision a plant.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from andon.provision.errors import EMPTY_PASSWORD, USERNAME_CHARACTERS

PBKDF2_ITERATIONS = 101
"""What ``mosquitto_passwd`` 2.0 uses. The passwords are random (192 bits), so the
iteration count guards nothing a guess could find; it only costs the broker time
on every connect."""
SALT_BYTES = 12
DIGEST_BYTES = 64
PASSWORD_BYTES = 24


class PasswordFileError(ValueError):
    """A line of a password file that is not ``username:hash``."""


def new_password() -> str:
    """A random password of 32 URL-safe characters (192 bits)."""
    return secrets.token_urlsafe(PASSWORD_BYTES)


def check_username(username: str) -> str:
    """A username Mosquitto's files can hold: non-empty, no ``:``, no whitespace."""
    if not username or ":" in username or any(c.isspace() for c in username):
        raise ValueError(USERNAME_CHARACTERS.format(username=repr(username)))
    return username


def mosquitto_hash(
    password: str, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS
) -> str:
    """The ``$7$`` (PBKDF2-SHA512) hash of ``password``, as Mosquitto 2 reads it."""
    if not password:
        raise ValueError(EMPTY_PASSWORD)
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations, DIGEST_BYTES)
    return f"$7${iterations}${_b64(salt)}${_b64(digest)}"


def hash_matches(password: str, hashed: str) -> bool:
    """True when ``hashed`` (a ``$7$`` hash) is the hash of ``password``."""
    parts = hashed.split("$")
    if len(parts) != 5 or parts[0] or parts[1] != "7":
        return False
    try:
        iterations = int(parts[2])
        salt = base64.b64decode(parts[3], validate=True)
        expected = base64.b64decode(parts[4], validate=True)
    except (ValueError, binascii.Error):
        return False
    digest = hashlib.pbkdf2_hmac(
        "sha512", password.encode("utf-8"), salt, iterations, len(expected)
    )
    return hmac.compare_digest(digest, expected)


def parse_password_file(text: str) -> dict[str, str]:
    """``username -> hash`` from a Mosquitto password file (blank and ``#`` lines skipped)."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        username, sep, hashed = line.partition(":")
        if not sep or not username or not hashed:
            raise PasswordFileError(f"line {number}: expected username:hash")
        entries[username] = hashed
    return entries


def render_password_file(
    passwords: Mapping[str, str], previous: Mapping[str, str] | None = None
) -> str:
    """The password file for ``username -> password``, one line per user, sorted.

    A user whose hash in ``previous`` still matches its password keeps that
    line, so provisioning again without new passwords rewrites the same file.
    """
    previous = previous or {}
    lines = []
    for username in sorted(passwords):
        check_username(username)
        password = passwords[username]
        old = previous.get(username)
        hashed = old if old is not None and hash_matches(password, old) else None
        lines.append(f"{username}:{hashed or mosquitto_hash(password)}")
    return "".join(f"{line}\n" for line in lines)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
