"""A line's figures over every station's stops: DOMAIN.md's worked numbers and the
attribution rules of docs/figures.md."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from andon.domain.attribution import MINOR, StationStop, attribute, booked_keys, missing_key
from andon.domain.calendar import Calendar, PlannedStop, Shift, StopKind
from andon.domain.downtime import Stop, needs_reason, stop_class
from andon.domain.kpi import StopClass
from andon.domain.line_figures import line_figures
from andon.domain.working_time import CONTINUOUS

DAY = datetime(2026, 11, 24, tzinfo=UTC)  # a Tuesday
START = DAY.replace(hour=6)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def seed_calendar() -> Calendar:
    """Seed 002's day: 475 min of working time with a 15-min meeting (loading time 460)."""
    meeting = PlannedStop("5S and meeting", time(6, 0), time(6, 15), StopKind.MEETING)
    shift = Shift("day", time(6, 0), time(13, 55), stops=(meeting,))
    return Calendar(shifts=(shift,), tz=UTC)


def stop(
    station: str, stop_id: str, source: str, start: float, end: float | None, reason: str = ""
) -> StationStop:
    ended = None if end is None else at(end)
    return StationStop(station, Stop(stop_id, source, at(start), ended, reason))


def seed_stops() -> list[StationStop]:
    """Breakdown, changeover and quality stop of 20 min each, 32 minor stops (80 min)."""
    stops = [
        stop("a1", "S1", "fault", 30, 50, "BRK"),
        stop("a2", "S2", "changeover", 120, 140, "CHG"),
        stop("a3", "S3", "line_stop", 200, 220, "QUA"),
    ]
    for n in range(32):  # each 2.5 min, in the afternoon
        begin = 240 + n * 5
        stops.append(stop("a3", f"M{n}", "no_count", begin, begin + 2.5))
    return stops


def test_seed_002_loss_tree_as_line_figures() -> None:
    figures = line_figures(
        seed_calendar(),
        START,
        at(475),
        seed_stops(),
        planned=460 * 60 / 30,
        good=392,
        scrap=8,
        ideal_cycle_s=30.0,
        minor_stop_s=300.0,
    )
    assert figures.planned_production_s == 460 * 60
    assert figures.downtime_s == 60 * 60
    assert figures.minor_stop_s == 80 * 60
    assert figures.run_s == 400 * 60
    assert figures.kpi is not None
    assert round(figures.kpi.availability, 3) == 0.870
    assert figures.kpi.performance == 0.5
    assert figures.kpi.quality == 0.98
    assert round(figures.kpi.oee, 3) == 0.426
    assert figures.kpi.oee == pytest.approx(196 / 460)
    pareto = {loss.key: (loss.seconds, loss.stops) for loss in figures.pareto}
    assert pareto == {
        "BRK": (1200, 1),
        "CHG": (1200, 1),
        "QUA": (1200, 1),
        MINOR: (4800, 32),
    }
    assert sum(loss.seconds for loss in figures.downtime_pareto) == figures.downtime_s


def test_overlapping_stops_of_stations_count_once_and_never_exceed_planned_time() -> None:
    # three stations each record the same 30-minute line stop; the shift is 20 min old
    stops = [stop(s, "S1", "line_stop", -10, None) for s in ("a1", "a2", "a3")]
    figures = line_figures(
        CONTINUOUS,
        START,
        at(20),
        stops,
        planned=7.5,
        good=0,
        scrap=0,
        ideal_cycle_s=160,
        minor_stop_s=300,
    )
    assert figures.downtime_s == figures.planned_production_s == 20 * 60
    assert figures.kpi is not None and figures.kpi.availability == 0.0
    ((loss),) = figures.pareto
    assert (loss.key, loss.seconds, loss.stops) == (missing_key("line_stop"), 1200, 1)


