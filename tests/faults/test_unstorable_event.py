"""An event the journal cannot store never blocks the events after it.

The inputs refuse what cannot be stored; should a defect let such an event through
anyway, it is left out of the journal with an error, counted and the alarm lit,
and everything before and after it is journaled and published as usual.
"""

from __future__ import annotations

from andon.domain import commands as cmd
from andon.journal.verify import verify


def test_an_unstorable_event_is_left_out_alarmed_and_the_next_ones_are_journaled(
    station_factory,
):
    agent = station_factory().agent
    before = agent.journal.last_seq()
    outcome = agent.run_on_loop(
        lambda: agent.core.execute(cmd.raise_call, call_type="help", source="board", by="\ud800")
    )
    assert outcome.accepted  # the domain took it; the journal cannot
    assert agent.core.refused_events == 1
    assert "could not be journaled" in agent.core.event_error
    assert "alarm" in agent.active_signals()
    agent.run_on_loop(lambda: agent.core.execute(cmd.count, good=2))
    agent.run_on_loop(lambda: agent.core.execute(cmd.count, good=1))
    kinds = [row.kind for row in agent.journal.rows(before + 1)]
    assert kinds.count("counted") == 2 and "call_raised" not in kinds
    assert agent.core.journal_error == "" and agent.core.unjournaled == 0
    published = agent.state_payload()
    assert published["health"]["refused_events"] == 1
    assert "alarm" in published["signals"]  # the published state shows what the lamps show
    assert verify(agent.journal.path) == []


def test_the_journal_alarm_lights_a_tier_the_demo_tower_has(station_factory):
    agent = station_factory().agent
    tower = agent.devices.devices.tower  # type: ignore[union-attr]
    assert "white" not in tower.colours and "blue" in tower.colours
    agent.run_on_loop(
        lambda: agent.core.execute(cmd.raise_call, call_type="help", source="board", by="\ud800")
    )
    agent.run_on_loop(agent._update_outputs)
    assert "alarm" in agent.active_signals()
    assert str(tower.state.pattern("blue")) == "fast"
