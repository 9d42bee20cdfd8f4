"""Properties of a line's figures over generated shifts (stops of several stations,
breaks, counts): docs/figures.md."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from andon.domain.attribution import MINOR, StationStop, attribute
from andon.domain.calendar import Calendar, PlannedStop, Shift
from andon.domain.downtime import Stop
from andon.domain.line_figures import LineFigures, line_figures
from andon.domain.pace import PaceRule, is_judged
from andon.domain.working_time import CONTINUOUS, WorkingTime

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN)  # a Wednesday
SOURCES = ("fault", "line_stop", "no_count", "changeover")
REASONS = ("", "", "BRK", "MAT", "QUA")
MINOR_S = 300.0


def calendar_with(breaks: list[tuple[int, int]]) -> Calendar:
    """08:00-16:00 with planned stops at the given (minute, length) from the start."""
    stops = []
    for n, (minute, length) in enumerate(sorted(breaks)):
        begin = START + timedelta(minutes=minute)
        stops.append(
            PlannedStop(f"break {n}", begin.time(), (begin + timedelta(minutes=length)).time())
        )
    shift = Shift("day", time(8), time(16), stops=tuple(stops), days=frozenset(range(1, 8)))
    return Calendar(shifts=(shift,), tz=BERLIN)


@st.composite
def breaks(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Up to three planned stops that do not overlap, inside the shift."""
    out: list[tuple[int, int]] = []
    minute = 0
    for _ in range(draw(st.integers(0, 3))):
        minute += draw(st.integers(5, 120))
        length = draw(st.integers(5, 30))
        if minute + length >= 8 * 60:
            break
        out.append((minute, length))
        minute += length
    return out


@st.composite
def station_stops(draw: st.DrawFn, until_s: int) -> list[StationStop]:
    """Stops of up to four stations, some begun before the shift, some still open."""
    out = []
    for station in draw(st.lists(st.sampled_from(["a1", "a2", "a3", "a4"]), max_size=4)):
        for n in range(draw(st.integers(0, 5))):
            begin = draw(st.integers(-1800, max(-1800, until_s - 1)))
            open_ = draw(st.booleans()) and n == 0
            length = draw(st.integers(1, 3600))
            end = None if open_ else min(begin + length, until_s)
            if end is not None and end <= begin:
                continue
            stop = Stop(
                stop_id=f"{station}.S{n}",
                source=draw(st.sampled_from(SOURCES)),
                started_at=START + timedelta(seconds=begin),
                ended_at=None if end is None else START + timedelta(seconds=end),
                reason=draw(st.sampled_from(REASONS)),
            )
            out.append(StationStop(station, stop))
    # a station's stop ids are unique: the last one of a repeated station wins
    return list({(s.station, s.stop.stop_id): s for s in out}.values())


Generated = tuple[WorkingTime, datetime, list[StationStop], int, int, float]
"""A shift: its calendar, the instant figures are taken, the stops, good, scrap, ideal cycle."""


@st.composite
def shifts(draw: st.DrawFn) -> Generated:
    calendar: WorkingTime = draw(st.one_of(st.just(CONTINUOUS), breaks().map(calendar_with)))
    until_s = draw(st.integers(0, 8 * 3600))
    stops = draw(station_stops(until_s))
    total = draw(st.integers(0, 400))
    good = draw(st.integers(0, total))
    ideal = draw(st.sampled_from([30.0, 55.0, 150.0, 160.0]))
    return calendar, START + timedelta(seconds=until_s), stops, good, total - good, ideal


def figures_of(shift: Generated) -> LineFigures:
    calendar, until, stops, good, scrap, ideal = shift
    return line_figures(
        calendar,
        START,
        until,
        stops,
        planned=0.0,
        good=good,
        scrap=scrap,
        ideal_cycle_s=ideal,
        minor_stop_s=MINOR_S,
    )


@settings(max_examples=300, deadline=None)
@given(shifts())
def test_factors_are_fractions_and_oee_is_their_product(shift) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(shift)
    kpi = figures.kpi
    if kpi is None:
        assert figures.planned_production_s < shift[5] or figures.planned_production_s == 0
        return
    for factor in (kpi.availability, kpi.performance, kpi.quality, kpi.oee):
        assert 0.0 <= factor <= 1.0
    assert kpi.oee == kpi.availability * kpi.performance * kpi.quality
    assert kpi.availability == (figures.planned_production_s - figures.downtime_s) / (
        figures.planned_production_s
    )


@settings(max_examples=300, deadline=None)
@given(shifts())
def test_downtime_never_exceeds_planned_time_and_the_pareto_adds_up(shift) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(shift)
    assert 0.0 <= figures.downtime_s <= figures.planned_production_s + 1e-6
    assert 0.0 <= figures.downtime_s + figures.minor_stop_s <= figures.planned_production_s + 1e-6
    assert figures.run_s == figures.planned_production_s - figures.downtime_s
    downtime = sum(loss.seconds for loss in figures.pareto if not loss.minor)
    minor = sum(loss.seconds for loss in figures.pareto if loss.minor)
    assert abs(downtime - figures.downtime_s) < 1e-6
    assert abs(minor - figures.minor_stop_s) < 1e-6
    keys = [loss.key for loss in figures.pareto]
    assert len(keys) == len(set(keys)) and all(loss.seconds > 0 for loss in figures.pareto)
    assert [loss.seconds for loss in figures.pareto] == sorted(
        (loss.seconds for loss in figures.pareto), reverse=True
    )


