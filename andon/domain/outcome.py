"""What a command of the station's rules produced: its events, or why it was refused."""

from __future__ import annotations

from dataclasses import dataclass

from andon.domain import events as ev
from andon.domain import refusals as r
from andon.domain.station_state import StationState


@dataclass(frozen=True)
class Outcome:
    """The events a command produced, or why it was refused."""

    events: tuple[ev.Event, ...] = ()
    rejection: str = ""

    @property
    def accepted(self) -> bool:
        """True when the command was not refused."""
        return not self.rejection


def refuse(reason: str, /, **fields: object) -> Outcome:
    """A refusal with a reason the person can act on (a template of :mod:`refusals`)."""
    return Outcome(rejection=r.sentence(reason, **fields))


def new_call_id(state: StationState) -> str:
    """The id of the next call of this station (unique across restarts: rebuilt by replay)."""
    return f"{state.rules.line}.{state.rules.station}.C{state.call_counter + 1}"


def new_stop_id(state: StationState, offset: int = 0) -> str:
    """The id of the next stop of this station."""
    return f"{state.rules.line}.{state.rules.station}.S{state.stop_counter + 1 + offset}"
