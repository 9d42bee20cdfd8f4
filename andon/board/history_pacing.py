"""When the History screen reads the history again: by plant time, not the wall clock.

The board's clock is the plant's (in ``andon demo --speed 30`` thirty plant seconds
pass each second), and what the screen shows is of that time: the shift running
now so far, the four weeks up to now. So the shift comparison is read again once
:data:`RELOAD` of plant time has passed since the last read, and at once when
another shift runs than the one shown (a shift ended, or the clock was set); the
four weeks once :data:`WEEKS_RELOAD` of plant time has passed, or when another
week runs. A read folds the shift so far: it is never asked more often than every
:data:`MIN_WALL_S` seconds of the wall clock, however fast plant time runs. At
``--speed 1`` (a plant) this is a read every minute and the weeks every half
hour, as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta

RELOAD = timedelta(minutes=1)
"""Plant time after which the shift comparison is read again."""
WEEKS_RELOAD = timedelta(minutes=30)
"""Plant time after which the four weeks (they fold four weeks of events) are read again."""
MIN_WALL_S = 5.0
"""Wall seconds between two reads at the least (plant time may run many times faster)."""
CHECK_S = 1.0
"""Wall seconds between two looks at the clock while the screen is shown."""


def reload_due(
    read_at: datetime | None,
    now: datetime,
    shown_shift: datetime | None,
    shift_now: datetime | None,
    wall_s: float,
) -> bool:
    """Whether to read the shift comparison again at plant time ``now``: ``read_at``,
    the plant time of the last read (None: none yet); ``shown_shift`` and
    ``shift_now``, the start of the shift shown and of the one running at ``now``;
    ``wall_s``, the wall seconds since the last read."""
    if read_at is None:
        return True
    if wall_s < MIN_WALL_S:
        return False
    if shown_shift != shift_now:
        return True
    return now < read_at or now - read_at >= RELOAD


def weeks_fresh(
    read_at: datetime | None, now: datetime, week_then: datetime | None, week_now: datetime | None
) -> bool:
    """Whether the four weeks read at plant time ``read_at`` (``week_then``: the start of
    their last week) still hold at ``now`` (``week_now``: the week running then)."""
    if read_at is None or week_then != week_now:
        return False
    return read_at <= now < read_at + WEEKS_RELOAD
