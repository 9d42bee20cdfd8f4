"""A view rebuilds only the lines that changed; the others are handed out again as they were."""

from __future__ import annotations

from andon.board.model import BoardModel
from tests.board import factory as f
from tests.board.test_model import make_catalogue


def fed_model() -> BoardModel:
    model = BoardModel(make_catalogue())
    model.ingest(f.topic("state"), f.state(seq=4), f.at(0))
    model.ingest(
        f.topic("state", line="line-b", station="b1"),
        f.state(seq=2, line="line-b", station="b1"),
        f.at(0),
    )
    return model


def test_a_line_without_news_keeps_its_view_within_the_second() -> None:
    model = fed_model()
    first = model.view(f.at(1.1))
    again = model.view(f.at(1.6))
    assert again.line("line-a") is first.line("line-a")
    assert again.line("line-b") is first.line("line-b")


def test_only_the_line_of_the_station_that_published_is_rebuilt() -> None:
    model = fed_model()
    first = model.view(f.at(1.1))
    model.ingest(f.topic("events"), f.raised(5, when=1.2), f.at(1.2))
    after = model.view(f.at(1.3))
    line_a = after.line("line-a")
    assert line_a is not first.line("line-a")
    assert line_a is not None and [c.call.call_id for c in line_a.open_calls] == ["line-a.a3.C1"]
    assert after.line("line-b") is first.line("line-b")


def test_a_new_second_rebuilds_every_line_for_its_timers() -> None:
    model = fed_model()
    model.ingest(f.topic("events"), f.raised(5, when=0.5), f.at(0.5))
    first = model.view(f.at(1.1))
    later = model.view(f.at(2.1))
    assert later.line("line-b") is not first.line("line-b")
    before, after = first.line("line-a"), later.line("line-a")
    assert before is not None and after is not None
    assert [c.elapsed_s for c in before.open_calls] == [0.6]
    assert [c.elapsed_s for c in after.open_calls] == [1.6]


def test_a_pending_command_rebuilds_the_lines_that_show_it() -> None:
    model = fed_model()
    model.ingest(f.topic("events"), f.raised(5, when=0.5), f.at(0.5))
    first = model.view(f.at(1.1))
    model.new_command(f.path(), "acknowledge", {"call_id": "line-a.a3.C1"}, "Anna", f.at(1.2))
    line = model.view(f.at(1.3)).line("line-a")
    assert line is not first.line("line-a")
    assert line is not None and line.open_calls[0].pending is not None
    assert line.open_calls[0].pending.name == "acknowledge"


def test_a_malformed_message_of_a_station_leaves_other_lines_alone() -> None:
    model = fed_model()
    first = model.view(f.at(1.1))
    model.ingest(f.topic("events", line="line-b", station="b1"), b"{not json", f.at(1.2))
    after = model.view(f.at(1.3))
    assert after.line("line-a") is first.line("line-a")
    assert after.diagnostics.malformed[0].count == 1


def test_a_snapshot_evolves_as_replace_makes_it_and_refuses_unknown_fields() -> None:
    import dataclasses

    import pytest

    from andon.board.station_data import parse_snapshot

    snap = parse_snapshot(f.state(seq=4))
    evolved = snap.evolve(seq=9, good=3)
    assert evolved == dataclasses.replace(snap, seq=9, good=3)
    assert (snap.seq, evolved.seq) == (4, 9)
    with pytest.raises(TypeError, match="no field"):
        snap.evolve(sequence=9)


def test_counts_after_a_call_show_as_a_fresh_overlay_would() -> None:
    messages = [
        (f.topic("events"), f.raised(5, when=1)),
        (f.topic("events"), f.counted(6, when=2)),
        (f.topic("events"), f.counted(7, when=3)),
        (f.topic("events"), f.acknowledged(8, when=4)),
        (f.topic("events"), f.counted(9, when=5)),
    ]
    stepped, at_once = fed_model(), fed_model()
    for topic, payload in messages:
        stepped.ingest(topic, payload, f.at(6))
        stepped.view(f.at(7))  # each step's overlay shown (and kept) before the next
        at_once.ingest(topic, payload, f.at(6))
    shown = stepped.view(f.at(7)).station(f.path())
    fresh = at_once.view(f.at(7)).station(f.path())
    assert shown is not None and fresh is not None and shown.snapshot is not None
    assert shown.snapshot == fresh.snapshot
    assert shown.snapshot.seq == 9
    assert [(c.call_id, c.status) for c in shown.snapshot.open_calls] == [
        ("line-a.a3.C1", "acknowledged")
    ]
