"""The board model without Textual: ingest, links, overlay, ordering, commands, diagnostics."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest

from andon.board.catalogue import BoardCatalogue, CallTypeInfo, LineInfo
from andon.board.model import BoardModel, ReplayRequest, pareto
from andon.board.views import Link
from andon.domain import events as ev
from andon.domain.attribution import MINOR, Loss
from tests.board import factory as f


def make_catalogue(**over: object) -> BoardCatalogue:
    values: dict[str, object] = dict(
        board_id="test",
        title="Test board",
        prefix=f.PREFIX,
        site=f.SITE,
        area=f.AREA,
        lines=(LineInfo("line-a", "Line A", 160.0, "a3"), LineInfo("line-b", "Line B", 60.0)),
        stale_after_s=30.0,
        call_types={"help": CallTypeInfo("help", "Help", "yellow", {1: ("team_leader",)})},
    )
    values.update(over)
    return BoardCatalogue(**values)  # type: ignore[arg-type]


@pytest.fixture
def model() -> BoardModel:
    return BoardModel(make_catalogue())


def test_state_gives_line_figures_from_the_counting_station(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=4), f.at(0))
    model.ingest(
        f.topic("state", station="a1"),
        f.state(seq=2, station="a1", counts=False, good=0, pace=None),
        f.at(0),
    )
    line = model.view(f.at(1)).line("line-a")
    assert line is not None
    assert [s.station_id for s in line.stations] == ["a1", "a3"]
    assert line.counting is not None and line.counting.station_id == "a3"
    assert line.snapshot is not None
    assert (line.snapshot.good, line.snapshot.planned, line.snapshot.pace) == (80, 90.0, "too_slow")
    # the line's KPIs over every station's stops (none here), up to the board's clock
    assert line.kpi is not None and line.kpi.availability == 1.0
    assert line.kpi.planned_production_s == 4 * 3600 + 1
    assert line.kpi.oee == pytest.approx(160 * 80 / (4 * 3600 + 1))
    assert line.link is Link.OK


def test_state_naming_the_station_by_id_only_is_accepted(model: BoardModel) -> None:
    model.ingest(
        f.topic("state"),
        f.state(seq=1, station="a3").replace(
            b'"station":"demo-plant/assembly/line-a/a3"', b'"station":"a3"'
        ),
        f.at(0),
    )
    view = model.view(f.at(0))
    assert view.diagnostics.malformed_total == 0
    assert view.station(f.path()) is not None


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"not json", "not JSON"),
        (b'{"v": 1, "station": "x"}', "version"),
        (b"[]", "object"),
        (f.state(4, good="many"), "good"),
        (f.state(4, open_calls=[{"call_id": 5}]), "call_id"),
        (f.state(4, open_calls=[f.call(raised_at="yesterday")]), "raised_at"),
        (f.state(4, hours=[{"start": "x"}]), "hour"),
        (f.state(4, kpi={"availability": "high"}), "kpi"),
        (f.state(4, station="demo-plant/assembly/line-a/zz"), "published on"),
        (f.state(4, line="line-b"), "line"),
        (f.state(4, material_lead_times=[]), "material_lead_times"),
        (f.state(4, material_lead_times={"P-1": {"count": 1, "mean_s": "long"}}), "P-1.mean_s"),
        (
            f.state(
                4, stops=[{"stop_id": "s1", "started_at": "2026-11-25T08:30:00.000Z", "note": 3}]
            ),
            "note",
        ),
        (f.state(4, shift={"name": "early", "start": "soon"}), "shift.start"),
        (f.state(-1), "seq"),
    ],
)
def test_malformed_states_are_counted_per_topic_and_keep_the_last_good(
    model: BoardModel, payload: bytes, error: str
) -> None:
    model.ingest(f.topic("state"), f.state(seq=3), f.at(0))
    assert model.ingest(f.topic("state"), payload, f.at(1)) == []
    view = model.view(f.at(2))
    (problem,) = view.diagnostics.malformed
    assert problem.topic == f.topic("state")
    assert problem.count == 1
    assert error in problem.last_error
    line = view.line("line-a")
    assert line is not None and line.snapshot is not None and line.snapshot.seq == 3


def test_every_channel_survives_garbage(model: BoardModel) -> None:
    for channel in ("state", "status", "events", "reply"):
        for payload in (b"", b"\xff\xfe", b"{}", b'{"v":1}', b"null", b"1" * 300_000):
            model.ingest(f.topic(channel), payload, f.at(0))
    diagnostics = model.view(f.at(0)).diagnostics
    assert diagnostics.malformed_total == 24
    assert len(diagnostics.malformed) == 4


def test_topics_outside_the_board_are_ignored_or_counted(model: BoardModel) -> None:
    model.ingest("andon/demo-plant/assembly/line-z/z1/state", f.state(), f.at(0))
    model.ingest("andon/other-site/assembly/line-a/a3/state", f.state(), f.at(0))
    model.ingest(f.topic("cmd/acknowledge"), b"{}", f.at(0))
    model.ingest("andon/demo-plant/assembly/line-a", b"{}", f.at(0))
    view = model.view(f.at(0))
    assert view.diagnostics.ignored == 3
    assert view.diagnostics.malformed_total == 1
    assert all(not line.stations for line in view.lines)


def test_last_will_marks_a_station_offline_and_online_again(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=1), f.at(0))
    model.ingest(f.topic("status"), f.status(True, when="2026-11-25T09:00:00.000Z"), f.at(0))
    model.ingest(f.topic("status"), f.status(False), f.at(100))
    station = model.view(f.at(160)).station(f.path())
    assert station is not None
    assert station.link is Link.OFFLINE
    assert station.offline_since == f.at(100)
    assert station.age_s == 60
    model.ingest(f.topic("status"), f.status(True, when="2026-11-25T09:03:00.000Z"), f.at(180))
    station = model.view(f.at(181)).station(f.path())
    assert station is not None and station.link is Link.OK and station.offline_since is None


def test_silence_longer_than_stale_after_marks_stale_with_its_age(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=1), f.at(0))
    assert model.view(f.at(30)).station(f.path()).link is Link.OK  # type: ignore[union-attr]
    station = model.view(f.at(45)).station(f.path())
    assert station is not None and station.link is Link.STALE and station.age_s == 45
    line = model.view(f.at(45)).line("line-a")
    assert line is not None and line.link is Link.STALE
    model.ingest(f.topic("events"), f.counted(2), f.at(50))
    assert model.view(f.at(50)).station(f.path()).link is Link.OK  # type: ignore[union-attr]


def test_call_events_after_the_snapshot_show_at_once(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=5), f.at(0))
    model.ingest(f.topic("events"), f.raised(6, when=60), f.at(60))
    line = model.view(f.at(180)).line("line-a")
    assert line is not None
    (call,) = line.open_calls
    assert (call.call_id, call.status, call.elapsed_s) == ("line-a.a3.C1", "raised", 120.0)
    model.ingest(f.topic("events"), f.acknowledged(7, when=90, by="Anna Becker"), f.at(90))
    (call,) = model.view(f.at(180)).line("line-a").open_calls  # type: ignore[union-attr]
    assert call.status == "acknowledged" and call.call.acknowledged_by == "Anna Becker"
    resolved = ev.CallResolved(
        at=f.at(120), call_id="line-a.a3.C1", by="Anna Becker", source="board", reason="JAM"
    )
    model.ingest(f.topic("events"), f.event(8, resolved), f.at(120))
    line = model.view(f.at(180)).line("line-a")
    assert line is not None and line.open_calls == ()
    (closed,) = line.closed_calls
    assert (closed.status, closed.call.reason, closed.elapsed_s) == ("resolved", "JAM", 60.0)


def test_a_newer_snapshot_replaces_the_overlay_but_keeps_later_events(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=5), f.at(0))
    model.ingest(f.topic("events"), f.raised(6), f.at(1))
    model.ingest(
        f.topic("events"), f.raised(7, call_id="line-a.a3.C2", call_type="quality"), f.at(2)
    )
    snapshot_6 = f.state(seq=6, now=f.at(3), open_calls=[f.call()])
    model.ingest(f.topic("state"), snapshot_6, f.at(3))
    line = model.view(f.at(4)).line("line-a")
    assert line is not None
    assert [c.call_id for c in line.open_calls] == ["line-a.a3.C1", "line-a.a3.C2"]


def test_an_older_snapshot_is_ignored(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=9, now=f.at(10), good=90), f.at(10))
    model.ingest(f.topic("state"), f.state(seq=8, now=f.at(5), good=85), f.at(11))
    line = model.view(f.at(12)).line("line-a")
    assert line is not None and line.snapshot is not None and line.snapshot.good == 90


def test_duplicates_are_dropped_and_a_gap_asks_for_a_replay(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=5), f.at(0))
    assert model.ingest(f.topic("events"), f.counted(6), f.at(1)) == []
    assert model.ingest(f.topic("events"), f.counted(6), f.at(1)) == []
    assert model.ingest(f.topic("events"), f.counted(4), f.at(1)) == []
    replays = model.ingest(f.topic("events"), f.raised(8), f.at(2))
    assert replays == [ReplayRequest(f.path(), 7)]
    view = model.view(f.at(2))
    assert view.diagnostics.duplicates == 2
    assert view.diagnostics.open_gaps == {f.path(): 7}
    assert view.line("line-a").open_calls == ()  # type: ignore[union-attr]  # held until 7
    # Still missing after the retry delay: asked again by tick().
    assert model.tick(f.at(3)) == []
    assert model.tick(f.at(5)) == [ReplayRequest(f.path(), 7)]
    model.ingest(f.topic("events"), f.counted(7), f.at(6))
    view = model.view(f.at(6))
    assert view.diagnostics.open_gaps == {}
    assert [c.call_id for c in view.line("line-a").open_calls] == ["line-a.a3.C1"]  # type: ignore[union-attr]


def test_events_before_the_first_snapshot_wait_for_it(model: BoardModel) -> None:
    assert model.ingest(f.topic("events"), f.raised(4), f.at(0)) == []
    assert model.ingest(f.topic("events"), f.counted(6), f.at(0)) == []
    assert model.view(f.at(0)).line("line-a").open_calls == ()  # type: ignore[union-attr]
    state = f.state(seq=4, open_calls=[f.call()], history_seq=4)  # the shift began at 4
    replays = model.ingest(f.topic("state"), state, f.at(1))
    assert replays == [ReplayRequest(f.path(), 5)]
    view = model.view(f.at(1))
    assert view.diagnostics.duplicates == 0
    assert [c.call_id for c in view.line("line-a").open_calls] == ["line-a.a3.C1"]  # type: ignore[union-attr]


def test_a_station_with_a_fresh_journal_starts_its_numbering_again(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=50), f.at(0))
    started = ev.StationStarted(at=f.at(10), version="0.1.0", replayed=0)
    model.ingest(f.topic("events"), f.event(1, started), f.at(10))
    model.ingest(f.topic("state"), f.state(seq=1, now=f.at(11), good=0), f.at(11))
    model.ingest(f.topic("events"), f.raised(2, when=12), f.at(12))
    line = model.view(f.at(13)).line("line-a")
    assert line is not None and line.snapshot is not None
    assert line.snapshot.good == 0
    assert [c.call_id for c in line.open_calls] == ["line-a.a3.C1"]


def test_the_first_event_of_a_journal_arriving_after_its_state_is_no_restart(
    model: BoardModel,
) -> None:
    # After a broker restart the station's event 1 may come again after a state that
    # already covers it: it is old news, not a new journal.
    started = ev.StationStarted(at=f.at(0), version="0.1.0", replayed=0)
    model.ingest(f.topic("events"), f.event(1, started), f.at(0))
    model.ingest(f.topic("state"), f.state(seq=3, now=f.at(5), open_calls=[f.call()]), f.at(5))
    model.ingest(f.topic("events"), f.event(1, started), f.at(6))
    model.ingest(f.topic("events"), f.counted(4), f.at(7))
    view = model.view(f.at(8))
    line = view.line("line-a")
    assert line is not None and [c.call_id for c in line.open_calls] == ["line-a.a3.C1"]
    assert view.diagnostics.open_gaps == {} and view.diagnostics.duplicates == 1


def test_a_command_stays_pending_until_the_event_confirms_it(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=5, open_calls=[f.call()]), f.at(0))
    command = model.new_command(
        f.path(), "acknowledge", {"call_id": "line-a.a3.C1"}, "Anna", f.at(1)
    )
    assert command.message() == {
        "v": 1,
        "id": command.command_id,
        "by": "Anna",
        "call_id": "line-a.a3.C1",
    }
    (call,) = model.view(f.at(1)).line("line-a").open_calls  # type: ignore[union-attr]
    assert call.pending is not None and call.pending.status == "sent"
    assert call.status == "raised"
    model.ingest(f.topic("reply"), f.reply(command.command_id, True, seq=6), f.at(2))
    (call,) = model.view(f.at(2)).line("line-a").open_calls  # type: ignore[union-attr]
    assert call.pending is not None and call.pending.status == "accepted"
    assert call.status == "raised"  # the station said yes; the event has not arrived yet
    model.ingest(f.topic("events"), f.acknowledged(6, by="Anna"), f.at(3))
    view = model.view(f.at(3))
    (call,) = view.line("line-a").open_calls  # type: ignore[union-attr]
    assert call.pending is None and call.status == "acknowledged"
    assert view.pending == () and view.notices == ()


def test_a_refused_command_becomes_a_notice(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=5, open_calls=[f.call()]), f.at(0))
    command = model.new_command(f.path(), "resolve", {"call_id": "line-a.a3.C1"}, "Anna", f.at(1))
    model.ingest(
        f.topic("reply"),
        f.reply(command.command_id, False, seq=5, reason="scan the reason card", command="resolve"),
        f.at(2),
    )
    view = model.view(f.at(2))
    assert view.pending == ()
    (notice,) = view.notices
    assert notice.text == "a3 refused resolve line-a.a3.C1: scan the reason card"
    assert model.view(f.at(200)).notices == ()  # shown for a minute


def test_an_unanswered_command_times_out(model: BoardModel) -> None:
    command = model.new_command(f.path(), "acknowledge", {"call_id": "x"}, "Anna", f.at(0))
    model.tick(f.at(10))
    assert [p.command_id for p in model.view(f.at(10)).pending] == [command.command_id]
    model.tick(f.at(20))
    view = model.view(f.at(20))
    assert view.pending == ()
    assert view.notices[-1].text == "no answer from a3 to acknowledge x"


def test_replies_to_other_boards_are_ignored(model: BoardModel) -> None:
    model.ingest(f.topic("reply"), f.reply("someone-else", False, reason="no"), f.at(0))
    view = model.view(f.at(0))
    assert view.notices == () and view.diagnostics.malformed_total == 0


def test_a_failed_publish_becomes_a_notice(model: BoardModel) -> None:
    command = model.new_command(f.path(), "cancel", {"call_id": "x"}, "Anna", f.at(0))
    model.command_failed(command.command_id, "client closed", f.at(1))
    view = model.view(f.at(1))
    assert view.pending == ()
    assert view.notices[-1].text == "cancel x not sent: client closed"


def test_hour_cause_is_pending_then_shown(model: BoardModel) -> None:
    hour = {
        "start": "2026-11-25T08:00:00.000Z",
        "end": "2026-11-25T09:00:00.000Z",
        "planned": 22.5,
        "actual": 15,
        "difference": -7.5,
        "variance": -0.3333,
        "complete": True,
        "unexplained": True,
        "cause": None,
    }
    model.ingest(f.topic("state"), f.state(seq=5, hours=[hour]), f.at(0))
    command = model.new_command(
        f.path(),
        "hour_cause",
        {"hour_start": hour["start"], "reason": "JAM", "note": ""},
        "Anna",
        f.at(1),
    )
    (row,) = model.view(f.at(1)).line("line-a").hours  # type: ignore[union-attr]
    assert row.pending is not None and row.hour.unexplained
    model.ingest(
        f.topic("reply"), f.reply(command.command_id, True, 6, command="hour_cause"), f.at(2)
    )
    recorded = ev.HourCauseRecorded(at=f.at(2), hour_start=f.at(-3600), reason="JAM", by="Anna")
    model.ingest(f.topic("events"), f.event(6, recorded), f.at(2))
    (row,) = model.view(f.at(3)).line("line-a").hours  # type: ignore[union-attr]
    assert row.pending is None and not row.hour.unexplained
    assert row.hour.cause is not None and row.hour.cause.reason == "JAM"


def test_stop_reason_is_pending_then_shown(model: BoardModel) -> None:
    stop = {
        "stop_id": "line-a.a3.S4",
        "source": "fault",
        "started_at": "2026-11-25T08:30:00.000Z",
        "ended_at": "2026-11-25T08:45:00.000Z",
        "duration_s": 900.0,
        "reason": "",
        "reason_by": "",
        "started_by": "",
        "note": "",
        "needs_reason": True,
    }
    downtime = [{"reason": "", "source": "fault", "needs_reason": True, "seconds": 900, "count": 1}]
    state = f.state(seq=5, stops=[stop], downtime_by_reason=downtime, stops_waiting=1)
    model.ingest(f.topic("state"), state, f.at(0))
    (waiting,) = model.view(f.at(0)).line("line-a").stops_needing_reason  # type: ignore[union-attr]
    assert (waiting.stop_id, waiting.station_id, waiting.pending) == ("line-a.a3.S4", "a3", None)
    command = model.new_command(
        f.path(),
        "stop_reason",
        {"stop_id": "line-a.a3.S4", "reason": "BRK-MECH", "note": "bearing"},
        "Anna",
        f.at(1),
    )
    (waiting,) = model.view(f.at(1)).line("line-a").stops_needing_reason  # type: ignore[union-attr]
    assert waiting.pending is not None and waiting.pending.command_id == command.command_id
    model.ingest(
        f.topic("reply"), f.reply(command.command_id, True, 6, command="stop_reason"), f.at(2)
    )
    assert model.view(f.at(2)).line("line-a").stops_needing_reason  # type: ignore[union-attr]
    recorded = ev.StopReasonRecorded(
        at=f.at(2), stop_id="line-a.a3.S4", reason="BRK-MECH", by="Anna", note="bearing"
    )
    model.ingest(f.topic("events"), f.event(6, recorded), f.at(2))
    view = model.view(f.at(3))
    line = view.line("line-a")
    assert line is not None and line.stops_needing_reason == () and view.pending == ()
    (shown,) = line.stops
    assert (shown.stop.reason, shown.stop.reason_by, shown.stop.note) == (
        "BRK-MECH",
        "Anna",
        "bearing",
    )
    assert [(b.label, b.unexplained) for b in line.pareto] == [("BRK-MECH", False)]


def test_a_refused_stop_reason_names_the_stop(model: BoardModel) -> None:
    command = model.new_command(
        f.path(), "stop_reason", {"stop_id": "line-a.a3.S9", "reason": "X"}, "Anna", f.at(0)
    )
    model.ingest(
        f.topic("reply"),
        f.reply(command.command_id, False, reason="no stop", command="stop_reason"),
        f.at(1),
    )
    assert model.view(f.at(1)).notices[-1].text == "a3 refused stop reason line-a.a3.S9: no stop"


def test_material_lead_times_per_part_and_station(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=1), f.at(0))  # an older station: no lead times
    assert model.view(f.at(0)).material_lead_times is None
    lead = {
        "P-2": {"count": 2, "mean_s": 300.0, "max_s": 420.5},
        "P-1": {"count": 1, "mean_s": 60, "max_s": 60},
    }
    model.ingest(
        f.topic("state", station="a1"),
        f.state(seq=1, station="a1", counts=False, material_lead_times=lead),
        f.at(0),
    )
    model.ingest(
        f.topic("state", line="line-b", station="b1"),
        f.state(
            seq=1,
            line="line-b",
            station="b1",
            material_lead_times={"P-1": {"count": 4, "mean_s": 90, "max_s": 200}},
        ),
        f.at(0),
    )
    rows = model.view(f.at(1)).material_lead_times
    assert rows is not None
    assert [
        (r.lead.part, r.line_id, r.station_id, r.lead.count, r.lead.mean_s, r.lead.max_s)
        for r in rows
    ] == [
        ("P-1", "line-a", "a1", 1, 60.0, 60.0),
        ("P-1", "line-b", "b1", 4, 90.0, 200.0),
        ("P-2", "line-a", "a1", 2, 300.0, 420.5),
    ]


def test_trend_keeps_one_difference_per_minute_of_the_shift(model: BoardModel) -> None:
    for second in range(0, 40 * 60, 20):
        model.ingest(
            f.topic("state"),
            f.state(seq=second, now=f.at(second), difference=-second / 60),
            f.at(second),
        )
    trend = model.view(f.at(2400)).line("line-a").trend  # type: ignore[union-attr]
    assert len(trend) == 30
    assert trend[-1] == pytest.approx(-(39 * 60 + 40) / 60)
    assert trend[0] == pytest.approx(-(10 * 60 + 40) / 60)


def test_pareto_orders_downtime_and_flags_missing_reasons() -> None:
    losses = (
        Loss("BRK-MECH", 900.0, 2, reason="BRK-MECH"),
        Loss("line stop: reason missing", 900.0, 1, source="line_stop"),
        Loss(MINOR, 60.0, 1),
    )
    bars = pareto(losses, {"BRK-MECH": "Mechanical breakdown"}.get)
    assert [(b.label, b.seconds, b.stops, b.unexplained) for b in bars] == [
        ("Mechanical breakdown", 900.0, 2, False),
        ("Line stop: reason missing", 900.0, 1, True),
        ("Minor stops", 60.0, 1, False),
    ]


def test_broker_state_is_kept_with_its_change_time(model: BoardModel) -> None:
    model.broker_state(False, "connecting", f.at(0), "127.0.0.1:1883")
    model.broker_state(False, "cannot connect", f.at(5))
    broker = model.view(f.at(6)).broker
    assert (broker.connected, broker.detail, broker.since, broker.endpoint) == (
        False,
        "cannot connect",
        f.at(0),
        "127.0.0.1:1883",
    )
    model.broker_state(True, "", f.at(7))
    assert model.view(f.at(8)).broker.since == f.at(7)


def test_ingest_from_threads_while_viewing(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=0), f.at(0))
    model.ingest(
        f.topic("state", "line-b", "b2"), f.state(seq=0, line="line-b", station="b2"), f.at(0)
    )

    def feed(line: str, station: str) -> None:
        for seq in range(1, 401):
            payload = f.event(seq, ev.Counted(at=f.at(seq)), line, station)
            model.ingest(f.topic("events", line, station), payload, f.at(seq))

    threads = [threading.Thread(target=feed, args=a) for a in (("line-a", "a3"), ("line-b", "b2"))]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        model.view(f.at(0) + timedelta(seconds=1))
    for thread in threads:
        thread.join()
    view = model.view(f.at(500))
    assert view.diagnostics.events == 800
    assert view.diagnostics.duplicates == 0
    assert view.diagnostics.open_gaps == {}


def test_a_state_malformed_inside_is_counted_once_and_the_good_one_stays(
    model: BoardModel,
) -> None:
    model.ingest(f.topic("state"), f.state(seq=3), f.at(0))
    assert model.view(f.at(0)).diagnostics.malformed_total == 0
    bad = f.state(seq=5, kpi={"availability": "high"})
    model.ingest(f.topic("state"), bad, f.at(1))
    model.ingest(f.topic("state"), bad, f.at(2))  # the retained one again: the same bytes
    for _ in range(2):  # counted once, however often the board redraws
        view = model.view(f.at(3))
        (problem,) = view.diagnostics.malformed
        assert problem.count == 1 and "kpi.availability" in problem.last_error
        line = view.line("line-a")
        assert line is not None and line.snapshot is not None and line.snapshot.seq == 3


def test_a_state_malformed_inside_is_counted_even_when_replaced_before_any_view(
    model: BoardModel,
) -> None:
    model.ingest(f.topic("state"), f.state(seq=3), f.at(0))
    model.ingest(f.topic("state"), f.state(seq=5, kpi={"availability": "high"}), f.at(1))
    model.ingest(f.topic("state"), f.state(seq=7), f.at(2))  # before the board redrew
    view = model.view(f.at(3))
    (problem,) = view.diagnostics.malformed
    assert problem.count == 1 and "kpi.availability" in problem.last_error
    line = view.line("line-a")
    assert line is not None and line.snapshot is not None and line.snapshot.seq == 7


def test_the_same_retained_state_again_is_news_of_the_station_not_a_new_state(
    model: BoardModel,
) -> None:
    payload = f.state(seq=3)
    model.ingest(f.topic("state"), payload, f.at(0))
    model.ingest(f.topic("status"), f.status(True), f.at(0))
    model.ingest(f.topic("state"), payload, f.at(100))  # a reconnect sends it again
    model.ingest(f.topic("status"), f.status(True), f.at(100))
    station = model.view(f.at(110)).station(f.path())
    assert station is not None and station.link is Link.OK  # heard 10 s ago, not 110 s
    assert station.snapshot is not None and station.snapshot.seq == 3


def test_a_topic_seen_again_is_routed_as_the_first_time(model: BoardModel) -> None:
    for _ in range(2):
        model.ingest("andon/demo-plant/assembly/line-z/z1/state", f.state(), f.at(0))
        model.ingest("andon/demo-plant/assembly/line-a/_a3/state", f.state(), f.at(0))
        model.ingest(f.topic("cmd/acknowledge"), b"{}", f.at(0))
    diagnostics = model.view(f.at(0)).diagnostics
    assert diagnostics.ignored == 4
    (problem,) = diagnostics.malformed
    assert problem.count == 2 and "reserved" in problem.last_error


def test_a_newer_state_numbered_lower_starts_the_stream_again(model: BoardModel) -> None:
    # The board saw the retained state of the station's old journal, then the station
    # started afresh before the board subscribed: its event 1 never reached the board.
    model.ingest(f.topic("state"), f.state(seq=60, now=f.at(0)), f.at(0))
    model.ingest(f.topic("state"), f.state(seq=1, now=f.at(100)), f.at(100))
    model.ingest(f.topic("events"), f.raised(2, call_id="line-a.a3.C7", when=101), f.at(101))
    line = model.view(f.at(102)).line("line-a")
    assert line is not None and [c.call_id for c in line.open_calls] == ["line-a.a3.C7"]
    assert model.view(f.at(102)).diagnostics.duplicates == 0


def test_the_shifts_closed_calls_come_from_the_events_and_a_replay_after_a_start(
    model: BoardModel,
) -> None:
    """The state lists only open calls: a board that starts late asks for the shift's events."""
    shift_began = 2  # events 3.. are this shift's
    state = f.state(seq=6, history_seq=shift_began, open_calls=[f.call("line-a.a3.C2")])
    assert model.ingest(f.topic("state"), state, f.at(200)) == [ReplayRequest(f.path(), 3)]
    assert model.view(f.at(200)).line("line-a").closed_calls == ()  # type: ignore[union-attr]
    resolved = ev.CallResolved(
        at=f.at(120), call_id="line-a.a3.C1", by="Anna", source="board", reason="JAM"
    )
    replayed = (f.raised(3, when=60), f.event(4, resolved), f.raised(5, "line-a.a3.C2"))
    for message in (*replayed, f.counted(6)):
        assert model.ingest(f.topic("events"), message, f.at(201)) == []  # the replay
    (closed,) = model.view(f.at(202)).line("line-a").closed_calls  # type: ignore[union-attr]
    assert (closed.call_id, closed.status, closed.elapsed_s) == ("line-a.a3.C1", "resolved", 60.0)
    assert model.tick(f.at(300)) == []  # nothing missing any more: not asked again
    cancelled = ev.CallCancelled(at=f.at(400), call_id="line-a.a3.C2", by="Li", source="board")
    model.ingest(f.topic("events"), f.event(7, cancelled), f.at(400))  # live
    line = model.view(f.at(401)).line("line-a")
    assert line is not None and line.open_calls == ()
    assert [c.call_id for c in line.closed_calls] == ["line-a.a3.C2", "line-a.a3.C1"]  # as raised


