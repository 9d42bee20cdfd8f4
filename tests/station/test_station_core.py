"""The station core: what it decides is shown first, then journaled in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest

from andon.domain import commands as cmd
from andon.journal.store import Journal, NewEvent
from andon.journal.verify import verify
from andon.station.build import station_rules
from andon.station.clock import SimulatedClock
from andon.station.core import Recorded, StationCore
from tests.support.stations import demo_station

MORNING = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
"""08:00 in Berlin: the demo plant's early shift is running."""


class CountingJournal(Journal):
    """A real journal that remembers each transaction's kinds and what the lamps knew then."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.transactions: list[list[str]] = []
        self.fail = False

    def append_many(self, events):
        events = list(events)
        if self.fail:
            from andon.journal.store import JournalError

            raise JournalError("disk full")
        self.transactions.append([e.kind for e in events])
        return super().append_many(events)


@pytest.fixture
def station(tmp_path):
    config = demo_station()
    journal = CountingJournal(tmp_path / "journal.sqlite", owner="demo/a3")
    shown: list[tuple[int, list[str]]] = []
    recorded: list[Recorded] = []
    core = StationCore(
        station_rules(config), journal, SimulatedClock(MORNING), on_recorded=recorded.append
    )
    core.on_changed = lambda: shown.append(
        (journal.last_seq(), [c.call_type for c in core.state.open_calls])
    )
    core.start()
    yield core, journal, shown, recorded
    journal.close()


def test_a_press_is_shown_before_it_is_journaled_and_journaled_in_one_transaction(station):
    core, journal, shown, recorded = station
    journal.transactions.clear()
    shown.clear()
    before = journal.last_seq()

    core.execute(partial(cmd.press, call_type="help"))

    # the lamps saw the call while the journal did not hold it yet
    assert shown == [(before, ["help"])]
    # the call and its first escalation (level 1 at once) went in one transaction
    assert journal.transactions == [["call_raised", "call_escalated"]]
    assert [r.event.KIND for r in recorded[-2:]] == ["call_raised", "call_escalated"]
    assert [r.seq for r in recorded[-2:]] == [before + 1, before + 2]
    assert core.state.last_seq == journal.last_seq() == before + 2
    assert verify(journal.path) == []


def test_a_refused_command_changes_nothing_and_writes_nothing(station):
    core, journal, shown, _ = station
    journal.transactions.clear()
    shown.clear()
    changes = core.changes

    outcome = core.execute(partial(cmd.cancel, call_id="no-such-call", by="op", source="test"))

    assert outcome.rejection
    assert journal.transactions == [] and shown == [] and core.changes == changes


def test_events_kept_in_memory_while_the_disk_fails_are_journaled_together_later(station):
    core, journal, shown, recorded = station
    before = journal.last_seq()
    journal.fail = True
    core.execute(partial(cmd.press, call_type="help"))
    core.execute(partial(cmd.press, call_type="quality"))

    assert core.journal_error == "disk full" and core.unjournaled == 4
    assert {c.call_type for c in core.state.open_calls} == {"help", "quality"}  # lamps follow
    assert len(shown) >= 2 and journal.last_seq() == before

    journal.fail = False
    journal.transactions.clear()
    core.tick()

    assert core.journal_error == "" and core.unjournaled == 0
    assert journal.transactions[0] == [
        "call_raised",
        "call_escalated",
        "call_raised",
        "call_escalated",
    ]
    assert [r.seq for r in recorded[-4:]] == list(range(before + 1, before + 5))
    assert verify(journal.path) == []


def test_a_restart_rebuilds_the_same_state_from_batched_transactions(station, tmp_path):
    core, journal, _, _ = station
    core.execute(partial(cmd.press, call_type="help"))
    core.execute(partial(cmd.press, call_type="equipment"))
    journal.append_many([NewEvent("unknown_kind", {}, MORNING)])  # an unreadable row is skipped

    again = StationCore(core.rules, journal, SimulatedClock(MORNING))
    assert again.restore() == journal.last_seq() - 1
    assert again.state.last_seq == journal.last_seq()
    assert again.state.open_call_ids == core.state.open_call_ids
    assert {c.call_type for c in again.state.open_calls} == {"help", "equipment"}


def test_a_batch_journals_several_commands_in_one_transaction_and_shows_each_at_once(station):
    core, journal, shown, recorded = station
    journal.transactions.clear()
    shown.clear()
    before = journal.last_seq()

    with core.batch():
        core.execute(partial(cmd.press, call_type="help"))
        core.execute(partial(cmd.press, call_type="quality"))
        # the lamps followed each press; nothing is journaled or announced yet
        assert [types for _, types in shown] == [["help"], ["help", "quality"]]
        assert journal.transactions == [] and journal.last_seq() == before
        with core.batch():  # nested: the outer one journals
            core.execute(partial(cmd.press, call_type="equipment"))
        assert journal.transactions == []

    assert len(journal.transactions) == 1 and len(journal.transactions[0]) == 6
    assert [r.seq for r in recorded[-6:]] == list(range(before + 1, before + 7))
    assert core.state.last_seq == before + 6
    assert verify(journal.path) == []
