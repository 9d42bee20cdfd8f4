"""What a scan at the store means: which material call a supplier kanban serves, or why not.

The handler scans the kanban taken out of the delivered box (``KB:<part>:<card>``,
or ``KX:<part>:<card>`` for an express kanban). The kanban goes to the **oldest**
open material call for that part across the store's lines. "No kanban, no
withdrawal" (DOMAIN.md section 4): a card for a part the plant does not know, or
for a part nobody called, books nothing. Anything else scanned is not a kanban.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from andon.domain.barcodes import BarcodeError, CodeKind, parse
from andon.store import words as W
from andon.store.calls import MaterialCall, MaterialCallBook

SHOWN_LENGTH = 64
NOT_KANBAN = {
    CodeKind.BADGE: W.BADGE_NOT_KANBAN,
    CodeKind.REASON: W.REASON_NOT_KANBAN,
    CodeKind.SERIAL: W.SERIAL_NOT_KANBAN,
}
"""Each card that is not a kanban, and its sentence."""


@dataclass(frozen=True)
class KanbanRoute:
    """The kanban and the call it serves."""

    call: MaterialCall
    card: str
    express: bool

    @property
    def part(self) -> str:
        return self.call.part


@dataclass(frozen=True)
class Refusal:
    """Why a scan books nothing; ``message`` is what the handler reads (in English, a
    sentence of :mod:`andon.store.words`)."""

    message: str


def shown(text: str) -> str:
    """A scanned text as it may be printed and published: ASCII, at most 64 characters."""
    text = text.encode("ascii", "replace").decode("ascii")
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def route_kanban(
    text: str, parts: Collection[str], book: MaterialCallBook
) -> KanbanRoute | Refusal:
    """Route one scanned line: the call its kanban serves, or a :class:`Refusal`.

    ``parts`` are the part numbers of the plant.
    """
    try:
        code = parse(text)
    except BarcodeError as exc:
        return Refusal(W.NOT_A_KANBAN.format(error=exc))
    if code.kind in NOT_KANBAN:
        return Refusal(NOT_KANBAN[code.kind].format(text=repr(shown(text))))
    if code.part not in parts:
        return Refusal(W.UNKNOWN_PART.format(part=repr(shown(code.part)), card=code.card))
    call = book.oldest_for(code.part)
    if call is None:
        return Refusal(W.NO_CALL.format(part=code.part))
    return KanbanRoute(call=call, card=code.card, express=code.kind is CodeKind.EXPRESS_KANBAN)