def test_a_line_stop_elsewhere_is_downtime_of_the_line() -> None:
    # the counting station a3 never stopped; a1 held the line for 20 of the 60 minutes
    figures = line_figures(
        CONTINUOUS,
        START,
        at(60),
        [stop("a1", "S1", "line_stop", 10, 30, "RC-BRK")],
        planned=22.5,
        good=15,
        scrap=0,
        ideal_cycle_s=160,
        minor_stop_s=300,
    )
    assert figures.kpi is not None
    assert figures.kpi.availability == pytest.approx(40 / 60)


def test_a_no_count_stop_while_another_station_holds_the_line_is_booked_under_that_cause() -> None:
    # a1's quality call stopped the line 10:00-30:00 and was resolved with RC:BRK-TOOL;
    # a3 (counting) saw no count from its last unit at 8:30 until 32:00
    stops = [
        stop("a1", "S1", "line_stop", 10, 30, "BRK-TOOL"),
        stop("a3", "S7", "no_count", 8.5, 32),
    ]
    losses = attribute(CONTINUOUS, stops, START, at(60), 300)
    assert [(loss.key, loss.seconds, loss.stops, loss.missing) for loss in losses] == [
        ("BRK-TOOL", 23.5 * 60, 1, False)
    ]
    figures = line_figures(
        CONTINUOUS,
        START,
        at(60),
        stops,
        planned=22.5,
        good=12,
        scrap=0,
        ideal_cycle_s=160,
        minor_stop_s=300,
    )
    assert figures.downtime_s == 23.5 * 60
    assert set(figures.explained) == {("a3", "S7")}
    assert figures.explained[("a3", "S7")].station == "a1"
    keys = booked_keys(CONTINUOUS, stops, START, at(60), 300)
    assert keys == {("a1", "S1"): "BRK-TOOL", ("a3", "S7"): "BRK-TOOL"}


def test_a_no_count_stop_mostly_outside_the_line_stop_keeps_asking_for_its_reason() -> None:
    stops = [
        stop("a1", "S1", "changeover", 50, 55, "CHG"),
        stop("a3", "S7", "no_count", 0, 60),
    ]
    losses = {loss.key: loss.seconds for loss in attribute(CONTINUOUS, stops, START, at(60), 300)}
    # the changeover started later but is a cause: its minutes are its own
    assert losses == {"CHG": 300, missing_key("no_count"): 55 * 60}


def test_overlapping_causes_go_to_the_one_that_started_first() -> None:
    stops = [
        stop("a2", "S2", "fault", 20, 40, "ELEC"),
        stop("a1", "S1", "fault", 10, 30, "MECH"),
    ]
    losses = {loss.key: loss.seconds for loss in attribute(CONTINUOUS, stops, START, at(60), 300)}
    assert losses == {"MECH": 20 * 60, "ELEC": 10 * 60}


def test_minor_stops_under_a_real_stop_are_that_stops() -> None:
    stops = [
        stop("a1", "S1", "fault", 10, 30, "MECH"),
        stop("a3", "M1", "no_count", 28, 31),  # 3 min: a minor stop, 2 of them under the fault
    ]
    losses = {loss.key: loss.seconds for loss in attribute(CONTINUOUS, stops, START, at(60), 300)}
    assert losses == {"MECH": 20 * 60, MINOR: 60}


def test_breaks_are_never_downtime() -> None:
    calendar = seed_calendar()
    figures = line_figures(
        calendar,
        START,
        at(60),
        [stop("a1", "S1", "fault", -30, 30, "MECH")],  # began before the shift, over the meeting
        planned=90,
        good=60,
        scrap=0,
        ideal_cycle_s=30,
        minor_stop_s=300,
    )
    assert figures.planned_production_s == 45 * 60
    assert figures.downtime_s == 15 * 60


def test_no_kpis_before_one_ideal_cycle_has_passed() -> None:
    def kpi_at(minutes: float) -> object:
        figures = line_figures(
            CONTINUOUS,
            START,
            at(minutes),
            [],
            planned=0,
            good=0,
            scrap=0,
            ideal_cycle_s=160,
            minor_stop_s=300,
        )
        return figures.kpi

    assert kpi_at(0) is None
    assert kpi_at(2) is None  # 120 s < one 160 s cycle
    assert kpi_at(3) is not None


