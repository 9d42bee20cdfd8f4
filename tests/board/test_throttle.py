"""The redraw throttle on a clock moved by the test: at once when quiet, folded in a burst."""

from __future__ import annotations

import pytest

from andon.board.throttle import INTERVAL_S, RefreshThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_an_isolated_change_redraws_at_once(clock: Clock) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    assert throttle.change() == 0.0
    clock.now += 5.0
    assert throttle.change() == 0.0


def test_a_change_right_after_a_redraw_is_still_at_once_when_the_feed_was_quiet(
    clock: Clock,
) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    assert throttle.change() == 0.0
    clock.now += 0.03  # a press 30 ms after the previous message: not part of a burst
    assert throttle.change() == 0.0


def test_a_burst_is_folded_into_one_redraw_per_interval(clock: Clock) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    assert throttle.change() == 0.0  # leading edge
    clock.now += 0.001
    assert throttle.change() == pytest.approx(0.249)
    assert throttle.scheduled
    redraws = 1
    for _ in range(200):  # 200 more messages, 1 ms apart
        clock.now += 0.001
        delay = throttle.change()
        if delay == 0.0:
            redraws += 1
        elif delay is None:
            continue
        else:
            pytest.fail("a second redraw was scheduled while one was due")
    assert redraws == 1
    while clock.now < 100.24:  # the burst goes on until the redraw is due
        clock.now += 0.001
        assert throttle.change() is None
    throttle.due()
    assert not throttle.scheduled
    clock.now += 0.001
    assert throttle.change() == pytest.approx(0.249)  # and into the next interval


def test_a_burst_redraws_a_few_times_a_second(clock: Clock) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    redraws, due_at = 0, None
    for _ in range(2000):  # two seconds of messages, 1 ms apart
        clock.now += 0.001
        if due_at is not None and clock.now >= due_at:
            throttle.due()
            redraws, due_at = redraws + 1, None
        delay = throttle.change()
        if delay == 0.0:
            redraws += 1
        elif delay is not None:
            due_at = clock.now + delay
    assert 6 <= redraws <= 10


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="interval_s"):
        RefreshThrottle(interval_s=0)
    with pytest.raises(ValueError, match="quiet_s"):
        RefreshThrottle(quiet_s=-1)


def test_a_slow_redraw_spaces_the_redraws_of_a_burst(clock: Clock) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    assert throttle.change() == 0.0
    throttle.painted(0.1)  # a redraw of 100 ms: at most a tenth of the burst's time
    clock.now += 0.01
    assert throttle.change() == pytest.approx(0.99)  # 1 s after the last redraw
    throttle.due()
    throttle.painted(0.01)  # quick again: back to the interval
    clock.now += 0.01
    assert throttle.change() == pytest.approx(0.24)


def test_a_slow_redraw_holds_even_a_quiet_change_back_for_its_share(clock: Clock) -> None:
    throttle = RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock)
    assert throttle.change() == 0.0
    throttle.painted(0.5)  # two seconds of other work for each such redraw
    clock.now += 0.05
    assert throttle.change() == pytest.approx(1.95)
    throttle.due()
    clock.now += 3.0
    assert throttle.change() == 0.0


def test_a_steady_stream_redraws_at_a_bounded_rate_of_ten_or_more_a_second(
    clock: Clock,
) -> None:
    """5 000 messages a second for two seconds, each redraw costing 5 ms (the defaults)."""
    throttle = RefreshThrottle(clock=clock)
    redraws, due_at = 0, None
    for _ in range(10_000):
        clock.now += 0.0002
        if due_at is not None and clock.now >= due_at:
            throttle.due()
            throttle.painted(0.005)
            redraws, due_at = redraws + 1, None
        delay = throttle.change()
        if delay == 0.0:
            throttle.painted(0.005)
            redraws += 1
        elif delay is not None:
            due_at = clock.now + delay
    assert 20 <= redraws <= 2.0 / INTERVAL_S + 1


def test_a_costly_redraw_in_a_stream_leaves_the_ingest_nine_tenths(clock: Clock) -> None:
    throttle = RefreshThrottle(clock=clock)
    assert throttle.change() == 0.0
    throttle.painted(0.02)
    clock.now += 0.001
    assert throttle.change() == pytest.approx(0.199)  # 20 ms of every 200 ms at most
