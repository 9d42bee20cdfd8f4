"""What a scanned barcode means: a badge, a reason card, a kanban or a unit serial.

Printed cards carry a short prefix so one scanner serves every purpose:

==============  ==========================  ===============================
prefix          example                     meaning
==============  ==========================  ===============================
``BD:``         ``BD:1042``                 a person's badge
``RC:``         ``RC:MAT``                  a reason card (a reason code)
``KB:``         ``KB:P-1001:0007``          a kanban card: part, card serial
``KX:``         ``KX:P-1001:0001``          an express kanban (shortage)
``SN:``         ``SN:A3-2611250001``        a finished unit's serial number
==============  ==========================  ===============================
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum

from andon.domain import refusals as r

MAX_LENGTH = 128
_ALLOWED = frozenset(string.ascii_letters + string.digits + "-_.:/#+")


class CodeKind(StrEnum):
    """The kinds of printed codes the terminal understands."""

    BADGE = "badge"
    REASON = "reason"
    KANBAN = "kanban"
    EXPRESS_KANBAN = "express_kanban"
    SERIAL = "serial"


_PREFIXES = {
    "BD": CodeKind.BADGE,
    "RC": CodeKind.REASON,
    "KB": CodeKind.KANBAN,
    "KX": CodeKind.EXPRESS_KANBAN,
    "SN": CodeKind.SERIAL,
}


@dataclass(frozen=True)
class Code:
    """A parsed barcode: its kind, its value, and for kanbans the part and card serial."""

    kind: CodeKind
    value: str
    part: str = ""
    card: str = ""


class BarcodeError(ValueError):
    """A scan that means nothing to the terminal; the message is shown to the operator."""


def parse(text: str) -> Code:
    """Parse one scanned line; raise :class:`BarcodeError` with a readable reason."""
    text = text.strip()
    if not text:
        raise BarcodeError(r.EMPTY_SCAN)
    if len(text) > MAX_LENGTH:
        raise BarcodeError(r.sentence(r.SCAN_TOO_LONG, most=MAX_LENGTH))
    bad = sorted(set(text) - _ALLOWED)
    if bad:
        raise BarcodeError(r.sentence(r.SCAN_CHARACTERS, characters=repr(bad[:5])))
    prefix, sep, value = text.partition(":")
    kind = _PREFIXES.get(prefix.upper()) if sep else None
    if kind is None:
        raise BarcodeError(r.sentence(r.UNKNOWN_CARD, text=repr(text)))
    if not value:
        raise BarcodeError(r.sentence(r.CARD_WITHOUT_VALUE, text=repr(text)))
    if kind in (CodeKind.KANBAN, CodeKind.EXPRESS_KANBAN):
        part, sep, card = value.rpartition(":")
        if not sep or not part or not card:
            raise BarcodeError(r.sentence(r.KANBAN_FORM, text=repr(text), prefix=prefix))
        return Code(kind=kind, value=value, part=part, card=card)
    return Code(kind=kind, value=value)
