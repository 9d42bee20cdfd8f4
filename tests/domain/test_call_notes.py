"""Notes on an open call: who wrote what and when, without touching status or timers."""

from __future__ import annotations

from andon.domain import commands as cmd
from andon.domain import event_decoding
from andon.domain import events as ev
from andon.domain.calls import MAX_NOTES, NOTE_LENGTH, CallNote, CallStatus
from andon.domain.snapshot import snapshot
from andon.domain.state_codec import decode_state, encode_state

from .harness import Line, rules, t


def line_with_call() -> tuple[Line, str]:
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 20))
    call_id = line.do(cmd.press, "help").events[0].call_id
    return line, call_id


def test_a_note_is_journaled_with_who_and_when_and_kept_on_the_call():
    line, call_id = line_with_call()
    line.wait(30)
    outcome = line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="  spindle noise ")
    assert outcome.accepted
    assert outcome.events == (
        ev.CallNoted(
            at=t(8, 20, 30), call_id=call_id, by="Li Wei", source="board", text="spindle noise"
        ),
    )
    call = line.state.calls[call_id]
    assert call.notes == (CallNote(at=t(8, 20, 30), by="Li Wei", text="spindle noise"),)
    assert call.status is CallStatus.RAISED
    assert call.acknowledged_at is None


def test_notes_stay_in_order_through_acknowledge_and_resolve():
    line, call_id = line_with_call()
    line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="first")
    line.do(cmd.acknowledge, call_id, by="Anna Berg", source="board")
    line.wait(10)
    line.do(cmd.add_note, call_id, by="Anna Berg", source="board", text="waiting for a belt")
    shown = snapshot(line.state, line.now)["open_calls"][0]
    assert shown["status"] == "acknowledged"
    assert shown["notes"] == [
        {"at": "2026-11-25T07:20:00.000Z", "by": "Li Wei", "text": "first"},
        {"at": "2026-11-25T07:20:10.000Z", "by": "Anna Berg", "text": "waiting for a belt"},
    ]
    line.do(cmd.resolve, call_id, by="Anna Berg", source="board", note="belt changed")
    call = line.state.calls[call_id]
    assert [(n.by, n.text) for n in call.notes] == [
        ("Li Wei", "first"),
        ("Anna Berg", "waiting for a belt"),
    ]
    assert call.note == "belt changed"
    assert call.status is CallStatus.RESOLVED


def test_a_note_is_refused_on_a_closed_or_unknown_call_without_a_writer_or_text():
    line, call_id = line_with_call()
    refused = [
        line.do(cmd.add_note, "line-x.s.C9", by="Li Wei", source="board", text="x"),
        line.do(cmd.add_note, call_id, by="", source="board", text="x"),
        line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="   "),
        line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="x" * (NOTE_LENGTH + 1)),
    ]
    assert [o.accepted for o in refused] == [False] * 4
    assert "no call" in refused[0].rejection
    assert "say who writes the note" in refused[1].rejection
    assert refused[2].rejection == "a note needs some text"
    assert refused[3].rejection == f"a note is at most {NOTE_LENGTH} characters"
    line.do(cmd.cancel, call_id, by="Li Wei", source="board")
    closed = line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="late")
    assert closed.rejection == f"call {call_id} is already cancelled"
    assert line.state.calls[call_id].notes == ()


def test_a_call_takes_a_bounded_number_of_notes():
    line, call_id = line_with_call()
    for n in range(MAX_NOTES):
        assert line.do(cmd.add_note, call_id, by="Li Wei", source="board", text=f"n{n}").accepted
    last = line.do(cmd.add_note, call_id, by="Li Wei", source="board", text="one more")
    assert not last.accepted
    assert last.rejection == (
        f"call {call_id} has {MAX_NOTES} notes already: resolve it with a note"
    )
    assert len(line.state.calls[call_id].notes) == MAX_NOTES


def test_notes_survive_the_event_json_form_and_a_checkpoint():
    line, call_id = line_with_call()
    line.do(cmd.add_note, call_id, by="李伟", source="board", text="等备件 14:00")
    noted = line.of(ev.CallNoted)[0]
    assert event_decoding.from_dict(noted.KIND, noted.to_dict()) == noted
    again = decode_state(encode_state(line.state), line.state.rules)
    assert again.calls[call_id].notes == line.state.calls[call_id].notes
