"""Why a station does not run a simulated input (``cmd/sim``): every sentence once.

The station answers in English (the reply's ``reason``, its journal); ``andon sim``
finds the template again and writes it in the plant's language. Action and
argument names stay as the message spells them.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

NOT_SIMULATED = N_("not a simulated station")
UNKNOWN_ACTION = N_("action: expected one of {actions}, got {action}")
BOOLEAN = N_("{action}.{name}: expected a number, got true or false")
EXPECTED_TEXT = N_("{action}.{name}: expected text")
EXPECTED_WHOLE = N_("{action}.{name}: expected a whole number")
EXPECTED_NUMBER = N_("{action}.{name}: expected a number")
EXPECTED_TRUE_FALSE = N_("{action}.{name}: expected true or false")
HOLD_RANGE = N_("hold.seconds: expected more than 0 and at most {most}")
PULSES_RANGE = N_("{action}.n: expected 1 to {most}")
FAILED = N_("the simulated input failed: {error}")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again when ``andon sim`` shows a refusal."""


def expected(kind: type | tuple[type, ...]) -> str:
    """The template naming what an argument of ``kind`` should have been."""
    if kind is str:
        return EXPECTED_TEXT
    if kind is int:
        return EXPECTED_WHOLE
    if kind is bool:
        return EXPECTED_TRUE_FALSE
    return EXPECTED_NUMBER
