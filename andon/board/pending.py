"""Commands the board sent, until the station confirms or refuses them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.board.views import PendingView
from andon.bus.commands import command_message
from andon.i18n import N_

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
        if name is None and p.name not in ("acknowledge", "resolve", "note", "cancel"):
            continue
        if matches(p, station, name or p.name, match):
            return p
    return None


REFUSED = N_("{station} refused {command}: {reason}")
NOT_SENT = N_("{command} not sent: {reason}")
NO_ANSWER = N_("no answer from {station} to {command}")
NO_CONFIRMATION = N_("no confirmation from {station} to {command}")
"""The notices about a command, in English in ``Notice.text``, translated when shown."""
NO_BROKER = N_("no broker connection")
NOT_DELIVERED = N_("not delivered")
UNSENT_REASONS = (NO_BROKER, NOT_DELIVERED)
"""Why a board could not send a command (a notice's ``reason``), translated when shown."""


def target(pending: PendingCommand) -> str:
    """What a command is about: its call, hour, stop or call type."""
    keys = ("call_id", "hour_start", "stop_id", "call_type")
    return next((str(pending.args[k]) for k in keys if pending.args.get(k)), "")


def describe(pending: PendingCommand) -> str:
    return f"{pending.name.replace('_', ' ')} {target(pending)}".strip()


def notice_fields(pending: PendingCommand, station: str, reason: str) -> dict[str, str]:
    """The fields of a notice about ``pending`` (see :func:`andon.board.formatting.notice_text`)."""
    return {
        "station": station,
        "command": pending.name,
        "target": target(pending),
        "reason": reason,
    }
