"""State checkpoints: start-up from the latest checkpoint and the rows after it.

The key property: whatever the station did (calls and stops left open across a shift
change, a disk that failed for a while, a clock jump), the state restored from a
checkpoint and the rows after it equals the state of a full replay of the journal.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from andon.domain import commands as cmd
from andon.domain import event_decoding
from andon.domain import events as ev
from andon.domain.commands import Outcome
from andon.domain.rules import StationRules
from andon.domain.state import apply
from andon.domain.state_codec import decode_state
from andon.domain.station_state import StationState
from andon.journal.store import Journal, JournalError, text_hash
from andon.journal.verify import verify
from andon.station.build import station_rules
from andon.station.checkpoints import checkpoint_fingerprint
from andon.station.clock import SimulatedClock
from andon.station.core import StationCore
from tests.support.stations import demo_station

OWNER = "demo/a3"
RULES = station_rules(demo_station())
REASON = sorted(RULES.reasons)[0]
PART = sorted(RULES.parts)[0]
BEFORE_CHANGE = datetime(2026, 11, 25, 12, 20, tzinfo=UTC)
"""13:20 in Berlin: 40 minutes before the early shift hands over to the late one."""
AFTER_CHANGE = datetime(2026, 11, 25, 13, 0, 30, tzinfo=UTC)


class FlakyJournal(Journal):
    """A real journal whose appends can be made to fail (a full disk)."""

    fail = False

    def append_many(self, events):
        if self.fail:
            raise JournalError("disk full")
        return super().append_many(events)


class JumpingClock(SimulatedClock):
    """A simulated clock whose wall clock can be moved once (a time sync)."""

    jump = 0.0

    def check_jump(self) -> float:
        jump, self.jump = self.jump, 0.0
        return jump


def full_replay(journal: Journal, rules: StationRules, through: int | None = None) -> StationState:
    """The state of the journal's rows up to ``through``, folded from the start."""
    state, last = StationState(rules=rules), 0
    for row in journal.rows():
        if through is not None and row.seq > through:
            break
        last = row.seq
        try:
            event = event_decoding.from_dict(row.kind, row.payload)
        except event_decoding.EventFormatError:
            continue
        state = apply(state, event)
    return dataclasses.replace(state, last_seq=last) if last else state


# --- the key property -------------------------------------------------------------------


def _pick(calls: list, index: int):
    return calls[index % len(calls)] if calls else None


def _on_open_call(index: int, act):
    """A command on the ``index``-th open call (refused when none is open)."""

    def command(state: StationState, now: datetime) -> Outcome:
        call = _pick(state.open_calls, index)
        return act(state, now, call) if call else cmd.refuse("no open call")

    return command


def _stop_reason(index: int):
    def command(state: StationState, now: datetime) -> Outcome:
        stop = _pick(state.stops, index)
        if stop is None:
            return cmd.refuse("no stop")
        return cmd.record_stop_reason(state, now, stop.stop_id, REASON, "2001", "a note")

    return command


def _hour_cause(state: StationState, now: datetime) -> Outcome:
    hours = cmd.unexplained_hours(state, now)
    if not hours:
        return cmd.refuse("no hour to explain")
    return cmd.record_hour_cause(state, now, hours[0], REASON, "2001", "why")


INDEX = st.integers(0, 5)
ACTIONS = st.one_of(
    st.tuples(st.just("press"), st.sampled_from(["help", "quality", "equipment"])),
    st.tuples(st.just("count"), st.integers(1, 3), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("acknowledge"), INDEX),
    st.tuples(st.just("resolve"), INDEX),
    st.tuples(st.just("cancel"), INDEX),
    st.tuples(st.just("fault"), st.booleans()),
    st.tuples(st.just("bin"), st.booleans()),
    st.tuples(st.just("downstream"), st.integers(0, 6)),
    st.tuples(st.just("changeover"), st.booleans()),
    st.tuples(st.just("stop_reason"), INDEX),
    st.tuples(st.just("hour_cause"), st.just(0)),
    st.tuples(st.just("wait"), st.floats(0.0005, 1500.0)),
    st.tuples(st.just("jump"), st.floats(3.5, 90.0) | st.floats(-90.0, -3.5)),
    st.tuples(st.just("disk"), st.booleans()),
)


