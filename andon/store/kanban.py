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
from andon.store.calls import MaterialCall, MaterialCallBook

NO_WITHDRAWAL = "no kanban, no withdrawal"
SHOWN_LENGTH = 64


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
    """Why a scan books nothing; ``message`` is what the handler reads."""

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
        return Refusal(f"not a kanban: {exc}")
    if code.kind not in (CodeKind.KANBAN, CodeKind.EXPRESS_KANBAN):
        return Refusal(
            f"not a kanban: {shown(text)!r} is a {code.kind.value.replace('_', ' ')} card; "
            "scan the KB: or KX: card of the box"
        )
    if code.part not in parts:
        return Refusal(f"{NO_WITHDRAWAL}: unknown part {shown(code.part)!r} on kanban {code.card}")
    call = book.oldest_for(code.part)
    if call is None:
        return Refusal(f"{NO_WITHDRAWAL}: no open material call for {code.part}")
    return KanbanRoute(call=call, card=code.card, express=code.kind is CodeKind.EXPRESS_KANBAN)
