"""Keep what the board holds for good out of the collector's full passes.

A full collection walks every object the process holds and holds the
interpreter meanwhile: with a plant of 1 000 stations in the model and the
screens built, that is 50–400 ms during which no message is ingested and
nothing is drawn. :class:`HeapFreezer` moves what exists into the collector's
permanent generation (``gc.freeze``) after start-up and whenever the board has
come to know more stations, so later full passes walk only what is young.
Freezing keeps cyclic garbage of that instant for good, so it happens only
when the board grew: a handful of times for a plant.
"""

from __future__ import annotations

import gc


class HeapFreezer:
    """Freeze the heap when what the board knows has grown since the last time."""

    def __init__(self) -> None:
        self.known = -1
        self.freezes = 0

    def grown(self, known: int) -> bool:
        """``known`` things are held now: freeze if that is more than at the last freeze."""
        if known <= self.known:
            return False
        self.known = known
        self.freezes += 1
        gc.freeze()
        return True