def _act(core: StationCore, clock: JumpingClock, journal: FlakyJournal, action: tuple) -> None:
    kind, arg, *more = action
    if kind == "press":
        core.execute(partial(cmd.press, call_type=arg))
    elif kind == "count":
        serial = f"SN-{clock.now().timestamp():.3f}" if more[1] else ""
        core.execute(partial(cmd.count, good=arg, scrap=more[0], serial=serial))
    elif kind == "acknowledge":
        core.execute(
            _on_open_call(arg, lambda s, n, c: cmd.acknowledge(s, n, c.call_id, "1042", "test"))
        )
    elif kind == "resolve":
        core.execute(
            _on_open_call(
                arg, lambda s, n, c: cmd.resolve(s, n, c.call_id, "1042", "test", REASON, "done")
            )
        )
    elif kind == "cancel":
        core.execute(
            _on_open_call(arg, lambda s, n, c: cmd.cancel(s, n, c.call_id, "1042", "test"))
        )
    elif kind == "fault":
        core.execute(partial(cmd.fault, active=arg))
    elif kind == "bin":
        core.execute(partial(cmd.bin_changed, part=PART, empty=arg))
    elif kind == "downstream":
        core.execute(partial(cmd.downstream, quantity=arg))
    elif kind == "changeover":
        core.execute(partial(cmd.changeover, by="2001") if arg else _stop_reason(0))
    elif kind == "stop_reason":
        core.execute(_stop_reason(arg))
    elif kind == "hour_cause":
        core.execute(_hour_cause)
    elif kind == "wait":
        clock.advance(arg)
        core.tick()
    elif kind == "jump":
        clock.jump = arg
        core.tick()
    elif kind == "disk":
        journal.fail = arg
        core.tick()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(ACTIONS, min_size=2, max_size=25),
    after=st.lists(ACTIONS, min_size=2, max_size=25),
    every=st.integers(1, 12),
)
def test_a_checkpoint_and_the_rows_after_it_give_the_state_of_a_full_replay(before, after, every):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite"
        clock = JumpingClock(BEFORE_CHANGE)
        with FlakyJournal(path, OWNER) as journal:
            core = StationCore(RULES, journal, clock, checkpoint_every=every)
            core.start()
            for action in before:
                _act(core, clock, journal, action)
            event(f"open calls at the shift change: {bool(core.state.open_call_ids)}")
            event(f"open stops at the shift change: {bool(core.state.open_stops)}")
            clock.advance_to(AFTER_CHANGE)  # the early shift hands over to the late one
            core.tick()
            for action in after:
                _act(core, clock, journal, action)
            journal.fail = False
            core.tick()
            assert core.unjournaled == 0

            # Every checkpoint holds exactly the state of the rows up to it ...
            saved = journal.checkpoints()
            assert bool(saved) == (journal.last_seq() >= every)
            for checkpoint in saved:
                restored = decode_state(checkpoint.state, RULES)
                assert restored == full_replay(journal, RULES, checkpoint.seq)

            # ... and a station restarting from the latest one ends where a full replay ends.
            again = StationCore(RULES, journal, SimulatedClock(clock.now()), checkpoint_every=every)
            replayed = again.restore()
            start = saved[0].seq if saved else 0
            event(f"restored from a checkpoint: {start > 0}")
            assert again.restored_from == start
            assert replayed == journal.last_seq() - start
            assert again.state == full_replay(journal, RULES)
            assert again.state.rules is RULES
            assert verify(path) == []


# --- start-up -------------------------------------------------------------------------


