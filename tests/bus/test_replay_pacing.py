"""Replays are asked with a back-off per gap and a bound on those in flight (no storm)."""

import pytest

from andon.bus.replay_pacing import ReplayPacer
from andon.bus.sequence import SequenceTracker


def test_a_gap_is_asked_at_once_then_with_a_doubling_wait_up_to_the_cap():
    pacer = ReplayPacer(retry_s=2.0, max_retry_s=10.0)
    asked = [t / 10 for t in range(0, 400) if pacer.ask("a", 5, t / 10) is not None]
    assert asked == [0.0, 2.0, 6.0, 14.0, 24.0, 34.0]


def test_a_gap_that_fills_is_not_asked_again_while_its_replay_arrives():
    pacer = ReplayPacer(retry_s=2.0)
    assert pacer.ask("a", 5, 0.0) == 5
    assert pacer.ask("a", 40, 2.0) is None  # seq 5..39 arrived: the replay is answering
    assert pacer.ask("a", 40, 3.9) is None
    assert pacer.ask("a", 40, 4.0) == 40  # nothing more for a whole wait: asked again
    assert pacer.ask("a", 40, 7.9) is None  # and now it waits twice as long
    assert pacer.ask("a", 40, 8.0) == 40


def test_a_closed_gap_forgets_its_back_off():
    pacer = ReplayPacer(retry_s=2.0)
    for t in (0.0, 2.0, 6.0):
        assert pacer.ask("a", 5, t) == 5
    pacer.closed("a")
    assert "a" not in pacer
    assert pacer.ask("a", 90, 6.5) == 90
    assert pacer.ask("a", 90, 8.5) == 90


def test_replays_in_flight_are_bounded_and_every_gap_is_asked_in_turn():
    pacer = ReplayPacer(retry_s=2.0, max_retry_s=8.0, max_in_flight=3)
    stations = [f"s{i}" for i in range(10)]
    first_asked: dict[str, float] = {}
    for step in range(200):
        now = step * 0.25
        if step == 0:
            due = {s: seq for s in stations if (seq := pacer.ask(s, 1, now)) is not None}
        else:
            due = pacer.due(dict.fromkeys(stations, 1), now)
        for station in due:
            first_asked.setdefault(station, now)
        assert pacer.in_flight(now) <= 3
    assert set(first_asked) == set(stations)
    assert sorted(first_asked.values())[:3] == [0.0, 0.0, 0.0]


def test_many_gaps_at_once_ask_far_fewer_replays_than_one_per_gap_and_period():
    pacer = ReplayPacer(retry_s=2.0, max_retry_s=60.0, max_in_flight=50)
    gaps = {f"s{i:04d}": 1 for i in range(1000)}
    requests = 0
    for step in range(121):  # 60 s of housekeeping every 0.5 s; no replay is answered
        requests += len(pacer.due(gaps, step * 0.5))
        assert pacer.in_flight(step * 0.5) <= 50
    every_gap_every_period = len(gaps) * 30
    assert requests <= 50 * 60 / 2.0 + 50
    assert requests < every_gap_every_period / 10


def test_an_answered_replay_frees_its_place_at_once():
    tracker: SequenceTracker[str] = SequenceTracker(retry_s=2.0, max_in_flight=2)
    for station in ("a", "b", "c"):
        tracker.offer(station, 1, "e1", 0.0)
    assert tracker.offer("a", 3, "e3", 0.0).replay_from == 2
    assert tracker.offer("b", 3, "e3", 0.0).replay_from == 2
    assert tracker.offer("c", 3, "e3", 0.0).replay_from is None  # two in flight already
    assert tracker.pending(0.5) == {}
    assert tracker.offer("a", 2, "e2", 0.6).deliver == [(2, "e2"), (3, "e3")]
    assert tracker.replays_in_flight(0.6) == 1
    assert tracker.pending(0.7) == {"c": 2}


def test_pacing_refuses_settings_that_cannot_work():
    with pytest.raises(ValueError, match="retry_s"):
        ReplayPacer(retry_s=0.0)
    with pytest.raises(ValueError, match="max_in_flight"):
        ReplayPacer(max_in_flight=0)


def test_a_station_that_says_it_sent_more_has_a_gap_paced_like_the_others():
    tracker: SequenceTracker[str] = SequenceTracker(retry_s=2.0)
    tracker.offer("a", 1, "e1", 0.0)
    assert tracker.announce("a", 1, 0.0) is None
    assert tracker.announce("a", 9, 0.0) == 2
    assert tracker.announce("a", 9, 1.0) is None
    assert tracker.pending(2.0) == {"a": 2}
    assert tracker.pending(4.0) == {}  # twice as long now
    assert tracker.offer("a", 2, "e2", 4.5).replay_from is None  # the replay arrives
    for seq in range(3, 10):
        tracker.offer("a", seq, f"e{seq}", 4.6)
    assert tracker.replays_in_flight(4.6) == 0
    assert tracker.pending(100.0) == {}