def test_a_history_replay_that_goes_unanswered_is_asked_again(model: BoardModel) -> None:
    model.ingest(f.topic("state"), f.state(seq=9, history_seq=0), f.at(0))
    assert model.tick(f.at(1)) == []  # asked at the state; not again at once
    assert model.tick(f.at(5)) == [ReplayRequest(f.path(), 1)]
    for seq in range(1, 5):  # a replay cut short (the station's limit)
        model.ingest(f.topic("events"), f.counted(seq), f.at(6))
    assert model.tick(f.at(10)) == []  # it moved on: the rest may still come
    assert model.tick(f.at(14)) == [ReplayRequest(f.path(), 5)]


def test_an_unanswered_history_replay_is_asked_with_a_back_off_not_every_retry(
    model: BoardModel,
) -> None:
    """As every consumer's replays (:class:`andon.bus.replay_pacing.ReplayPacer`): a station
    that does not answer is asked after 2 s, then 4, 8 … up to a minute apart."""
    model.ingest(f.topic("state"), f.state(seq=9, history_seq=0), f.at(0))
    asked = [t for t in range(1, 121) if model.tick(f.at(t))]
    assert asked[:4] == [2, 6, 14, 30]
    assert all(b - a <= 60 for a, b in itertools.pairwise(asked))
    assert len(asked) < 120 / 2 / 4


