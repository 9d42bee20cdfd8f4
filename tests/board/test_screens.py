"""Pilot tests of every screen, fed through the model (no broker)."""

from __future__ import annotations

import json
from typing import Any

from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.model import BoardModel
from andon.board.screens.call_picker import CallPicker
from andon.board.screens.calls import CallsScreen
from andon.board.screens.line import LineScreen
from andon.board.screens.reason_picker import ReasonPicker
from andon.board.screens.station import StationScreen
from andon.board.widgets.line_card import LineCard
from andon.domain import events as ev
from andon.domain.events import format_instant
from tests.board import factory as f
from tests.board.conftest import AppFactory
from tests.board.pilot import RecordingSender, SetClock, redraw, run, screen_text
from tests.board.scenario import catalogue, fed_model, morning_messages

A1 = "demo-plant/assembly/line-a/a1"
A3 = "demo-plant/assembly/line-a/a3"


def station_seq(app: BoardApp, path: str) -> int:
    view = app.model.view(app.clock())
    station = view.station(path)
    assert station is not None and station.snapshot is not None
    return station.snapshot.seq


def deliver(app: BoardApp, path: str, channel: str, payload: bytes) -> None:
    app.model.ingest(f"andon/{path}/{channel}", payload, app.clock())


def reply(
    app: BoardApp, path: str, command_id: str, accepted: bool, seq: int, reason: str = ""
) -> None:
    from andon.bus.commands import reply_message
    from andon.bus.messages import encode

    deliver(app, path, "reply", encode(reply_message(path, "x", command_id, accepted, reason, seq)))


def event(app: BoardApp, path: str, seq: int, item: ev.Event) -> None:
    from andon.bus.messages import EventMessage, encode

    deliver(app, path, "events", encode(EventMessage(path, seq, f"id-{seq}", item).to_dict()))


