"""Why a station refuses a command or a scan: every sentence once, with named fields.

The station sends the English sentence (the reply's ``reason``, the journal,
the log); each template is marked for the catalogs, so that a screen, a page or
an alert can show it in its reader's language (:func:`andon.i18n.refusals.shown`)
without a second field on the bus: the template and the fields of a sentence
are found again (:mod:`andon.i18n.sentences`).
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

UNKNOWN_CALL_TYPE = N_("unknown call type {call_type}")
UNKNOWN_PART = N_("unknown part {part}")
ALREADY_OPEN = N_("a {call_type} call is already open ({call_id})")
NO_SUCH_CALL = N_("no call {call_id} at this station")
CALL_ALREADY = N_("call {call_id} is already {status}")
ALREADY_ACKNOWLEDGED = N_("call {call_id} was already acknowledged by {by}")
WHO_ACKNOWLEDGES = N_("say who acknowledges (scan a badge)")
WHO_RESOLVES = N_("say who resolves (scan a badge)")
WHO_NOTES = N_("say who writes the note (sign in or scan a badge)")
EMPTY_NOTE = N_("a note needs some text")
NOTE_TOO_LONG = N_("a note is at most {limit} characters")
TOO_MANY_NOTES = N_("call {call_id} has {count} notes already: resolve it with a note")
UNKNOWN_REASON = N_("unknown reason code {reason}")
REASON_NEEDED = N_(
    "call {call_id} lasted {minutes} min of planned working time: scan the reason card"
)
NOTHING_TO_CANCEL = N_("no open {call_type} call to cancel")
NOTHING_TO_ACKNOWLEDGE = N_("no call waiting for acknowledgement")
NOT_A_LINE_PART = N_("no kanban, no withdrawal: {part} is not a part of this line")
NO_MATERIAL_CALL = N_("no open material call for part {part} at this station")
EMPTY_COUNT = N_("a count needs at least one good or scrap unit")
WHO_CHANGES_OVER = N_("say who starts the changeover (scan a badge)")
CHANGEOVER_RUNNING = N_("a changeover is already running ({stop_id})")
UNKNOWN_PRODUCT = N_("unknown product {product}: the plan has {products}")
NO_ORDERS = N_("this line has no order sequence")
NO_SUCH_ORDER = N_("no order {index}: the plan has orders 0 to {last}")
WHO_STARTS_ORDER = N_("say who starts the order (scan a badge)")
ORDER_RUNNING = N_("order {index} ({product}) is already running")
WHO_RECORDS_CAUSE = N_("say who records the cause (scan a badge)")
SHIFT_GONE = N_("no shift is running, and the last one can no longer be explained")
NO_SHIFT = N_("no shift is running")
NO_SUCH_HOUR = N_("no hour starting {hour} in this shift")
HOUR_NOT_OVER = N_("this hour is not over yet")
NO_SUCH_STOP = N_("no stop {stop_id} in this shift")
UNKNOWN_BADGE = N_("unknown badge {badge}")
NOTHING_WAITS_FOR_REASON = N_("nothing waits for a reason")
KANBAN_AT_STORE = N_("kanban cards are scanned at the store")
EMPTY_SCAN = N_("empty scan")
SCAN_TOO_LONG = N_("scan longer than {most} characters")
SCAN_CHARACTERS = N_("scan contains characters that no card carries: {characters}")
UNKNOWN_CARD = N_("unknown card {text}: expected BD:, RC:, KB:, KX: or SN:")
CARD_WITHOUT_VALUE = N_("card {text} carries no value")
KANBAN_FORM = N_("kanban {text}: expected {prefix}:<part>:<card serial>")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every refusal sentence of the station's rules."""


def sentence(template: str, /, **fields: object) -> str:
    """The English sentence of ``template`` with its fields filled in."""
    return template.format(**fields) if fields else template
