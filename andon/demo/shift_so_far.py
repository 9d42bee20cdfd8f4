"""The shift so far, journalled before a counting station starts: the demo opens mid-shift."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from andon.config.station import StationFile
from andon.demo.operators import Behaviour
from andon.domain import events as ev
from andon.domain.orders import planned_now
from andon.domain.pace import Pace, judge
from andon.domain.plan import planned_count
from andon.journal.store import Journal
from andon.station.assemble import station_address
from andon.station.build import station_rules
from andon.station.clock import truncate_ms

SEED_STEP = timedelta(minutes=10)
SEED_STAMP_EARLY = timedelta(milliseconds=1)
"""A seeded count is stamped this much before its step ends: inside the step, never on the
next hour's first instant."""


def seed_shift_so_far(
    config: StationFile,
    journal_path: Path,
    now: datetime,
    behaviour: Behaviour,
    *,
    after: datetime | None = None,
) -> None:
    """Journal what a counting station made since the shift started, so the demo opens mid-shift.

    One ``counted`` event per ten minutes of the shift so far, at the pace of
    the line's behaviour, stamped a millisecond before its ten minutes end, so the
    units made up to an hour's end count in that hour's row; after each count the
    domain's pace judge runs as the station's would, and a ``pace_changed`` event is
    journalled when its judgement moves, so the history's time by pace judgement
    reads like the board from the shift's start. A journal that already holds events
    (later than ``after``, the end of the past weeks played on a first start) is
    left alone.
    """
    if not config.counts:
        return
    rules = station_rules(config)
    window = rules.calendar.shift_at(now)
    if window is None:
        return
    address = station_address(config)
    with Journal(journal_path, owner=address.path) as journal:
        last = journal.last_seq()
        if last:
            row = journal.row(last)
            if after is None or row is None or ev.parse_instant(row.at) > after:
                return
        made, pace = 0, Pace.NORMAL
        t = window.start
        while True:
            t = min(t + SEED_STEP, now)
            due = math.floor(
                planned_count(rules.calendar, window, rules.takt_s, t) / behaviour.pace
            )
            if due > made:
                event = ev.Counted(at=truncate_ms(t) - SEED_STAMP_EARLY, good=due - made)
                journal.append(event.KIND, event.to_dict(), at=ev.format_instant(event.at))
                made = due
                planned = planned_now(rules, window, event.at)
                elapsed = rules.calendar.working_seconds(window.start, event.at)
                judged = judge(made, planned, elapsed, rules.pace, pace)
                if judged is not pace:
                    change = ev.PaceChanged(
                        at=event.at,
                        pace=judged.value,
                        previous=pace.value,
                        actual=made,
                        planned=round(planned, 3),
                    )
                    journal.append(change.KIND, change.to_dict(), at=ev.format_instant(change.at))
                    pace = judged
            if t >= now:
                return
