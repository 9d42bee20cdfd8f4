"""What the store says about a scan, booked or refused: every sentence once, with fields.

The store publishes the outcome of a scan in English (its status on the bus, like a
station's reply); :func:`shown` writes it in a reader's language, the station's
refusal or the scanner's reason inside it translated too
(:mod:`andon.domain.refusals`).
"""

from __future__ import annotations

from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, registered
from andon.i18n.refusals import shown as refusal
from andon.i18n.sentences import translated

NOT_A_KANBAN = N_("not a kanban: {error}")
BADGE_NOT_KANBAN = N_("not a kanban: {text} is a badge card; scan the KB: or KX: card of the box")
REASON_NOT_KANBAN = N_("not a kanban: {text} is a reason card; scan the KB: or KX: card of the box")
SERIAL_NOT_KANBAN = N_("not a kanban: {text} is a serial card; scan the KB: or KX: card of the box")
UNREADABLE = N_("not a kanban: scanner {scanner} read something unreadable")
UNKNOWN_PART = N_("no kanban, no withdrawal: unknown part {part} on kanban {card}")
NO_CALL = N_("no kanban, no withdrawal: no open material call for {part}")
OFFLINE = N_(
    "offline: the kanban cannot reach {where}; scan it again when the store is back online"
)
NO_ANSWER = N_(
    "no answer from {where} within {seconds} s; "
    "see whether the {part} call closed before scanning again"
)
STATION_REFUSED = N_("{where} refused the kanban: {reason}")
BOOKED = N_("kanban {card} booked: {part} for {where}")
BOOKED_EXPRESS = N_("kanban {card} (express) booked: {part} for {where}")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, the most specific first."""

SCAN_REFUSED = N_("scan {text} refused: {reason}")
"""The store's log line of a refused scan."""

_FIELDS = {
    "error": refusal,  # the scanner's reason (an empty scan, an unknown card...)
    "reason": refusal,  # the station's refusal
}


def shown(message: str, tr: Translator) -> str:
    """The outcome of a scan as ``tr``'s reader reads it; another text as it is."""
    return translated(message, TEMPLATES, tr, _FIELDS)


def said(message: str, tr: Translator, **fields: object) -> str:
    """``message`` in ``tr``'s language, its fields filled in."""
    return tr.gettext(message).format(**fields)
