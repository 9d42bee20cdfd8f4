"""The station state to and from JSON, and the fingerprint of the rules."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from andon.domain import commands as cmd
from andon.domain.calendar import Calendar, Shift
from andon.domain.calls import Call, CallNote, CallStatus
from andon.domain.downtime import Stop
from andon.domain.hourly import HourCause
from andon.domain.pace import Pace
from andon.domain.state_codec import (
    FORMAT,
    StateFormatError,
    _dataclass_codec,
    decode_state,
    encode_state,
    rules_fingerprint,
)
from andon.domain.station_state import StationState
from tests.domain.harness import Line, order_rules, rules, t

ROOT = Path(__file__).resolve().parents[2]
RULES = order_rules()
AT = datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=UTC)


def _call(n: int) -> Call:
    return Call(
        call_id=f"line-a.a3.C{n}",
        call_type="help",
        raised_at=AT,
        source="button",
        raised_by="1042",
        part="P-1001",
        express=True,
        status=CallStatus.RESOLVED,
        acknowledged_at=AT + timedelta(seconds=5),
        acknowledged_by="Li Wei",
        closed_at=AT + timedelta(seconds=65),
        closed_by="Anna Berg",
        reason="R",
        note="tool found",
        level=2,
        stopped_line=True,
        notes=(CallNote(at=AT + timedelta(seconds=20), by="Li Wei", text="belt worn"),),
    )


def sample() -> StationState:
    """A state with every field, and every field of what it holds, away from its default."""
    hour = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    stop = Stop(
        stop_id="line-a.a3.S1",
        source="changeover",
        started_at=AT,
        ended_at=AT + timedelta(minutes=7),
        reason="CHG",
        by="Anna Berg",
        note="to K-7",
        started_by="2001",
    )
    open_call = dataclasses.replace(_call(2), status=CallStatus.RAISED, closed_at=None)
    state = StationState(
        rules=RULES,
        last_at=AT + timedelta(hours=1),
        shift_start=datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
        good=41,
        scrap=2,
        off_shift_good=3,
        counts_by_row={hour: 20, hour + timedelta(hours=1): 21},
        hour_causes={hour: HourCause(reason="MAT", note="late truck", by="1042", at=AT)},
        calls={c.call_id: c for c in (_call(1), open_call)},
        open_call_ids=(open_call.call_id,),
        stops=(stop, Stop("line-a.a3.S2", "no_count", AT)),
        pace=Pace.TOO_SLOW,
        last_count_at=AT + timedelta(minutes=50),
        fault=True,
        line_stop_causes=frozenset({"call:line-a.a3.C2", "full_work"}),
        bins_empty=frozenset({"P-2002"}),
        downstream_quantity=4,
        downstream_full=True,
        serials=("SN-1", "SN-2", "SN-é"),
        order_index=1,
        order_good=12,
        changeover_good=5,
        call_counter=2,
        stop_counter=2,
        rejected_scans=1,
        rejected_counts=4,
        clock_jumps=1,
        last_seq=1234,
        history_seq=1200,
    )
    return state.evolve(tally=state.summed)  # not written: worked out again when read


def _default(field: dataclasses.Field) -> object:  # type: ignore[type-arg]
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def test_the_sample_sets_every_field_so_the_round_trip_covers_each():
    """A field added to the state or what it holds must be added here, and so is tested."""
    state = sample()
    held: list[object] = [
        state,
        next(iter(state.calls.values())),
        state.stops[0],
        next(iter(state.hour_causes.values())),
    ]
    for value in held:
        for field in dataclasses.fields(value):  # type: ignore[arg-type]
            if field.name == "rules":
                continue
            assert getattr(value, field.name) != _default(field), (
                f"{type(value).__name__}.{field.name} keeps its default in the sample"
            )


def test_every_field_round_trips_exactly():
    state = sample()
    text = encode_state(state)
    again = decode_state(text, RULES)
    assert again == state
    assert again.rules is RULES
    for field in dataclasses.fields(StationState):
        assert getattr(again, field.name) == getattr(state, field.name), field.name
        assert type(getattr(again, field.name)) is type(getattr(state, field.name)), field.name
    assert again.last_at is not None and again.last_at.microsecond == 123456
    assert list(again.calls) == list(state.calls)  # the order of the calls is kept
    assert encode_state(again) == text


def test_the_json_names_its_format_and_leaves_the_rules_out():
    body = json.loads(encode_state(sample()))
    assert body["format"] == FORMAT
    assert "rules" not in body["state"]
    assert "tally" not in body["state"]  # the sums of the shift, worked out again when read
    assert decode_state(encode_state(sample()), RULES).tally == sample().tally


def test_instants_of_other_zones_keep_their_instant():
    berlin = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    state = StationState(rules=RULES, last_at=berlin, counts_by_row={berlin: 1})
    again = decode_state(encode_state(state), RULES)
    assert again == state and again.last_at == berlin


# --- states made by commands -------------------------------------------------------------


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("press"), st.sampled_from(["help", "quality", "equipment"])),
        st.tuples(st.just("count"), st.integers(1, 3), st.booleans()),
        st.tuples(st.just("acknowledge"), st.integers(0, 3)),
        st.tuples(st.just("resolve"), st.integers(0, 3)),
        st.tuples(st.just("changeover"), st.integers(0, 1)),
        st.tuples(st.just("fault"), st.booleans()),
        st.tuples(st.just("bin"), st.booleans()),
        st.tuples(st.just("hour_cause"), st.just(0)),
        st.tuples(st.just("wait"), st.floats(0.001, 5400.0)),
    ),
    max_size=40,
)


def _drive(line: Line, step: tuple) -> None:  # type: ignore[type-arg]
    kind, arg, *more = step
    state = line.state
    calls = state.open_calls
    if kind == "press":
        line.do(cmd.press, arg)
    elif kind == "count":
        line.do(cmd.count, good=arg, serial=f"SN-{len(line.events)}" if more[0] else "")
    elif kind == "acknowledge" and calls:
        line.do(cmd.acknowledge, calls[arg % len(calls)].call_id, "1042", "test")
    elif kind == "resolve" and calls:
        line.do(cmd.resolve, calls[arg % len(calls)].call_id, "1042", "test", "R", "done")
    elif kind == "changeover":
        if state.open_stop("changeover") is None:
            line.do(cmd.changeover, "2001", "K-7")
        else:
            line.do(cmd.start_order, arg, "2001")
    elif kind == "fault":
        line.do(cmd.fault, arg)
    elif kind == "bin":
        line.do(cmd.bin_changed, "P-1001", arg)
    elif kind == "hour_cause":
        hours = cmd.unexplained_hours(state, line.now)
        if hours:
            line.do(cmd.record_hour_cause, hours[0], "MAT", "1042", "late")
    elif kind == "wait":
        line.wait(arg)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_states_made_by_commands_round_trip(steps):
    line = Line(RULES, t(15, 30))  # the day shift ends at 17:00, the next starts at 08:00
    for step in steps:
        _drive(line, step)
        if step[0] == "wait":
            assert decode_state(encode_state(line.state), RULES) == line.state
    assert decode_state(encode_state(line.state), RULES) == line.state


# --- bad input --------------------------------------------------------------------------


def _with(path: list[str | int], value: object) -> str:
    """The sample's JSON with one value replaced."""
    body = json.loads(encode_state(sample()))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(body)


