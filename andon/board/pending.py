"""Commands the board sent, until the station confirms or refuses them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.board.views import PendingView
from andon.bus.messages import command_message

COMMAND_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class ReplayRequest:
    """Ask ``station`` to publish its events again from ``from_seq``."""

    station: str
    from_seq: int


@dataclass
class PendingCommand:
    """A command the board sent, until the station confirms or refuses it."""

    command_id: str
    station: str
    name: str
    args: dict[str, Any]
    by: str
    sent_at: datetime
    status: str = "sent"
    confirm_seq: int = 0

    def message(self) -> dict[str, Any]:
        """The JSON form published on ``…/cmd/<name>``."""
        return command_message(self.command_id, self.by, **self.args)

    def view(self) -> PendingView:
        return PendingView(
            self.command_id, self.station, self.name, dict(self.args), self.status, self.sent_at
        )


def unique_replays(replays: list[ReplayRequest]) -> list[ReplayRequest]:
    """One replay per station, from the lowest seq asked (a replay covers what follows)."""
    seen: dict[str, ReplayRequest] = {}
    for replay in replays:
        known = seen.get(replay.station)
        if known is None or replay.from_seq < known.from_seq:
            seen[replay.station] = replay
    return list(seen.values())


def matches(
    pending: PendingCommand | PendingView, station: str, name: str, match: Mapping[str, Any]
) -> bool:
    return (
        pending.station == station
        and pending.name == name
        and all(pending.args.get(k) == v for k, v in match.items())
    )


def pending_on(
    pending: list[PendingView], station: str, name: str | None = None, **match: Any
) -> PendingView | None:
    for p in pending:
        if name is None and p.name not in ("acknowledge", "resolve", "cancel"):
            continue
        if matches(p, station, name or p.name, match):
            return p
    return None


def describe(pending: PendingCommand) -> str:
    keys = ("call_id", "hour_start", "stop_id", "call_type")
    target = next((str(pending.args[k]) for k in keys if pending.args.get(k)), "")
    return f"{pending.name.replace('_', ' ')} {target}".strip()
