"""Consumers get each station's events in order, none twice, gaps replayed."""

from andon.bus.sequence import SequenceTracker


def test_in_order_events_are_delivered_at_once():
    tracker: SequenceTracker[str] = SequenceTracker()
    assert tracker.offer("a", 1, "e1", 0.0).deliver == [(1, "e1")]
    assert tracker.offer("a", 2, "e2", 0.0).deliver == [(2, "e2")]
    assert tracker.last("a") == 2


def test_duplicates_are_dropped_and_counted():
    tracker: SequenceTracker[str] = SequenceTracker()
    tracker.offer("a", 1, "e1", 0.0)
    again = tracker.offer("a", 1, "e1", 0.0)
    assert again.duplicate and again.deliver == []
    assert tracker.duplicates == 1


def test_a_gap_holds_later_events_and_asks_for_a_replay_once():
    tracker: SequenceTracker[str] = SequenceTracker(retry_s=2.0)
    tracker.offer("a", 1, "e1", 0.0)
    first = tracker.offer("a", 4, "e4", 0.0)
    assert first.deliver == [] and first.replay_from == 2
    assert tracker.offer("a", 5, "e5", 0.5).replay_from is None
    assert tracker.pending(1.0) == {}
    assert tracker.pending(2.1) == {"a": 2}
    tracker.offer("a", 2, "e2", 3.0)
    filled = tracker.offer("a", 3, "e3", 3.0)
    assert filled.deliver == [(3, "e3"), (4, "e4"), (5, "e5")]
    assert tracker.pending(10.0) == {}


def test_baseline_skips_what_a_snapshot_already_covers():
    tracker: SequenceTracker[str] = SequenceTracker()
    tracker.baseline("a", 10)
    assert tracker.offer("a", 9, "old", 0.0).duplicate
    assert tracker.offer("a", 11, "e11", 0.0).deliver == [(11, "e11")]


def test_stations_are_independent():
    tracker: SequenceTracker[str] = SequenceTracker()
    tracker.offer("a", 1, "a1", 0.0)
    assert tracker.offer("b", 1, "b1", 0.0).deliver == [(1, "b1")]
    assert tracker.offer("b", 3, "b3", 0.0).replay_from == 2
    assert tracker.offer("a", 2, "a2", 0.0).deliver == [(2, "a2")]
