"""What became of an alert, as whole sentences with named fields, marked for the catalogs.

A notifier publishes each outcome as a code with its fields (``outcome_code`` and
``params``) and the reason as another (``reason``, ``reason_params``), so that a
board, a page or a log writes the sentence in its reader's language
(:func:`andon.i18n.deliveries.shown`). The reasons are also the texts the
notifier keeps in its queue and log (in English); :func:`reason_of` finds the
reason's code and fields again in such a text. A text no template wrote (the
service's own words, a program's error) travels as ``other`` with the text as sent.
"""

from __future__ import annotations

from andon.i18n.markers import N_, most_specific_first
from andon.i18n.sentences import find

# --- the outcome --------------------------------------------------------------

SENT_TO = N_("sent to {recipient}")
SENT_TO_CHANNEL = N_("sent to the channel")
FAILED_TO = N_("not delivered to {recipient}: {reason}")
FAILED_TO_TRIES = N_("not delivered to {recipient} after {tries} tries: {reason}")
FAILED = N_("not delivered: {reason}")
FAILED_TRIES = N_("not delivered after {tries} tries: {reason}")
CANCELLED_TO = N_("not sent to {recipient}: {reason}")
CANCELLED = N_("not sent: {reason}")

OUTCOME_TEMPLATES: dict[str, str] = {
    "sent_to": SENT_TO,
    "sent_to_channel": SENT_TO_CHANNEL,
    "failed_to": FAILED_TO,
    "failed_to_tries": FAILED_TO_TRIES,
    "failed": FAILED,
    "failed_tries": FAILED_TRIES,
    "cancelled_to": CANCELLED_TO,
    "cancelled": CANCELLED,
}
"""Outcome code → its sentence; ``{reason}`` is the reason's own sentence."""

# --- the reason -----------------------------------------------------------------

INVALID_URL = N_("the channel's URL is not a valid Apprise URL")
NOT_ACCEPTED = N_("the service did not accept it")
ACKNOWLEDGED_FIRST = N_("acknowledged by {by} before it went out")
RESOLVED_FIRST = N_("call resolved before it went out")
CANCELLED_FIRST = N_("call cancelled before it went out")
CLOSED_FIRST = N_("call closed before it went out")
NOBODY_IN_SHIFT = N_(
    "nobody on duty (shift {shift}) in the role {roles} has an address on {channel}"
)
NOBODY_OFF_SHIFT = N_(
    "nobody on duty (outside the shifts) in the role {roles} has an address on {channel}"
)
INTERRUPTED = N_("interrupted by a restart while sending")
INTERRUPTED_REPORTED = N_(
    "interrupted by a restart while sending; it may or may not have arrived, and is not sent again"
)

ROLE_SEPARATOR = ", "
"""Between the role labels of ``{roles}`` in the English text (the queue, the log, the
bus); a reader lists them in its own language (:func:`andon.i18n.deliveries.roles_shown`)."""

REASON_TEMPLATES: dict[str, str] = {
    "invalid_url": INVALID_URL,
    "not_accepted": NOT_ACCEPTED,
    "acknowledged_first": ACKNOWLEDGED_FIRST,
    "resolved_first": RESOLVED_FIRST,
    "cancelled_first": CANCELLED_FIRST,
    "closed_first": CLOSED_FIRST,
    "nobody_in_shift": NOBODY_IN_SHIFT,
    "nobody_off_shift": NOBODY_OFF_SHIFT,
    "interrupted": INTERRUPTED,
    "interrupted_reported": INTERRUPTED_REPORTED,
}
"""Reason code → its sentence."""

OTHER = "other"
"""The reason code of a text no template wrote; its one field ``text`` holds it as sent."""

CLOSED_BEFORE = {"resolved": RESOLVED_FIRST, "cancelled": CANCELLED_FIRST}
"""How a call closed → why its pending alerts were not sent (``closed`` otherwise)."""

_CODES = {template: code for code, template in REASON_TEMPLATES.items()}
_ORDER = most_specific_first(REASON_TEMPLATES.values())


def closed_before(how: str) -> str:
    """Why an alert was not sent: its call was ``how`` (resolved, cancelled, closed)."""
    return CLOSED_BEFORE.get(how, CLOSED_FIRST)


def reason_of(text: str) -> tuple[str, dict[str, str]]:
    """The reason code and fields ``text`` was written from (``other`` for another text)."""
    found = find(text, _ORDER)
    if found is None:
        return OTHER, {"text": text}
    template, fields = found
    return _CODES[template], fields


def outcome_code(status: str, recipient: str, tries: int) -> str:
    """The outcome's code: ``status`` (sent, failed, cancelled) to ``recipient`` after ``tries``."""
    if status == "sent":
        return "sent_to" if recipient else "sent_to_channel"
    code = f"{status}_to" if recipient else status
    return f"{code}_tries" if status == "failed" and tries > 1 else code