def _station(path: Path, every: int, rules: StationRules = RULES, clock=None) -> StationCore:
    journal = Journal(path, OWNER)
    return StationCore(
        rules, journal, clock or SimulatedClock(BEFORE_CHANGE), checkpoint_every=every
    )


def _run(core: StationCore, presses: int) -> None:
    """Presses and counts: each press raises, escalates and stops the line."""
    for n in range(presses):
        core.execute(partial(cmd.press, call_type=["help", "quality", "equipment"][n % 3]))
        core.execute(partial(cmd.count, good=1))
        assert isinstance(core.clock, SimulatedClock)
        core.clock.advance(7.25)
        core.tick()


def test_start_up_replays_only_the_rows_after_the_latest_checkpoint(tmp_path):
    path = tmp_path / "journal.sqlite"
    first = _station(path, every=10)
    first.start()
    _run(first, 8)
    last = first.journal.last_seq()
    saved = first.journal.checkpoints()
    assert len(saved) == 2  # the latest two are kept
    latest = saved[0]
    assert last - 10 < latest.seq <= last and latest.seq - saved[1].seq >= 10
    assert latest == first.journal.latest_checkpoint()
    first.journal.close()

    second = _station(path, every=10)
    second.start()
    assert second.restored_from == latest.seq
    assert second.replayed == last - latest.seq
    row = second.journal.row(second.journal.last_seq())
    assert row is not None
    started = event_decoding.from_dict(row.kind, row.payload)
    assert isinstance(started, ev.StationStarted) and started.replayed == second.replayed
    assert second.state.open_calls and second.state.good == 8
    assert second.state == full_replay(second.journal, RULES)
    second.journal.close()


def test_a_journal_without_checkpoints_is_replayed_once_then_checkpointed(tmp_path):
    path = tmp_path / "journal.sqlite"
    first = _station(path, every=1_000_000)  # never checkpoints
    first.start()
    _run(first, 6)
    assert first.journal.checkpoints() == []
    last = first.journal.last_seq()
    first.journal.close()
    with sqlite3.connect(path) as conn:  # a file from before checkpoints existed
        conn.execute("DROP TABLE checkpoints")
    conn.close()

    second = _station(path, every=10)
    second.start()
    assert second.restored_from == 0 and second.replayed == last
    latest = second.journal.latest_checkpoint()
    assert latest is not None and latest.seq == second.journal.last_seq()
    second.journal.close()

    third = _station(path, every=10)
    third.start()
    assert third.restored_from == latest.seq and third.replayed == 0
    assert third.state == full_replay(third.journal, RULES)
    third.journal.close()


def _prepared(tmp_path: Path) -> tuple[Path, int]:
    """A journal with checkpoints; returns its path and the seq of the latest one."""
    path = tmp_path / "journal.sqlite"
    core = _station(path, every=10)
    core.start()
    _run(core, 8)
    latest = core.journal.latest_checkpoint()
    assert latest is not None
    core.journal.close()
    return path, latest.seq


def _restored(path: Path, rules: StationRules = RULES) -> StationCore:
    core = _station(path, every=10, rules=rules)
    core.restore()
    return core