@settings(max_examples=200, deadline=None)
@given(shifts())
def test_downtime_is_the_union_of_the_stations_stops(shift) -> None:  # type: ignore[no-untyped-def]
    """An independent count, second by second, without a calendar (every second works).

    A real stop is one at least the threshold long, or one a call caused: a line stop,
    a fault with its reason, whatever their length."""
    _, until, stops, good, scrap, ideal = shift
    figures = figures_of((CONTINUOUS, until, stops, good, scrap, ideal))
    horizon = int((until - START).total_seconds())
    real: set[int] = set()
    every: set[int] = set()
    for item in stops:
        stop = item.stop
        begin = int((stop.started_at - START).total_seconds())
        end = horizon if stop.ended_at is None else int((stop.ended_at - START).total_seconds())
        seconds = set(range(max(0, begin), min(end, horizon)))
        every |= seconds
        held = stop.source == "line_stop" or (stop.source == "fault" and stop.reason != "")
        if held or end - begin >= MINOR_S:
            real |= seconds
    assert figures.downtime_s == len(real)
    assert figures.minor_stop_s == len(every) - len(real)


@settings(max_examples=200, deadline=None)
@given(shifts(), st.permutations(range(20)))
def test_the_pareto_does_not_depend_on_the_order_of_the_stops(shift, order) -> None:  # type: ignore[no-untyped-def]
    calendar, until, stops, *_ = shift
    shuffled = [stops[i] for i in order if i < len(stops)]
    assert attribute(calendar, stops, START, until, MINOR_S) == attribute(
        calendar, shuffled, START, until, MINOR_S
    )


@settings(max_examples=200, deadline=None)
@given(shifts())
def test_a_missing_reason_only_for_stops_nobody_explained(shift) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(shift)
    sources = {s.stop.source for s in shift[2] if not s.stop.reason}
    for loss in figures.pareto:
        if loss.missing:
            assert loss.source in sources
        elif not loss.minor:
            assert loss.reason in {s.stop.reason for s in shift[2]}
    assert MINOR not in {loss.reason for loss in figures.pareto}


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 20_000, allow_nan=False),
    st.floats(0, 30_000, allow_nan=False),
    st.floats(0, 3600, allow_nan=False),
    st.floats(0, 5, allow_nan=False),
)
def test_pace_is_not_judged_before_the_minimum_time_and_plan(
    planned: float, elapsed: float, min_elapsed: float, min_planned: float
) -> None:
    rule = PaceRule(min_elapsed_s=min_elapsed, min_planned=min_planned)
    judged = is_judged(planned, elapsed, rule)
    assert judged == (elapsed >= min_elapsed and planned >= min_planned and planned > 0)


def test_a_line_that_just_started_has_no_kpis_not_zero() -> None:
    figures = line_figures(
        CONTINUOUS,
        START,
        START + timedelta(seconds=30),
        [],
        planned=0.2,
        good=0,
        scrap=0,
        ideal_cycle_s=150,
        minor_stop_s=MINOR_S,
    )
    assert figures.kpi is None and figures.downtime_s == 0


def test_breaks_are_excluded_in_the_generated_calendars() -> None:
    calendar = calendar_with([(60, 15)])
    assert calendar.working_seconds(START, START + timedelta(hours=2)) == 105 * 60


@settings(max_examples=200, deadline=None)
@given(
    st.integers(int(MINOR_S), 4 * 3600),  # the symptom begins in the shift
    st.integers(1, int(MINOR_S) - 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(["a1", "a3"]),
    st.sampled_from(["BRK", "QUA"]),
    st.integers(0, 3600),
)
def test_a_short_line_stop_a_call_held_books_the_no_count_it_covers_under_its_reason(  # type: ignore[no-untyped-def]
    begin, length, before, after, counting, reason, later
) -> None:
    """A call holds the line shorter than the threshold and is resolved with a reason;
    the counting station's no-count stop lies at least half under it (docs/figures.md,
    the downtime Pareto, rules 2 and 3)."""
    lead = int(before * length)  # the symptom outside the line stop: at most its length
    tail = int(after * (length - lead))
    held = Stop(
        "S1",
        "line_stop",
        START + timedelta(seconds=begin),
        START + timedelta(seconds=begin + length),
        reason,
    )
    symptom = Stop(
        "S2",
        "no_count",
        START + timedelta(seconds=begin - lead),
        START + timedelta(seconds=begin + length + tail),
    )
    until = START + timedelta(seconds=begin + length + tail + later)
    stops = [StationStop("a1", held), StationStop(counting, symptom)]
    figures = figures_of((CONTINUOUS, until, stops, 0, 0, 30.0))
    lost = lead + length + tail
    pareto = {loss.key: (loss.seconds, loss.stops) for loss in figures.pareto}
    if lost >= MINOR_S:  # a real symptom: all its seconds are the call's
        assert pareto == {reason: (lost, 1)}
        assert (figures.downtime_s, figures.minor_stop_s) == (lost, 0)
    else:  # a minor one: its seconds outside the line stop stay minor stops
        assert pareto == (
            {reason: (length, 1), MINOR: (lead + tail, 1)} if lead + tail else {reason: (length, 1)}
        )
        assert (figures.downtime_s, figures.minor_stop_s) == (length, lead + tail)
    assert not any(loss.missing for loss in figures.pareto)
    assert figures.explained[(counting, "S2")].stop == held
