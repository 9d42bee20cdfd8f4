"""``StationState.evolve``: the fold's copy of the state, equal to ``dataclasses.replace``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from andon.domain.station_state import StationState
from tests.domain.harness import rules

AT = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def test_evolve_gives_what_replace_gives():
    state = StationState(rules=rules(), good=3, calls={}, last_at=AT)
    changes = {"good": 4, "scrap": 1, "last_at": AT, "bins_empty": frozenset({"P1"})}
    copy = state.evolve(**changes)
    assert copy == dataclasses.replace(state, **changes)
    assert copy is not state and state.good == 3  # the original is untouched
    assert type(copy) is StationState
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.good = 5  # type: ignore[misc]


def test_evolve_refuses_unknown_fields_like_replace():
    state = StationState(rules=rules())
    with pytest.raises(TypeError, match="goods"):
        state.evolve(goods=1)


def test_the_state_keeps_what_evolve_relies_on():
    """No ``__post_init__`` and no field outside ``__init__``: copying the fields is a new state."""
    assert not hasattr(StationState, "__post_init__")
    assert all(f.init for f in dataclasses.fields(StationState))
