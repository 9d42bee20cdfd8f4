"""PIN hashes for the people file: scrypt (stdlib), salted, compared in constant time.

A hash reads ``scrypt$<n>$<r>$<p>$<salt hex>$<key hex>``. ``andon web --hash-pin``
makes one; the people file never holds a PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from andon.web.errors import PIN_LENGTH

N, R, P = 2**14, 8, 1
KEY_BYTES = 32
MIN_PIN = 4
MAX_PIN = 64


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A new hash of ``pin`` (at least 4 characters)."""
    if not MIN_PIN <= len(pin) <= MAX_PIN:
        raise ValueError(PIN_LENGTH.format(least=MIN_PIN, most=MAX_PIN))
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)
    return f"scrypt${N}${R}${P}${salt.hex()}${key.hex()}"


def is_pin_hash(text: str) -> bool:
    """True for text of the form :func:`hash_pin` writes."""
    parts = text.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        bytes.fromhex(parts[4])
        key = bytes.fromhex(parts[5])
    except ValueError:
        return False
    return n >= 2**10 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and len(key) >= 16


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches the hash ``stored``."""
    if not is_pin_hash(stored) or len(pin) > MAX_PIN:
        return False
    _, n, r, p, salt, key = stored.split("$")
    expected = bytes.fromhex(key)
    got = hashlib.scrypt(
        pin.encode(),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
        maxmem=256 * 1024 * 1024,
    )
    return hmac.compare_digest(got, expected)
