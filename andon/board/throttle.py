"""Redraw at once after a quiet spell, up to 25 times a second while a stream flows in.

The feed signals every message it ingests. A call raised must reach the
screen without delay, but a burst (a reconnect bringing a thousand retained
states, a station replaying its journal) must not redraw the board a thousand
times. :class:`RefreshThrottle` decides on an injected monotonic clock:

* a change after ``quiet_s`` without one redraws now (leading edge): a button
  pressed at a line is shown at once, however busy the board was before;
* a change hard on the heels of another is folded into one redraw
  ``interval_s`` after the last one (trailing edge), so a burst or a steady
  stream redraws at a bounded rate, often enough that a change waits a few
  tens of milliseconds, and its last change is never left out;
* the redraws take at most :data:`PAINT_SHARE` of the time, and
  :data:`BURST_PAINT_SHARE` of a burst's: when the last one took ``d``
  seconds, the next comes ``d / PAINT_SHARE`` (in a burst
  ``d / BURST_PAINT_SHARE``) after it at the earliest (a view of a thousand
  stations costing 4 ms: 25 redraws a second, 10 ms: ten; a screen composed
  again in 0.2 s: one every 2 s, however the events come), and the ingest
  keeps the rest. The app reports each redraw's cost
  with :meth:`RefreshThrottle.painted`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Monotonic = Callable[[], float]

INTERVAL_S = 0.04
"""Redraws during a burst or a stream: at most 25 a second (a change waits 40 ms at most
when a redraw is quick; the clock's own once a second comes on top)."""
QUIET_S = 0.02
"""A change this long after the previous one is not part of a burst: shown at once."""
PAINT_SHARE = 0.25
"""At most this share of the time goes to redrawing."""
BURST_PAINT_SHARE = 0.1
"""At most this share of a burst's time goes to redrawing: the ingest needs the rest."""


class RefreshThrottle:
    """When to redraw after a change: now, later (once for many changes), or already due."""

    def __init__(
        self,
        interval_s: float = INTERVAL_S,
        quiet_s: float = QUIET_S,
        clock: Monotonic = time.monotonic,
    ) -> None:
        if interval_s <= 0 or quiet_s < 0:
            raise ValueError(
                f"expected interval_s > 0 and quiet_s >= 0, got {interval_s} and {quiet_s}"
            )
        self.interval_s = interval_s
        self.quiet_s = quiet_s
        self.clock = clock
        self._changed_at: float | None = None
        self._redrawn_at: float | None = None
        self._paint_s = 0.0
        self.scheduled = False
        """True while a folded redraw is due (the caller has set a timer for it)."""

    def change(self) -> float | None:
        """Something changed: ``0.0`` to redraw now; else ``None`` when a redraw is already
        due, or the seconds after which to redraw (and then call :meth:`due`)."""
        now = self.clock()
        # Quiet: nothing changed, and nothing was redrawn for a change, for quiet_s (the
        # app hears of one change per redraw, so a redraw stands for the changes before it).
        last = self._changed_at
        if last is not None and self._redrawn_at is not None:
            last = max(last, self._redrawn_at)
        quiet = last is None or now - last >= self.quiet_s
        self._changed_at = now
        # After a quiet spell only a slow redraw holds a change back (its share of the time).
        gap = self._paint_s / PAINT_SHARE if quiet else self.burst_interval_s
        if self._redrawn_at is None or now - self._redrawn_at >= gap:
            self._redrawn_at = now
            return 0.0
        if self.scheduled:
            return None
        self.scheduled = True
        return self._redrawn_at + gap - now

    @property
    def burst_interval_s(self) -> float:
        """Seconds between redraws during a burst: ``interval_s``, or more for a slow redraw."""
        return max(self.interval_s, self._paint_s / BURST_PAINT_SHARE)

    def painted(self, seconds: float) -> None:
        """The redraw just done took ``seconds``."""
        self._paint_s = max(0.0, seconds)

    def due(self) -> None:
        """The scheduled redraw is being done now."""
        self.scheduled = False
        self._redrawn_at = self.clock()
