"""Properties of the calendar, plan curve, pace judge and KPIs over generated inputs.

Calendars are generated with one random shift (any start, any length up to 24 h, up to
three planned stops, random weekdays) in zones with daylight saving time, and instants
are drawn around the DST changes of 2024.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from andon.domain.balance import capacity_balance, cycle_time_balance
from andon.domain.calendar import Calendar, PlannedStop, Shift, ShiftWindow
from andon.domain.hourly import hourly_table
from andon.domain.kpi import loss_tree, oee
from andon.domain.pace import Pace, PaceRule, judge
from andon.domain.plan import PlanSegment, planned_count, planned_count_segments

FEW = settings(max_examples=100, deadline=None)

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
# Days with a DST change in at least one of the zones above, and an ordinary one.
AROUND = [
    datetime(2024, 3, 31, tzinfo=UTC),
    datetime(2024, 10, 27, tzinfo=UTC),
    datetime(2024, 3, 10, tzinfo=UTC),
    datetime(2024, 11, 3, tzinfo=UTC),
    datetime(2024, 4, 7, tzinfo=UTC),
    datetime(2024, 10, 6, tzinfo=UTC),
    datetime(2024, 6, 12, tzinfo=UTC),
]
THREE_DAYS_S = 3 * 24 * 3600


def _wall(minutes: int) -> time:
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)


# Strategies are built once: building them inside every draw costs more than the checks.
GRID = st.sampled_from([1, 30])
WEEKDAYS = st.frozensets(st.integers(1, 7), min_size=1)
ZONE = st.sampled_from([ZoneInfo(name) for name in ZONES])
# Holidays are drawn near the DST changes so that they matter to the instants drawn.
HOLIDAYS = st.frozensets(
    st.sampled_from(
        [(base + timedelta(days=shift)).date() for base in AROUND for shift in range(-3, 4)]
    ),
    max_size=3,
)
BASE = st.sampled_from(AROUND)
OFFSET_S = st.integers(-THREE_DAYS_S, THREE_DAYS_S)


@st.composite
def shifts(draw: st.DrawFn, with_stops: bool = False) -> Shift:
    """A shift on a grid of 1 or 30 minutes (the coarse grid hits midnight and DST edges)."""
    grid = draw(GRID)
    slots = 24 * 60 // grid
    start = draw(st.integers(0, slots - 1)) * grid
    length = draw(st.integers(max(1, 30 // grid), slots)) * grid
    cut_points = st.integers(1, length // grid).map(lambda slot: slot * grid)
    cuts = sorted(draw(st.sets(cut_points, min_size=2 if with_stops else 0, max_size=6)))
    stops = []
    for index, (begin, end) in enumerate(zip(cuts[::2], cuts[1::2], strict=False)):
        stops.append(PlannedStop(f"stop {index}", _wall(start + begin), _wall(start + end)))
    return Shift("shift", _wall(start), _wall(start + length), tuple(stops), draw(WEEKDAYS))


@st.composite
def calendars(draw: st.DrawFn, with_stops: bool = False) -> Calendar:
    shift = draw(shifts(with_stops))
    return Calendar(shifts=(shift,), tz=draw(ZONE), holidays=draw(HOLIDAYS))


@st.composite
def instants(draw: st.DrawFn, count: int) -> list[datetime]:
    """``count`` sorted instants (whole seconds) within three days of a DST change."""
    base = draw(BASE)
    offsets = [draw(OFFSET_S) for _ in range(count)]
    return sorted(base + timedelta(seconds=offset) for offset in offsets)


@st.composite
def calendar_with_window(draw: st.DrawFn, with_stops: bool = False) -> tuple[Calendar, ShiftWindow]:
    calendar = draw(calendars(with_stops))
    (around,) = draw(instants(1))
    windows = calendar.windows(around - timedelta(days=3), around + timedelta(days=3))
    assume(windows)
    return calendar, windows[draw(st.integers(0, len(windows) - 1))]


def _known_window(shift: Shift) -> tuple[Calendar, ShiftWindow]:
    """A hand-picked edge case: the occurrence of ``shift`` on Monday 2024-06-10, in UTC."""
    calendar = Calendar(shifts=(shift,), tz=UTC)
    window = calendar.occurrence(shift, datetime(2024, 6, 10).date())
    assert window is not None
    return calendar, window


def _in(window: ShiftWindow, fractions: list[float]) -> list[datetime]:
    """Sorted instants spread over the window and an hour either side."""
    lo = window.start - timedelta(hours=1)
    span = window.end - window.start + timedelta(hours=2)
    return sorted(lo + span * fraction for fraction in fractions)


class TestCalendarProperties:
    @FEW
    @given(calendars(), instants(3))
    def test_working_seconds_are_additive(self, calendar: Calendar, ts: list[datetime]) -> None:
        a, b, c = ts
        ws = calendar.working_seconds
        assert ws(a, b) + ws(b, c) == ws(a, c)

    @FEW
    @given(calendars(), instants(3), st.lists(st.integers(0, 999_999), min_size=3, max_size=3))
    def test_working_time_is_additive_to_the_microsecond(
        self, calendar: Calendar, ts: list[datetime], micros: list[int]
    ) -> None:
        a, b, c = sorted(t + timedelta(microseconds=m) for t, m in zip(ts, micros, strict=True))
        wt = calendar.working_time
        assert wt(a, b) + wt(b, c) == wt(a, c)

    @FEW
    @given(calendars(), instants(2))
    def test_working_time_never_exceeds_elapsed_time(
        self, calendar: Calendar, ts: list[datetime]
    ) -> None:
        a, b = ts
        assert 0 <= calendar.working_seconds(a, b) <= (b - a).total_seconds()

    @FEW
    @given(calendars(), instants(1))
    def test_is_working_agrees_with_working_intervals(
        self, calendar: Calendar, ts: list[datetime]
    ) -> None:
        (t,) = ts
        working = calendar.working_seconds(t, t + timedelta(seconds=1)) > 0
        inside = any(s <= t < e for s, e in calendar.working_intervals(t, t + timedelta(hours=1)))
        assert calendar.is_working(t) == inside
        if calendar.is_working(t):
            assert working
            assert calendar.planned_stop_at(t) is None

    @FEW
    @given(calendar_with_window())
    def test_a_window_holds_its_stops_and_is_its_length_give_or_take_dst(
        self, pair: tuple[Calendar, ShiftWindow]
    ) -> None:
        calendar, window = pair
        length = window.end - window.start
        assert abs(length - window.shift.length) <= timedelta(hours=1)
        previous_end = window.start
        for start, end, _ in window.stop_windows():
            assert previous_end <= start < end <= window.end
            previous_end = end
        assert calendar.shift_at(window.start) == window
        assert calendar.shift_at(window.end - timedelta(microseconds=1)) == window

    @FEW
    @given(calendar_with_window())
    @example(_known_window(Shift("n", time(22), time(6), (PlannedStop("a", time(23), time(0)),))))
    @example(_known_window(Shift("d", time(0), time(0), (PlannedStop("b", time(23), time(0)),))))
    def test_without_dst_a_window_works_its_nominal_time(
        self, pair: tuple[Calendar, ShiftWindow]
    ) -> None:
        calendar, window = pair
        assume(window.end - window.start == window.shift.length)  # no clock change inside
        stops = [window.shift.stop_offsets(stop) for stop in window.shift.stops]
        nominal = window.shift.length - sum((end - start for start, end in stops), timedelta(0))
        assert calendar.working_time(window.start, window.end) == nominal
        assert len(window.stop_windows()) == len(window.shift.stops)


class TestPlanProperties:
    @FEW
    @given(
        calendar_with_window(),
        st.floats(1, 600),
        st.lists(st.floats(0, 1), min_size=2, max_size=6),
    )
    def test_plan_curve_never_decreases(
        self, pair: tuple[Calendar, ShiftWindow], takt: float, fractions: list[float]
    ) -> None:
        calendar, window = pair
        counts = [planned_count(calendar, window, takt, t) for t in _in(window, fractions)]
        assert counts == sorted(counts)
        assert counts[0] >= 0

    @FEW
    @given(
        calendar_with_window(),
        st.lists(
            st.tuples(st.floats(0, 1), st.floats(1, 600), st.none() | st.integers(0, 300)),
            min_size=1,
            max_size=4,
        ),
        st.lists(st.floats(0, 1), min_size=2, max_size=6),
    )
    def test_plan_by_orders_never_decreases(
        self,
        pair: tuple[Calendar, ShiftWindow],
        orders: list[tuple[float, float, int | None]],
        fractions: list[float],
    ) -> None:
        calendar, window = pair
        starts = _in(window, [fraction for fraction, _, _ in orders])
        segments = [
            PlanSegment(start, takt, quantity)
            for start, (_, takt, quantity) in zip(starts, orders, strict=True)
        ]
        counts = [
            planned_count_segments(calendar, window, segments, t) for t in _in(window, fractions)
        ]
        assert counts == sorted(counts)
        caps = [segment.quantity for segment in segments]
        if all(cap is not None for cap in caps):
            assert counts[-1] <= sum(cap for cap in caps if cap is not None)

    @FEW
    @given(calendar_with_window(with_stops=True), st.floats(1, 600), st.data())
    def test_plan_never_advances_during_a_planned_stop(
        self, pair: tuple[Calendar, ShiftWindow], takt: float, data: st.DataObject
    ) -> None:
        calendar, window = pair
        stops = window.stop_windows()
        assume(stops)
        start, end, _ = stops[data.draw(st.integers(0, len(stops) - 1))]
        fractions = data.draw(st.lists(st.floats(0, 1), min_size=2, max_size=4))
        instants_in_stop = [start + (end - start) * f for f in fractions]
        counts = {planned_count(calendar, window, takt, t) for t in [start, *instants_in_stop]}
        assert len(counts) == 1

    @FEW
    @given(calendar_with_window(), st.floats(1, 600), st.floats(0, 1))
    def test_hourly_plan_adds_up_to_the_plan_curve(
        self, pair: tuple[Calendar, ShiftWindow], takt: float, fraction: float
    ) -> None:
        calendar, window = pair
        (now,) = _in(window, [fraction])
        rows = hourly_table(calendar, window, takt, {}, {}, now)
        total = planned_count(calendar, window, takt, now)
        assert abs(sum(row.planned for row in rows) - total) <= 1e-9 * max(1.0, total)
        for earlier, later in pairwise(rows):
            assert earlier.end == later.start


class TestPaceProperties:
    @FEW
    @given(
        st.integers(1, 100_000),
        st.integers(0, 100_000),
        st.sampled_from(list(Pace)),
        st.floats(0.01, 0.5),
        st.floats(0, 0.99),
    )
    def test_symmetric_about_the_plan(
        self, planned: int, offset: int, previous: Pace, band: float, share: float
    ) -> None:
        """``planned + k`` and ``planned - k`` deviate by exactly ``+d`` and ``-d``
        (``d = k / planned``): the judgements mirror each other, hysteresis included."""
        rule = PaceRule(band=band, hysteresis=band * share, min_elapsed_s=0)
        ahead = judge(planned + offset, planned, 3600, rule, previous)
        behind = judge(planned - offset, planned, 3600, rule, previous.mirrored())
        assert ahead is behind.mirrored()

    @FEW
    @given(
        st.floats(1, 1e6),
        st.floats(0, 0.9),
        st.sampled_from(list(Pace)),
    )
    def test_symmetric_for_relative_deviations(
        self, planned: float, d: float, previous: Pace
    ) -> None:
        """``judge(planned * (1 + d))`` mirrors ``judge(planned * (1 - d))`` for every relative
        deviation ``d`` not within float noise (1e-6) of a band or release edge."""
        rule = PaceRule()
        for edge in (rule.band_units(planned), rule.release_units(planned)):
            assume(abs(d - edge / planned) > 1e-6)
        ahead = judge(planned * (1 + d), planned, 3600, rule, previous)
        behind = judge(planned * (1 - d), planned, 3600, rule, previous.mirrored())
        assert ahead is behind.mirrored()

    @FEW
    @given(st.floats(0, 1e6), st.floats(1, 1e6), st.sampled_from(list(Pace)))
    def test_within_the_band_after_release_is_normal(
        self, actual: float, planned: float, previous: Pace
    ) -> None:
        rule = PaceRule()
        gap = actual - planned
        noise = 1e-6 * max(1.0, planned)
        pace = judge(actual, planned, 3600, rule, previous)
        if abs(gap) < rule.release_units(planned) - noise:
            assert pace is Pace.NORMAL
        if gap > rule.band_units(planned) + noise:
            assert pace is Pace.TOO_FAST
        if gap < -rule.band_units(planned) - noise:
            assert pace is Pace.TOO_SLOW
        if abs(gap) <= rule.band_units(planned) - noise and previous is Pace.NORMAL:
            assert pace is Pace.NORMAL


class TestKpiProperties:
    @FEW
    @given(
        st.floats(0, 1e6),
        st.floats(0, 1e6),
        st.floats(0, 1e4),
        st.integers(0, 100_000),
        st.data(),
    )
    def test_oee_factors_stay_within_zero_and_one(
        self,
        planned_s: float,
        run_s: float,
        ideal_s: float,
        total: int,
        data: st.DataObject,
    ) -> None:
        good = data.draw(st.integers(0, total))
        kpi = oee(planned_s, run_s, ideal_s, total, good)
        for value in (kpi.availability, kpi.performance, kpi.quality, kpi.oee):
            assert 0 <= value <= 1

    @FEW
    @given(
        st.floats(0, 2000),
        st.floats(0, 1),
        st.lists(st.floats(0, 1), min_size=3, max_size=3),
        st.floats(0.01, 10),
        st.floats(0.01, 1),
        st.floats(0, 1),
        st.floats(0, 1),
    )
    @example(  # stops that fill the loading time exactly, summed with float noise
        working=115.0,
        management_share=0.0,
        stop_shares=[1.0, 1.0, 1.0],
        actual_cycle=1.0,
        ideal_share=1.0,
        running_share=0.0,
        good_share=0.0,
    )
    def test_loss_tree_factors_stay_within_zero_and_one(
        self,
        working: float,
        management_share: float,
        stop_shares: list[float],
        actual_cycle: float,
        ideal_share: float,
        running_share: float,
        good_share: float,
    ) -> None:
        management = working * management_share
        loading = working - management
        breakdown, changeover, quality_stop = (loading * share / 3 for share in stop_shares)
        operating = loading - breakdown - changeover - quality_stop
        total = int(operating * running_share / actual_cycle)
        good = int(total * good_share)
        tree = loss_tree(
            working,
            management,
            breakdown,
            changeover,
            quality_stop,
            total,
            actual_cycle,
            actual_cycle * ideal_share,
            good,
        )
        for value in (tree.availability, tree.performance, tree.quality, tree.oee):
            assert 0 <= value <= 1 + 1e-12
        assert tree.oee <= tree.availability + 1e-12

    @FEW
    @given(st.lists(st.floats(0.1, 1e4), min_size=1, max_size=20))
    def test_balance_rates_stay_within_zero_and_one(self, values: list[float]) -> None:
        for rate in (capacity_balance(values).rate, cycle_time_balance(values).rate):
            assert 0 < rate <= 1 + 1e-12