def test_a_checkpoint_whose_row_changed_is_not_used(tmp_path):
    path, _ = _prepared(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE checkpoints SET event_hash = ?", ("0" * 64,))
    conn.close()
    core = _restored(path)
    assert core.restored_from == 0 and core.replayed == core.journal.last_seq()
    assert core.state == full_replay(core.journal, RULES)
    core.journal.close()


def test_a_checkpoint_of_other_rules_is_not_used(tmp_path):
    path, _ = _prepared(tmp_path)
    other = dataclasses.replace(RULES, takt_s=RULES.takt_s + 1)
    assert checkpoint_fingerprint(other) != checkpoint_fingerprint(RULES)
    core = _restored(path, other)
    assert core.restored_from == 0 and core.replayed == core.journal.last_seq()
    assert core.state == full_replay(core.journal, other)
    core.journal.close()


def test_an_unreadable_checkpoint_is_skipped_with_a_warning(tmp_path, caplog):
    path, latest = _prepared(tmp_path)
    garbage = '{"format": "andon-state/1", "state": {"good": "many"}}'
    with sqlite3.connect(path) as conn:  # consistent hashes: only the content is wrong
        conn.execute(
            "UPDATE checkpoints SET state = ?, state_hash = ? WHERE seq = ?",
            (garbage, text_hash(garbage), latest),
        )
    conn.close()
    with caplog.at_level(logging.WARNING, logger="andon.station.checkpoints"):
        core = _restored(path)
    older = [c.seq for c in core.journal.checkpoints() if c.seq != latest]
    assert older and core.restored_from == older[0]  # the one before it is used
    assert core.state == full_replay(core.journal, RULES)
    assert any(f"checkpoint after row {latest}" in r.getMessage() for r in caplog.records)
    assert any("StationState fields do not match" in r.getMessage() for r in caplog.records)

    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE checkpoints SET state = 'not json', state_hash = ?", (text_hash("not json"),)
        )
    conn.close()
    again = _restored(path)
    assert again.restored_from == 0 and again.state == full_replay(again.journal, RULES)
    core.journal.close()
    again.journal.close()


def test_a_checkpoint_that_cannot_be_saved_does_not_stop_the_station(tmp_path, caplog):
    class NoCheckpoints(Journal):
        def save_checkpoint(self, seq, fingerprint, state_json):
            raise JournalError("disk full")

    journal = NoCheckpoints(tmp_path / "journal.sqlite", OWNER)
    core = StationCore(RULES, journal, SimulatedClock(BEFORE_CHANGE), checkpoint_every=3)
    with caplog.at_level(logging.WARNING, logger="andon.station.checkpoints"):
        core.start()
        _run(core, 3)
    assert core.journal_error == "" and core.unjournaled == 0
    warnings = [r.getMessage() for r in caplog.records if "not saved" in r.getMessage()]
    assert warnings and all("disk full" in w for w in warnings)
    assert len(warnings) <= journal.last_seq() // 3  # tried once per interval, not per event
    journal.close()


def test_an_event_that_does_not_read_back_as_decided_stops_checkpoints(tmp_path, caplog):
    """A replay folds what it reads back: a state folded from anything else is no checkpoint."""
    clock = SimulatedClock(BEFORE_CHANGE)
    core = _station(tmp_path / "journal.sqlite", every=2, clock=clock)
    core.start()
    _run(core, 2)
    before = core.journal.latest_checkpoint()
    assert before is not None
    odd = clock.now() + timedelta(microseconds=1234)  # journaled to the millisecond
    with caplog.at_level(logging.WARNING, logger="andon.station.checkpoints"):
        core.record([ev.FaultChanged(at=odd, active=True)])
        _run(core, 3)
    assert any("does not read back" in r.getMessage() for r in caplog.records)
    assert core.journal.latest_checkpoint() == before
    again = _restored(core.journal.path)
    assert again.restored_from == before.seq
    assert again.state == full_replay(again.journal, RULES)
    core.journal.close()
    again.journal.close()


def test_an_odd_event_is_caught_before_the_checkpoint_that_follows_it(tmp_path):
    """The read-back check runs after publishing, but always before a checkpoint is saved."""
    clock = SimulatedClock(BEFORE_CHANGE)
    core = _station(tmp_path / "journal.sqlite", every=1, clock=clock)
    core.start()
    before = core.journal.latest_checkpoint()
    assert before is not None
    odd = clock.now() + timedelta(microseconds=1234)
    core.record([ev.FaultChanged(at=odd, active=True)])  # due for a checkpoint at once
    assert core.journal.latest_checkpoint() == before
    core.journal.close()
