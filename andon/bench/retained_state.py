"""The retained state's size and publish cost as a shift fills with closed calls.

A demo station's state is driven through a shift by the domain's own commands
(calls raised and resolved or cancelled, counts, a machine fault with every
fourth call, now and then a long one) until it holds 0, 200 and 2 000 closed
calls. For each, the state message is worked out and encoded as the station
does before every publish (:func:`andon.domain.snapshot.snapshot`, then
:func:`andon.bus.messages.encode`). The reference, worked out in the same run,
is the same state with the shift's closed calls listed, as state version 1 did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.figures import Figure, Reference
from andon.bench.stats import percentile
from andon.bus.messages import encode, state_message
from andon.config.loader import load_station
from andon.demo.run import DEMO_DIR
from andon.domain import commands as cmd
from andon.domain.commands import MATERIAL, Outcome
from andon.domain.decide import decide
from andon.domain.snapshot import call_view, snapshot
from andon.domain.state import apply
from andon.domain.station_state import StationState
from andon.station.build import station_rules

CLOSED_CALLS = (0, 200, 2000)
STATE_LIMIT_KB = 8.0
HEALTH = {
    "journal_error": "",
    "unjournaled": 0,
    "broker": True,
    "in_flight": 0,
    "bad_commands": 0,
    "refused_events": 0,
    "unreadable_rows": 0,
    "scanners": {
        "main": {
            "connected": True,
            "last_scan_at": "2026-11-25T12:59:58.120Z",
            "scans": 2400,
            "rejected": 3,
            "errors": 0,
            "last_error": "",
        }
    },
}
PATH = "demo-plant/assembly/line-a/a1"
SIZE_NOTE = (
    "what is open and a bounded summary of the shift; the reference lists the shift's"
    " closed calls too, as state version 1 did"
)
COST_NOTE = "the snapshot and its JSON, on the station's loop before each publish (≤ 4 a second)"


@dataclass(frozen=True)
class StateCost:
    """One state: its size, the size it would have listing its closed calls, its cost."""

    closed_calls: int
    size_bytes: int
    listed_bytes: int
    """The same state with the shift's closed calls listed (state version 1's layout)."""
    publish_ms: list[float]
    """Working out and encoding the state message, once per publish."""


class _Shift:
    """A demo station driven through one shift by the domain's commands."""

    def __init__(self) -> None:
        rules = station_rules(load_station(DEMO_DIR / "station-a1.toml"))
        start = datetime(2026, 11, 23, 12, tzinfo=UTC)  # a Monday
        window = rules.calendar.windows(start, start + timedelta(days=7))[0]
        self.state = StationState(rules=rules)
        self.now = window.start + timedelta(minutes=1)
        self.end = window.end
        self.kinds = sorted(k for k in rules.call_types if k != MATERIAL)  # no part needed

    def do(self, command: Callable[..., Outcome], *args: Any) -> Outcome:
        outcome = command(self.state, self.now, *args)
        if not outcome.accepted:
            raise RuntimeError(
                f"the bench's shift: {command.__name__} refused: {outcome.rejection}"
            )
        for event in outcome.events:
            self.state = apply(self.state, event)
        self.settle()
        return outcome

    def settle(self) -> None:
        for _ in range(32):
            due = decide(self.state, self.now)
            if not due:
                return
            for event in due:
                self.state = apply(self.state, event)

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.settle()

    def closed(self) -> int:
        return sum(1 for c in self.state.calls.values() if not c.is_open)

    def run_until(self, closed: int) -> None:
        """Calls until ``closed`` are closed in the shift."""
        n = self.closed()
        while self.closed() < closed:
            fault = n % 4 == 0  # a machine fault: a stop, and the call it raises, if any
            if fault:
                self.do(cmd.fault, True)
            open_call = self.state.open_calls[0] if self.state.open_calls else None
            if open_call is None:
                open_call = self.do(cmd.press, self.kinds[n % len(self.kinds)]).events[0]
            call_id = open_call.call_id
            self.do(cmd.count)
            self.wait(320 if n % 50 == 0 else 3)
            if fault:
                self.do(cmd.fault, False)
            if n % 7 == 3:
                self.do(cmd.cancel, call_id, "Li Wei", "board")
            else:
                reason = next(iter(self.state.rules.reasons), "")
                self.do(cmd.resolve, call_id, "Anna Becker", "board", reason)
            self.wait(2)
            n += 1
        if self.now >= self.end:
            raise RuntimeError("the bench's shift ran past its end")


def measure_retained_state(repeats: int) -> list[StateCost]:
    """The state at each of :data:`CLOSED_CALLS`, each worked out ``repeats`` times."""
    shift = _Shift()
    costs = []
    for closed in CLOSED_CALLS:
        shift.run_until(closed)
        state, now = shift.state, shift.now
        snapshot(state, now)  # what a publish finds worked out already, as on the station
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            payload = encode(state_message(PATH, snapshot(state, now), HEALTH))
            samples.append((time.perf_counter() - started) * 1000.0)
        message = state_message(PATH, snapshot(state, now), HEALTH)
        ended = sorted(
            (c for c in state.calls.values() if not c.is_open), key=lambda c: c.raised_at
        )
        message["closed_calls"] = [call_view(state, c, now) for c in ended]
        costs.append(StateCost(closed, len(payload), len(encode(message)), samples))
    return costs


def state_figures(repeats: int) -> list[Figure]:
    """The benchmark's rows: the state's size and the cost of each publish, per shift."""
    costs = measure_retained_state(repeats)
    empty = percentile(costs[0].publish_ms, 99)
    rows = []
    for cost in costs:
        kb = cost.size_bytes / 1024
        rows.append(
            f.single(
                f"state_size_{cost.closed_calls}",
                W.STATE_SIZE.format(closed=cost.closed_calls),
                "kB",
                kb,
                reference=Reference(W.STATE_V1, cost.listed_bytes / 1024, "kB"),
                target=W.AT_MOST_KB.format(kb=f"{STATE_LIMIT_KB:g}"),
                passed=kb <= STATE_LIMIT_KB,
                note="" if cost.closed_calls else W.NOTE_STATE_SIZE,
            )
        )
        rows.append(
            f.latency(
                f"state_publish_{cost.closed_calls}",
                W.INDENT + W.STATE_PUBLISH,
                cost.publish_ms,
                reference=Reference(W.NO_CLOSED_CALLS_P99, empty, "ms"),
                note="" if cost.closed_calls else W.NOTE_STATE_PUBLISH,
            )
        )
    return rows