def test_history_replays_of_many_stations_are_awaited_a_bounded_number_at_once(
    model: BoardModel,
) -> None:
    from andon.bus.replay_pacing import MAX_IN_FLIGHT

    first = []
    for n in range(MAX_IN_FLIGHT + 10):  # the board starts: every station wants its shift
        state = f.state(seq=9, station=f"s{n}", history_seq=0)
        first += model.ingest(f.topic("state", station=f"s{n}"), state, f.at(0))
    assert len(first) == MAX_IN_FLIGHT
    assert model.tick(f.at(1)) == []
    asked = {r.station for r in first}
    for t in range(2, 7):  # unanswered: the first 50 again at 2 s, the other 10 at 6 s
        replays = model.tick(f.at(t))
        assert len(replays) <= MAX_IN_FLIGHT
        asked |= {r.station for r in replays}
    assert asked == {f.path(station=f"s{n}") for n in range(MAX_IN_FLIGHT + 10)}


def test_a_state_past_events_never_seen_asks_for_them_after_a_while(model: BoardModel) -> None:
    """After a reconnect the newer state covers the figures, not the calls closed meanwhile."""
    assert model.ingest(f.topic("state"), f.state(seq=5, history_seq=2), f.at(0)) == [
        ReplayRequest(f.path(), 3)  # the board starts: the shift's events 3..5 at once
    ]
    for seq in (3, 4, 5):
        model.ingest(f.topic("events"), f.counted(seq), f.at(1))
    assert model.ingest(f.topic("state"), f.state(seq=9, history_seq=2), f.at(10)) == []
    assert model.tick(f.at(11)) == []  # its events may still be on their way
    assert model.tick(f.at(13)) == [ReplayRequest(f.path(), 6)]