def test_overview_shows_every_line_with_pace_words_calls_and_links(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        text = screen_text(pilot.app)  # type: ignore[arg-type]
        for expected in (
            "Assembly line A",
            "PCB line B",
            "Harness line C",
            "▼ TOO SLOW",
            "▲ TOO FAST",
            "● ON PLAN",
            "LINE STOPPED",
            "b1 ✕ OFFLINE 5 min",
            "EQUIPMENT",
            "20:00",
            "L3",
            "need a cause",
        ):
            assert expected in text, expected
        cards = list(pilot.app.screen.query(LineCard))
        assert [c.line_id for c in cards] == ["line-a", "line-b", "line-c"]
        assert cards[0].has_class("pace-too-slow") and cards[0].has_class("-stopped")
        assert cards[1].has_class("pace-too-fast")
        assert cards[2].has_class("pace-normal")

    run(make_app(), check)


def test_call_timers_run_on_the_board_clock(make_app: AppFactory, clock: SetClock) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert " 4:00  L1  RAISED" in screen_text(pilot.app)  # type: ignore[arg-type]
        clock.advance(7)
        await redraw(pilot)
        assert " 4:07  L1  RAISED" in screen_text(pilot.app)  # type: ignore[arg-type]

    run(make_app(), check, size=(100, 30))


def test_enter_and_number_keys_open_the_line_screen(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        await pilot.press("tab")
        await pilot.press("enter")
        assert isinstance(app.screen, LineScreen)
        assert app.line_id == "line-b"
        await pilot.press("3")
        assert app.line_id == "line-c"
        await pilot.press("right_square_bracket")
        assert app.line_id == "line-a"
        text = screen_text(app)
        assert "Assembly line A" in text and "Hourly performance" in text

    run(make_app(), check)


def test_line_screen_highlights_unexplained_hours_and_records_a_cause(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        text = screen_text(app)
        assert text.count("CAUSE NEEDED") == 2
        assert "06:00–07:00" in text and "−61%" in text
        await pilot.press("e")  # the cursor is on the first hour, 06:00–07:00
        assert isinstance(app.screen, ReasonPicker)
        await pilot.press("down", "down", "down", "down")  # the fifth reason: OPR-ABSENT
        await pilot.press("tab")
        await pilot.press(*"late start", "enter")
        (command,) = sender.sent
        assert command.station == A3
        assert command.name == "hour_cause"
        assert command.args == {
            "hour_start": "2026-11-25T05:00:00.000Z",
            "reason": "MAT-WRONG",
            "note": "late start",
        }
        assert command.by == "Mehmet Yilmaz"
        await redraw(pilot)
        text = screen_text(app)
        assert "cause sent, waiting" in text and text.count("CAUSE NEEDED") == 1
        seq = station_seq(app, A3) + 1
        reply(app, A3, command.command_id, True, seq)
        event(
            app,
            A3,
            seq,
            ev.HourCauseRecorded(
                at=app.clock(), hour_start=f.at(-4 * 3600), reason="MAT-WRONG", by="Mehmet Yilmaz"
            ),
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "Wrong material delivered (Mehmet Yilmaz)" in text
        assert "cause sent, waiting" not in text and text.count("CAUSE NEEDED") == 1

    run(make_app(start_mode="line"), check, size=(100, 40))


def test_calls_screen_acknowledges_and_shows_pending_until_confirmed(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        assert isinstance(app.screen, CallsScreen)
        text = screen_text(app)
        assert "Open calls: 3" in text
        # Escalated first: the equipment call (L3), then the oldest.
        await pilot.press("a")  # equipment call is already taken: nothing is sent
        assert sender.sent == []
        await pilot.press("down", "a")  # the material call
        (command,) = sender.sent
        assert (command.station, command.name, command.args) == (
            A1,
            "acknowledge",
            {"call_id": "line-a.a1.C2"},
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "acknowledge pending" in text
        row = next(line for line in text.splitlines() if "Material" in line)
        assert "raised" in row
        seq = station_seq(app, A1) + 1
        reply(app, A1, command.command_id, True, seq)
        await redraw(pilot)
        assert "acknowledge pending" in screen_text(app)  # accepted, the event is not there yet
        event(
            app,
            A1,
            seq,
            ev.CallAcknowledged(
                at=app.clock(), call_id="line-a.a1.C2", by="Mehmet Yilmaz", source="board"
            ),
        )
        await redraw(pilot)
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "Material" in line)
        assert "taken" in row and "pending" not in text

    run(make_app(start_mode="calls"), check, size=(120, 24))


def test_calls_screen_resolves_with_a_reason_and_shows_a_refusal(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        await pilot.press("r")  # the equipment call, open 20 min: a reason is required
        picker = app.screen
        assert isinstance(picker, ReasonPicker)
        assert not picker.allow_none
        assert "Resolve Equipment at Assembly line A a1 (20:00)" in screen_text(app)
        await pilot.press("enter")  # the first reason for equipment calls: BRK-MECH
        (command,) = sender.sent
        assert command.name == "resolve"
        assert command.args == {"call_id": "line-a.a1.C1", "reason": "BRK-MECH"}
        reply(
            app,
            A1,
            command.command_id,
            False,
            station_seq(app, A1),
            "call line-a.a1.C1 is already resolved",
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "✕ a1 refused resolve line-a.a1.C1: call line-a.a1.C1 is already resolved" in text

    run(make_app(start_mode="calls"), check, size=(120, 24))


def test_escape_closes_the_reason_picker_without_sending(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("r", "escape")
        assert isinstance(pilot.app.screen, CallsScreen)
        assert sender.sent == []

    run(make_app(start_mode="calls"), check)


def test_cancelling_a_call_needs_the_key_twice(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("down", "down", "x")
        assert sender.sent == []
        await pilot.press("x")
        (command,) = sender.sent
        assert (command.station, command.name, command.args) == (
            A3,
            "cancel",
            {"call_id": "line-a.a3.C1"},
        )

    run(make_app(start_mode="calls"), check, size=(120, 24))


def test_maintenance_board_opens_on_its_calls_and_can_show_all(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app.screen, CallsScreen)
        text = screen_text(app)  # type: ignore[arg-type]
        assert "calls for Maintenance, Maintenance first): 1" in text
        assert "Equipment" in text and "Help" not in text
        await pilot.press("f")
        text = screen_text(app)  # type: ignore[arg-type]
        assert "all calls, Maintenance first): 3" in text
        rows = [line for line in text.splitlines() if "Assembly line A" in line]
        assert "Equipment" in rows[0]

    run(make_app("maintenance.toml"), check, size=(120, 24))


def test_store_screen_lists_material_calls_oldest_first_express_in_red(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        seq = station_seq(app, A3) + 1
        event(
            app,
            A3,
            seq,
            ev.CallRaised(
                at=app.clock(),
                call_id="line-a.a3.C2",
                call_type="material",
                source="board",
                part="P-1002",
                express=True,
            ),
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "Material calls, oldest first: 2  ·  1 EXPRESS" in text
        rows = [line for line in text.splitlines() if "P-100" in line]
        assert "P-1001" in rows[0] and "10:00" in rows[0]
        assert "P-1002" in rows[1] and "EXPRESS" in rows[1] and "0:00" in rows[1]
        await pilot.press("a")
        (command,) = sender.sent
        assert command.args == {"call_id": "line-a.a1.C2"}

    run(make_app("store.toml"), check, size=(100, 24))


def test_station_screen_shows_pace_count_call_and_next_step(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        text = screen_text(pilot.app)  # type: ignore[arg-type]
        assert "Assembly line A · station a3" in text
        assert "▼  TOO SLOW  ▼" in text
        assert "of 93.8 planned" in text and "−18.8" in text
        assert "! HELP 4:00  RAISED" in text
        assert "Help call raised: Team leader is coming" in text

    run(make_app("station-screen.toml"), check)


def test_station_screen_steps_through_stations(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert "station a1" in screen_text(pilot.app)  # type: ignore[arg-type]
        await pilot.press("right_square_bracket")
        assert "station a3" in screen_text(pilot.app)  # type: ignore[arg-type]
        await pilot.press("left_square_bracket", "left_square_bracket")
        text = screen_text(pilot.app)  # type: ignore[arg-type]
        assert "Harness line C · station c2" in text and "ON PLAN" in text

    run(make_app(start_mode="station"), check)


def test_diagnostics_count_malformed_payloads_and_the_bar_says_so(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        for payload in (b"garbage", b'{"v":1}', b"\xff"):
            deliver(app, A3, "state", payload)
        await redraw(pilot)
        assert "⚠ 3 bad messages (d)" in screen_text(app)
        await pilot.press("d")
        text = screen_text(app)
        assert "andon/demo-plant/assembly/line-a/a3/state" in text
        assert "malformed 3" in text
        # The board still shows the last good state.
        await pilot.press("o")
        assert "▼ TOO SLOW" in screen_text(app)

    run(make_app(), check, size=(120, 30))


def test_losing_the_broker_shows_a_banner(make_app: AppFactory, clock: SetClock) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        app.model.broker_state(True, "", clock(), "127.0.0.1:1883")
        await redraw(pilot)
        assert "✓ broker 127.0.0.1:1883" in screen_text(app)
        app.model.broker_state(False, "broker lost: unspecified error", clock())
        clock.advance(12)
        await redraw(pilot)
        text = screen_text(app)
        assert "⚠ BROKER LOST: reconnecting to 127.0.0.1:1883 since 10:30:00 (12 s)" in text

    run(make_app(), check, size=(120, 24))


def test_quit_key_quits_but_not_in_kiosk_mode(make_app: AppFactory) -> None:
    app = make_app()

    async def quits(pilot: Pilot[None]) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    run(app, quits)
    kiosk = make_app("kiosk.toml")

    async def stays(pilot: Pilot[None]) -> None:
        await pilot.press("q", "ctrl+q", "ctrl+c")
        await pilot.pause()
        assert kiosk.is_running
        assert "Quit" not in screen_text(kiosk)

    run(kiosk, stays)


def test_kiosk_rotation_shows_one_line_at_a_time(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp) and app.rotating
        shown = [c.line_id for c in app.screen.query(LineCard) if c.display]
        assert shown == ["line-a"]
        app.action_rotate()
        await redraw(pilot)
        assert [c.line_id for c in app.screen.query(LineCard) if c.display] == ["line-b"]
        text = screen_text(app)
        assert "PCB line B" in text and "Assembly line A" not in text

    run(make_app("kiosk.toml"), check)


def test_sending_without_a_broker_is_a_notice(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        app.sender = None
        await pilot.press("down", "a")
        await redraw(pilot)
        assert "not sent: no broker connection" in screen_text(app)

    run(make_app(start_mode="calls"), check, size=(120, 24))


def test_format_instant_keys_hours() -> None:
    assert format_instant(f.at(-4 * 3600)) == "2026-11-25T05:00:00.000Z"


# --- stop reasons, the board file's operator, lead times, raising calls -----------------


def test_line_screen_gives_the_oldest_stop_its_reason_pending_until_confirmed(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        text = screen_text(app)
        assert "Stops waiting for a reason" in text
        assert text.count("NEEDED (r)") == 2
        assert "⚠ Machine fault: reason missing" in text
        fault_row = next(line for line in text.splitlines() if "NEEDED (r)" in line)
        assert "10:10" in fault_row and "a1" in fault_row and "fault" in fault_row
        await pilot.press("r")  # the cursor of the stops is on the oldest: a1's fault
        picker = app.screen
        assert isinstance(picker, ReasonPicker) and not picker.allow_none
        assert "Reason of the stop at a1 since 10:10 (20:00): machine fault" in screen_text(app)
        assert [r.category for r in picker.reasons] == ["availability"] * len(picker.reasons)
        await pilot.press("down")  # the second reason: BRK-ELEC
        await pilot.press("tab", *"sensor", "enter")
        (command,) = sender.sent
        assert (command.station, command.name, command.by) == (A1, "stop_reason", "Mehmet Yilmaz")
        assert command.args == {"stop_id": "line-a.a1.S1", "reason": "BRK-ELEC", "note": "sensor"}
        await redraw(pilot)
        text = screen_text(app)
        assert "sent, waiting…" in text
        assert text.count("NEEDED (r)") == 1
        await pilot.press("r")  # the pending stop is not offered again while it waits
        assert not isinstance(app.screen, ReasonPicker)
        assert len(sender.sent) == 1
        seq = station_seq(app, A1) + 1
        reply(app, A1, command.command_id, True, seq)
        await redraw(pilot)
        assert "sent, waiting…" in screen_text(app)  # accepted, no event yet
        event(
            app,
            A1,
            seq,
            ev.StopReasonRecorded(
                at=app.clock(),
                stop_id="line-a.a1.S1",
                reason="BRK-ELEC",
                by="Mehmet Yilmaz",
                note="sensor",
            ),
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "sent, waiting…" not in text and text.count("NEEDED (r)") == 1
        assert "Electrical or control" in text and "reason missing" not in text

    run(make_app(start_mode="line"), check, size=(100, 40))


def test_the_stop_under_the_cursor_gets_the_reason(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        await pilot.press("tab", "down", "r")  # to the stops table, its second row
        assert "Reason of the stop at a1 since 10:12 (18:00): line stop" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, LineScreen) and sender.sent == []
        await pilot.press("r", "enter")
        (command,) = sender.sent
        assert command.args == {"stop_id": "line-a.a1.S2", "reason": "BRK-MECH", "note": ""}

    run(make_app(start_mode="line"), check, size=(100, 40))


def test_a_line_without_stops_waiting_offers_none(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        assert "Stops waiting for a reason" not in screen_text(app)
        await pilot.press("r")
        assert isinstance(app.screen, LineScreen) and sender.sent == []

    app = make_app(start_mode="line")
    app.line_id = "line-c"
    run(app, check, size=(100, 40))


def test_commands_carry_the_board_files_operator_unless_one_is_given(
    sender: RecordingSender, clock: SetClock
) -> None:
    cat = catalogue("store.toml")
    assert cat.operator == "Tom Berger"
    for given, expected in ((None, "Tom Berger"), ("Mehmet Yilmaz", "Mehmet Yilmaz")):
        sender.sent.clear()
        app = BoardApp(cat, model=fed_model(cat), sender=sender, clock=clock, operator=given)

        async def acknowledge(pilot: Pilot[None]) -> None:
            await pilot.press("a")

        run(app, acknowledge)
        (command,) = sender.sent
        assert (command.name, command.by) == ("acknowledge", expected)
    other = catalogue("board.toml")
    assert BoardApp(other, model=fed_model(other)).operator == "board supervisor"


def last_state(path: str) -> dict[str, Any]:
    """The last state the station published in the morning, as JSON."""
    topic = f"andon/{path}/state"
    payload = next(m.payload for m in reversed(morning_messages()) if m.topic == topic)
    data: dict[str, Any] = json.loads(payload)
    return data


def test_store_screen_shows_the_lead_times_of_served_calls(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        text = screen_text(app)
        assert "Lead times of the calls served this shift" in text
        assert "No material call served yet this shift." in text
        a1 = last_state(A1)
        a1["material_lead_times"] = {
            "P-1002": {"count": 1, "mean_s": 95.0, "max_s": 95.0},
            "P-1001": {"count": 3, "mean_s": 312.4, "max_s": 540.0},
        }
        deliver(app, A1, "state", json.dumps(a1).encode())
        await redraw(pilot)
        text = screen_text(app)
        assert "No material call served" not in text
        rows = [line for line in text.splitlines() if "P-100" in line]
        assert len(rows) == 3  # the queue's call, then the two parts served
        assert "RAISED" in rows[0]
        assert rows[1].split() == [
            "P-1001",
            "M6",
            "hex",
            "bolt",
            "Assembly",
            "line",
            "A",
            "a1",
            "3",
            "5:12",
            "9:00",
        ]
        assert rows[2].split()[0] == "P-1002" and rows[2].split()[-3:] == ["1", "1:35", "1:35"]
        await pilot.press("a")  # still acknowledges the queue's call, not a lead-time row

    run(make_app("store.toml"), check, size=(100, 24))


def test_store_screen_hides_lead_times_of_stations_that_do_not_publish_them(
    sender: RecordingSender, clock: SetClock
) -> None:
    cat = catalogue("store.toml")
    model = BoardModel(cat)
    material = f.call("line-a.a3.C1", "material", part="P-1001")
    model.ingest(f.topic("state"), f.state(seq=3, open_calls=[material]), clock())
    app = BoardApp(cat, model=model, sender=sender, clock=clock)

    async def check(pilot: Pilot[None]) -> None:
        text = screen_text(app)
        assert "Material calls, oldest first: 1" in text and "P-1001" in text
        assert "Lead times" not in text and "served" not in text

    run(app, check, size=(100, 24))


def test_station_screen_raises_a_call_after_a_second_enter(
    make_app: AppFactory, sender: RecordingSender
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        await pilot.press("n")
        picker = app.screen
        assert isinstance(picker, CallPicker)
        assert [t.name for t in picker.call_types] == ["help", "quality", "equipment"]
        text = screen_text(app)
        assert "Raise a call at Assembly line A · station a3" in text
        assert "Help  (already open)" in text
        await pilot.press("enter")  # the first type that can be raised: quality
        assert sender.sent == [] and "Enter again to raise QUALITY" in screen_text(app)
        await pilot.press("down", "enter")  # moving disarms; equipment is armed now
        assert sender.sent == [] and "Enter again to raise EQUIPMENT" in screen_text(app)
        await pilot.press("up")
        assert "Enter again" not in screen_text(app)
        await pilot.press("enter", "enter")
        (command,) = sender.sent
        assert (command.station, command.name, command.args) == (
            A3,
            "raise",
            {"call_type": "quality"},
        )
        assert command.by == "Mehmet Yilmaz"
        await redraw(pilot)
        assert isinstance(app.screen, StationScreen)
        assert "⧗ raise QUALITY pending…" in screen_text(app)
        seq = station_seq(app, A3) + 1
        reply(app, A3, command.command_id, True, seq)
        event(
            app,
            A3,
            seq,
            ev.CallRaised(
                at=app.clock(),
                call_id="line-a.a3.C2",
                call_type="quality",
                source="board",
                by="Mehmet Yilmaz",
            ),
        )
        await redraw(pilot)
        text = screen_text(app)
        assert "pending" not in text
        assert "QUALITY 0:00  RAISED" in text

    run(make_app("station-screen.toml"), check, size=(100, 30))


def test_escape_raises_nothing(make_app: AppFactory, sender: RecordingSender) -> None:
    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("n", "enter", "escape")
        assert isinstance(pilot.app.screen, StationScreen)
        assert sender.sent == []

    run(make_app("station-screen.toml"), check)
