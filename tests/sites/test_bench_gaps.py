"""The load test's enterprise subscriber asks for replays as the enterprise historian does."""

from andon.bench.sites_historian import GAP_S, Gaps
from andon.bus.replay_pacing import MAX_IN_FLIGHT


def test_a_gap_is_asked_for_once_it_lasted_and_not_while_its_replay_arrives():
    gaps = Gaps("acme")
    for seq in (1, 2, 5):
        gaps.add("s/a/l/x", seq)
    assert gaps.requests(0.0) == []
    assert gaps.requests(GAP_S - 0.1) == []
    (packet,) = gaps.requests(GAP_S)
    assert b"acme/s/a/l/x/cmd/replay" in packet and b'"from_seq": 3, "to_seq": 4' in packet
    gaps.add("s/a/l/x", 3)  # the replay is arriving
    assert gaps.requests(GAP_S + 3.0) == []
    gaps.add("s/a/l/x", 4)
    assert gaps.requests(GAP_S + 4.0) == []
    assert "s/a/l/x" not in gaps.pacer


def test_a_state_ahead_of_the_stream_is_a_gap_too():
    gaps = Gaps("acme")
    gaps.add("s/a/l/x", 1)
    gaps.state("s/a/l/x", 7)
    gaps.requests(0.0)
    (packet,) = gaps.requests(GAP_S)
    assert b'"from_seq": 2, "to_seq": 7' in packet  # up to the state's seq


def test_many_gaps_at_once_are_asked_for_a_bounded_number_at_a_time():
    gaps = Gaps("acme")
    for i in range(500):
        gaps.add(f"s/a/l/{i}", 1)
        gaps.state(f"s/a/l/{i}", 100)
    gaps.requests(0.0)
    first = gaps.requests(GAP_S)
    assert len(first) == MAX_IN_FLIGHT
    assert gaps.requests(GAP_S + 0.5) == []
    total = len(first)
    for step in range(1, 121):  # a minute more without any answer
        total += len(gaps.requests(GAP_S + step * 0.5))
        assert gaps.pacer.in_flight(GAP_S + step * 0.5) <= MAX_IN_FLIGHT
    assert total <= MAX_IN_FLIGHT * (60 / 2.0 + 1)
    once_every_10_s = 500 * 7
    assert total < once_every_10_s / 2
