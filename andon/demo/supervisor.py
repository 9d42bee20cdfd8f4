"""The demo's supervisor: explains the hours that missed the plan, as a board user would.

A completed hour whose count is off the plan by the threshold or more needs a
cause (DOMAIN.md: the hourly table). A while after such an hour ends, the
supervisor records one with the documented ``cmd/hour_cause`` command over the
bus, exactly as the board's hour-cause dialog sends it, and reads the reply.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.bus.request import CommandRequester
from andon.domain.commands import hours_of
from andon.domain.events import format_instant
from andon.domain.state import roll_shift
from andon.station.agent import StationAgent

log = logging.getLogger(__name__)

BEHIND = ("SLOW", "JAM", "OPR-ABSENT", "MAT-SHORT", "TRAINING")
"""Causes the supervisor gives an hour behind the plan (the first known ones are used)."""
AHEAD = ("AHEAD",)
"""The cause of an hour ahead of the plan."""
REVIEW_AFTER_S = 300.0
"""Plant seconds after an hour ends before the supervisor looks at it."""


class Supervisor:
    """A thread that records the cause of every hour that needs one, on the counting stations."""

    def __init__(
        self,
        agents: Sequence[StationAgent],
        settings: BrokerSettings,
        *,
        name: str,
        reasons: Sequence[str],
        seed: int = 0,
        command_timeout_s: float = 10.0,
    ) -> None:
        self.agents = [a for a in agents if a.core.rules.counts]
        self.name = name
        self.behind = [r for r in BEHIND if r in reasons] or list(reasons)[:1]
        self.ahead = [r for r in AHEAD if r in reasons] or self.behind
        self.random = random.Random(seed)
        self.command_timeout_s = command_timeout_s
        self.recorded = 0
        self.refused = 0
        self.bus = BusClient(settings)
        self.requester = CommandRequester(
            self.bus, [a.address.reply() for a in self.agents], who=name
        )
        self._done: set[tuple[str, datetime]] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-supervisor", daemon=True)

    def start(self) -> Supervisor:
        self.bus.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.command_timeout_s + 5)
        self.bus.close()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for agent in self.agents:
                try:
                    self._review(agent)
                except Exception:
                    log.exception("the simulated supervisor stumbled")

    def _review(self, agent: StationAgent) -> None:
        now = agent.clock.now()
        state = roll_shift(agent.core.state, now)
        window = state.rules.calendar.shift_at(now)
        if window is None or state.shift_start is None:
            return
        for row in hours_of(state, window, now):
            key = (agent.address.path, row.start)
            if not row.unexplained or key in self._done:
                continue
            if now < row.end + timedelta(seconds=REVIEW_AFTER_S):
                continue
            self._done.add(key)
            ahead = row.difference > 0
            reason = self.random.choice(self.ahead if ahead else self.behind)
            reply = self.requester.send(
                agent.address,
                "hour_cause",
                timeout_s=self.command_timeout_s,
                hour_start=format_instant(row.start),
                reason=reason,
                note="ahead of plan" if ahead else "behind plan",
            )
            if reply is not None and reply.accepted:
                self.recorded += 1
                log.info("hour %s at %s: cause %s recorded", row.start, agent.address.path, reason)
            else:
                self.refused += 1
                why = reply.reason if reply is not None else "no answer"
                log.warning("hour cause at %s refused: %s", agent.address.path, why)
            return  # one at a time: the next turn sees the recorded cause
