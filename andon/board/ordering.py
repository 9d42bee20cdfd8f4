"""Which open calls a board shows first: by role, escalation and age."""

from __future__ import annotations

from collections.abc import Iterable

from andon.board.catalogue import BoardCatalogue
from andon.board.views import CallView

MATERIAL = "material"


def concerns(call: CallView, role: str, catalogue: BoardCatalogue) -> bool:
    """True when the call type's escalation ladder reaches ``role`` (at any level)."""
    info = catalogue.call_types.get(call.call_type)
    return info is not None and info.reaches(role)


def calls_for_board(
    calls: Iterable[CallView], catalogue: BoardCatalogue, *, show_all: bool = False
) -> list[CallView]:
    """Open calls in the order the board's role needs them.

    A board with a focus role (maintenance, the store's material handler) shows
    the calls whose ladder reaches that role, first-rung role first (e.g.
    equipment calls for maintenance), then the escalated ones; ``show_all``
    adds every other call after them. Within a group: higher escalation level
    first, then the oldest.
    """
    role = catalogue.focus_role
    chosen = []
    for call in calls:
        if role is None or show_all or concerns(call, role, catalogue):
            chosen.append(call)

    def rank(call: CallView) -> tuple[int, int, float, str]:
        return (
            _group(call, role, catalogue),
            -call.level,
            call.call.raised_at.timestamp(),
            call.call_id,
        )

    return sorted(chosen, key=rank)


def _group(call: CallView, role: str | None, catalogue: BoardCatalogue) -> int:
    """0: the role is on the first rung; 1: reached by escalation; 2: not the role's."""
    if role is None:
        return 0
    info = catalogue.call_types.get(call.call_type)
    if info is None or not info.roles_by_level:
        return 2
    if role in info.roles_by_level[min(info.roles_by_level)]:
        return 0
    return 1 if info.reaches(role) else 2


def material_queue(calls: Iterable[CallView]) -> list[CallView]:
    """Open material calls, oldest first (the store serves them in that order)."""
    material = [c for c in calls if c.call_type == MATERIAL]
    return sorted(material, key=lambda c: (c.call.raised_at, c.call_id))