def test_a_short_line_stop_a_call_held_is_its_reason_and_explains_the_no_count() -> None:
    # line C at night: c2 (counting) saw its last unit at 05:16:00 and its next at 05:22:44;
    # its quality call held the line 05:17:45-05:22:15 (4.5 min, under the 5-min
    # threshold) and was resolved with DEF-ASSY
    night = DAY.replace(hour=5)
    stops = [
        StationStop("c2", Stop("S1", "line_stop", night.replace(minute=17, second=45),
                               night.replace(minute=22, second=15), "DEF-ASSY")),
        StationStop("c2", Stop("S2", "no_count", night.replace(minute=16),
                               night.replace(minute=22, second=44))),
    ]  # fmt: skip
    figures = line_figures(
        CONTINUOUS,
        night,
        night.replace(minute=30),
        stops,
        planned=40,
        good=30,
        scrap=0,
        ideal_cycle_s=45,
        minor_stop_s=300,
    )
    assert [(loss.key, loss.seconds, loss.stops, loss.missing) for loss in figures.pareto] == [
        ("DEF-ASSY", 6 * 60 + 44, 1, False)
    ]
    assert (figures.downtime_s, figures.minor_stop_s) == (6 * 60 + 44, 0)
    assert figures.explained[("c2", "S2")].stop.stop_id == "S1"
    keys = booked_keys(CONTINUOUS, stops, night, night.replace(minute=30), 300)
    assert keys == {("c2", "S1"): "DEF-ASSY", ("c2", "S2"): "DEF-ASSY"}


def test_a_stop_a_call_caused_is_real_whatever_its_length() -> None:
    end = at(60)
    held = Stop("S1", "line_stop", at(10), at(11))  # its call was cancelled: no reason
    fault = Stop("S2", "fault", at(20), at(22), "MECH")  # its call gave it MECH
    jam = Stop("S3", "fault", at(30), at(31))  # nobody explained it
    short = Stop("S4", "no_count", at(40), at(43))
    assert stop_class(CONTINUOUS, held, end, 300) is StopClass.DOWNTIME
    assert needs_reason(CONTINUOUS, held, end, 300)
    assert stop_class(CONTINUOUS, fault, end, 300) is StopClass.DOWNTIME
    assert not needs_reason(CONTINUOUS, fault, end, 300)
    assert stop_class(CONTINUOUS, jam, end, 300) is StopClass.MINOR
    assert not needs_reason(CONTINUOUS, jam, end, 300)
    assert stop_class(CONTINUOUS, short, end, 300) is StopClass.MINOR
    stops = [StationStop("a1", s) for s in (held, fault, jam, short)]
    losses = {loss.key: loss.seconds for loss in attribute(CONTINUOUS, stops, START, end, 300)}
    assert losses == {missing_key("line_stop"): 60, "MECH": 120, MINOR: 240}


def test_an_open_line_stop_is_downtime_from_its_first_second() -> None:
    # its call is being answered: it asks for a reason only once past the threshold
    held = Stop("S1", "line_stop", at(29), None)
    assert stop_class(CONTINUOUS, held, at(30), 300) is StopClass.DOWNTIME
    assert not needs_reason(CONTINUOUS, held, at(30), 300)
    assert needs_reason(CONTINUOUS, held, at(34), 300)
    assert needs_reason(CONTINUOUS, held.end(at(30)), at(30), 300)
    figures = line_figures(
        CONTINUOUS,
        START,
        at(30),
        [stop("a1", "S1", "line_stop", 29, None)],
        planned=11.25,
        good=11,
        scrap=0,
        ideal_cycle_s=160,
        minor_stop_s=300,
    )
    assert figures.downtime_s == 60
    assert [(loss.key, loss.missing) for loss in figures.pareto] == [
        (missing_key("line_stop"), True)
    ]
