"""Who may do what: sign-in with badge and PIN, sessions, CSRF tokens, rate limits, roles.

Sessions live in a signed cookie (Starlette's ``SessionMiddleware``: HMAC
signed, ``HttpOnly``, ``SameSite=Lax``, ``Secure`` behind TLS); it holds the
badge, the CSRF token and when the person signed in, never the PIN. Every POST
carries the session's CSRF token in a form field and is refused without it.
Failed sign-ins are counted per badge and per client address; past the limit
the form answers 429 until the window has passed, whatever the PIN.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from typing import Any

from andon.web.config import Person

MATERIAL = "material"

# What each web role may do to a call, by the call's type.
ACTIONS: dict[str, Callable[[str], bool]] = {
    "supervisor": lambda call_type: True,
    "maintenance": lambda call_type: call_type != MATERIAL,
    "store": lambda call_type: call_type == MATERIAL,
    "operator": lambda call_type: False,
}
"""A role may acknowledge and resolve the calls its rule accepts; operators only look
(they answer calls at the line, with the buttons and their badge)."""


def may_handle(person: Person, call_type: str) -> bool:
    """True when one of the person's roles may acknowledge and resolve ``call_type``."""
    return any(ACTIONS[role](call_type) for role in person.roles if role in ACTIONS)


NOTE_ROLES = frozenset({"operator"})
"""Roles that may note any call without handling it: the operator at the line knows
what happened before the call (a note changes no status, timer or figure)."""


def may_note(person: Person, call_type: str) -> bool:
    """True when the person may add a note to a ``call_type`` call: whoever may handle
    it, and operators on every call."""
    return may_handle(person, call_type) or bool(NOTE_ROLES & set(person.roles))


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_ok(session: MutableMapping[str, Any], sent: object) -> bool:
    """True when the form's token is the session's."""
    token = session.get("csrf")
    return (
        isinstance(token, str)
        and isinstance(sent, str)
        and bool(sent)
        and hmac.compare_digest(token.encode(), sent.encode())
    )


class SignInLimiter:
    """At most ``attempts`` failed sign-ins per key (badge, address) in ``window_s``."""

    def __init__(
        self,
        attempts: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
        keys_limit: int = 10_000,
    ) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self.clock = clock
        self.keys_limit = keys_limit
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        cut = self.clock() - self.window_s
        while failures and failures[0] < cut:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        """True when any key is past its limit."""
        return any(len(self._recent(k)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        if len(self._failures) > self.keys_limit:
            self._failures = {k: v for k, v in self._failures.items() if self._recent(k)}
        for key in keys:
            self._failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, badge_key: str) -> None:
        self._failures.pop(badge_key, None)


def signed_in(
    session: MutableMapping[str, Any], people: dict[str, Person], max_age_s: float
) -> Person | None:
    """The person of this session, while the session is young enough and they are listed."""
    badge = session.get("badge")
    at = session.get("at")
    if not isinstance(badge, str) or not isinstance(at, (int, float)):
        return None
    if time.time() - at > max_age_s:
        session.pop("badge", None)
        return None
    return people.get(badge)


def start_session(session: MutableMapping[str, Any], person: Person) -> None:
    """A new session for ``person``: a fresh CSRF token (the old one stays with the old one)."""
    session.clear()
    session["badge"] = person.badge
    session["at"] = time.time()
    session["csrf"] = secrets.token_urlsafe(32)