def test_a_call_closed_while_the_board_was_away_comes_back_closed_from_the_replay(
    model: BoardModel,
) -> None:
    open_call = f.call("line-a.a3.C1", raised_at=ev.format_instant(f.at(0)))
    model.ingest(f.topic("state"), f.state(seq=5, open_calls=[open_call]), f.at(1))
    # Away: events 6 and 7 missed; the newer state no longer lists the call.
    model.ingest(f.topic("state"), f.state(seq=7, history_seq=5), f.at(60))
    resolved = ev.CallResolved(
        at=f.at(50), call_id="line-a.a3.C1", by="Anna", source="board", reason="JAM"
    )
    assert model.tick(f.at(63)) == [ReplayRequest(f.path(), 6)]
    model.ingest(f.topic("events"), f.event(6, resolved), f.at(64))
    model.ingest(f.topic("events"), f.counted(7), f.at(64))
    line = model.view(f.at(65)).line("line-a")
    assert line is not None and line.open_calls == ()
    (closed,) = line.closed_calls
    assert (closed.call_id, closed.status, closed.call.reason) == (
        "line-a.a3.C1",
        "resolved",
        "JAM",
    )


def test_the_lines_pareto_keeps_every_stop_of_the_shift_the_state_no_longer_lists(
    model: BoardModel,
) -> None:
    """The state lists a few stops; the board knows the shift's others from the events."""
    model.ingest(f.topic("state"), f.state(seq=2), f.at(0))
    events: list[ev.Event] = [
        ev.StopStarted(at=f.at(-1800), stop_id="line-a.a3.S1", source="fault", since=f.at(-1800)),
        ev.StopEnded(at=f.at(-900), stop_id="line-a.a3.S1"),
        ev.StopReasonRecorded(at=f.at(-800), stop_id="line-a.a3.S1", reason="BRK-MECH", by="Anna"),
    ]
    for n in range(2, 10):  # later minor stops push S1 out of the state's list
        start = f.at(-700 + 60 * n)
        events.append(
            ev.StopStarted(at=start, stop_id=f"line-a.a3.S{n}", source="fault", since=start)
        )
        events.append(ev.StopEnded(at=start + timedelta(seconds=20), stop_id=f"line-a.a3.S{n}"))
    for seq, event in enumerate(events, start=3):
        model.ingest(f.topic("events"), f.event(seq, event), f.at(0))
    last = 2 + len(events)
    model.ingest(f.topic("state"), f.state(seq=last, history_seq=2), f.at(1))  # lists none
    line = model.view(f.at(2)).line("line-a")
    assert line is not None and len(line.stops) == 9
    bars = {b.label: b for b in line.pareto}
    assert bars["BRK-MECH"].seconds == 900.0 and bars["BRK-MECH"].stops == 1
    assert bars["Minor stops"].stops == 8