def _without(key: str) -> str:
    body = json.loads(encode_state(sample()))
    del body["state"][key]
    return json.dumps(body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected an object with 'format' and 'state'"),
        (_with(["format"], "andon-state/0"), "format 'andon-state/0' is not"),
        (_without("good"), r"missing \['good'\]"),
        (_with(["state", "spare"], 1), r"unknown \['spare'\]"),
        (_with(["state", "good"], "41"), "state.good: expected int, got str"),
        (_with(["state", "good"], True), "state.good: expected int, got bool"),
        (_with(["state", "fault"], 1), "state.fault: expected bool, got int"),
        (_with(["state", "pace"], "sideways"), "state.pace: 'sideways' is not a Pace"),
        (_with(["state", "last_at"], "2026-11-25T09:30:00"), "state.last_at: .* no time zone"),
        (_with(["state", "last_at"], "yesterday"), "state.last_at: 'yesterday' is not an ISO"),
        (_with(["state", "calls", 0, 1, "raised_at"], 5), r"state.calls\[0\].value.raised_at"),
        (_with(["state", "calls", 1, 1, "status"], "lost"), "is not a CallStatus"),
        (_with(["state", "hour_causes", 0, 1, "reason"], " "), "not a valid HourCause"),
        (_with(["state", "counts_by_row", 1, 0], "2026-11-25T09:00:00+00:00"), "repeated"),
        (_with(["state", "counts_by_row", 0], {"a": 1}), "expected a \\[key, value\\] pair"),
        (_with(["state", "serials"], "SN-1"), "state.serials: expected a list, got str"),
        (_with(["state", "bins_empty"], ["P", "P"]), "holds an item twice"),
        (_with(["state", "stops", 0], []), r"state.stops\[0\]: expected an object"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_place(text, message):
    with pytest.raises(ValueError, match=message) as raised:
        decode_state(text, RULES)
    assert isinstance(raised.value, StateFormatError)


def test_a_field_without_a_json_form_fails_loudly_instead_of_being_dropped():
    @dataclasses.dataclass(frozen=True)
    class WithComplex:
        value: complex

    with pytest.raises(TypeError, match="no JSON form"):
        _dataclass_codec(WithComplex)


def test_a_naive_instant_is_refused_when_encoding():
    state = StationState(rules=RULES, last_at=datetime(2026, 11, 25, 9, 0))
    with pytest.raises(ValueError, match="naive"):
        encode_state(state)


# --- fingerprint of the rules ------------------------------------------------------------


def test_equal_rules_have_one_fingerprint_and_caches_do_not_count():
    first, second = order_rules(), order_rules()
    assert first is not second and first.calendar is not second.calendar
    before = rules_fingerprint(first)
    first.calendar.shift_at(t(9))  # fills the calendar's caches
    first.calendar.windows(t(0), t(23))
    assert rules_fingerprint(first) == before == rules_fingerprint(second)


@pytest.mark.parametrize(
    "change",
    [
        {"takt_s": 161.0},
        {"minor_stop_s": 299.0},
        {"people": {"1042": "Li Wei"}},
        {"parts": frozenset({"P-1001"})},
        {"orders": ()},
        {
            "calendar": Calendar(
                shifts=(Shift("day", time(8), time(16), days=frozenset(range(1, 8))),),
                tz=ZoneInfo("Europe/Berlin"),
            )
        },
        {"calendar": dataclasses.replace(RULES.calendar, tz=ZoneInfo("Europe/Vienna"))},
    ],
)
def test_a_change_of_the_rules_changes_the_fingerprint(change):
    assert rules_fingerprint(dataclasses.replace(RULES, **change)) != rules_fingerprint(RULES)


def test_a_change_of_an_escalation_changes_the_fingerprint():
    help_rule = RULES.call_types["help"]
    slower = dataclasses.replace(
        help_rule,
        escalation=tuple(
            dataclasses.replace(s, after_s=s.after_s + 60) for s in help_rule.escalation
        ),
    )
    changed = dataclasses.replace(RULES, call_types={**RULES.call_types, "help": slower})
    assert rules_fingerprint(changed) != rules_fingerprint(RULES)


def test_the_fingerprint_is_the_same_in_another_process():
    """Sets and dicts iterate in another order under another hash seed: it must not matter."""
    script = (
        "from tests.domain.harness import order_rules;"
        "from andon.domain.state_codec import rules_fingerprint;"
        "print(rules_fingerprint(order_rules()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == rules_fingerprint(order_rules())


def test_rules_made_from_the_same_configuration_fingerprint_alike():
    assert rules_fingerprint(rules()) == rules_fingerprint(rules())
    assert rules_fingerprint(rules()) != rules_fingerprint(order_rules())
