"""A line's figures for a shift so far: one definition for the board and every report.

- *Planned production time* = planned working seconds from the shift's start to
  ``until`` (breaks and other planned stops excluded).
- *Downtime* = planned working seconds in which the line was stopped: the union
  of the real (not minor) stops of **all** its stations, clipped to that time.
  Overlapping stops count once, so downtime never exceeds planned time.
- *Minor stops* = the further seconds only minor stops cover (performance loss).
- *Run time* = planned production time − downtime.
- Availability = run / planned; performance = ideal cycle × units / run;
  quality = good / units; OEE = A × P × Q (:func:`andon.domain.kpi.oee`).
- The downtime Pareto (:func:`andon.domain.attribution.attribute`) books every
  second of that downtime to exactly one cause: its downtime entries add up to
  the downtime.

Until one ideal cycle of planned time has passed there are no KPIs (``kpi`` is
``None``, shown "–"): a line that just started is never shown at 0 %.
docs/figures.md has the formulas with worked numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from andon.domain.attribution import Loss, StationStop, analyse
from andon.domain.downtime import split_downtime
from andon.domain.kpi import Oee, oee, plan_achievement
from andon.domain.working_time import WorkingTime


@dataclass(frozen=True)
class LineFigures:
    """What the line achieved from ``start`` to ``until``."""

    start: datetime
    until: datetime
    planned: float
    """Units planned so far."""
    good: int
    scrap: int
    planned_production_s: float
    downtime_s: float
    minor_stop_s: float
    run_s: float
    kpi: Oee | None
    """``None`` until one ideal cycle of planned production time has passed (no unit
    could be expected yet: nothing to judge)."""
    pareto: tuple[Loss, ...]
    """Downtime and minor stops by cause, longest first."""
    explained: Mapping[tuple[str, str], StationStop] = field(default_factory=dict)
    """(station, stop id) of each symptom booked under another stop's cause → that stop."""

    @property
    def total(self) -> int:
        """Units made, good and scrap."""
        return self.good + self.scrap

    @property
    def achievement(self) -> float | None:
        """Good / planned (``None`` without a plan)."""
        return plan_achievement(self.good, self.planned)

    @property
    def downtime_pareto(self) -> tuple[Loss, ...]:
        """The Pareto without the minor stops: its seconds add up to :attr:`downtime_s`."""
        return tuple(loss for loss in self.pareto if not loss.minor)


def line_figures(
    calendar: WorkingTime,
    start: datetime,
    until: datetime,
    stops: Iterable[StationStop],
    *,
    planned: float,
    good: int,
    scrap: int,
    ideal_cycle_s: float,
    minor_stop_s: float,
) -> LineFigures:
    """The line's figures over ``[start, until]`` from every station's stops.

    ``planned``, ``good`` and ``scrap`` are the counting station's (the line's
    output). An open stop lasts until ``until``.
    """
    until = max(until, start)
    items: Sequence[StationStop] = tuple(stops)
    split = split_downtime(
        calendar, (item.stop for item in items), (start, until), until, minor_stop_s
    )
    planned_s = calendar.working_seconds(start, until)
    downtime_s = min(float(split.downtime_s), planned_s)
    run_s = max(0.0, planned_s - downtime_s)
    judged = planned_s > 0 and planned_s >= ideal_cycle_s
    kpi = oee(planned_s, run_s, ideal_cycle_s, good + scrap, good) if judged else None
    pareto, explained = analyse(calendar, items, start, until, minor_stop_s)
    return LineFigures(
        start=start,
        until=until,
        planned=planned,
        good=good,
        scrap=scrap,
        planned_production_s=planned_s,
        downtime_s=downtime_s,
        minor_stop_s=split.minor_s,
        run_s=run_s,
        kpi=kpi,
        pareto=pareto,
        explained=explained,
    )
