"""A pure test harness: drives the domain core like the station does, on a simulated clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from andon.domain import events as ev
from andon.domain.calendar import Calendar, PlannedStop, Shift, StopKind
from andon.domain.commands import Outcome
from andon.domain.decide import decide, next_deadline
from andon.domain.orders import Order
from andon.domain.pace import PaceRule
from andon.domain.rules import (
    CallTypeRule,
    EscalateWhile,
    EscalationStep,
    ReasonCode,
    StationRules,
    StopPolicy,
)
from andon.domain.state import apply
from andon.domain.station_state import StationState

BERLIN = ZoneInfo("Europe/Berlin")


def t(hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """An instant on Wednesday 2026-11-25, plant time."""
    return datetime(2026, 11, 25, hh, mm, ss, tzinfo=BERLIN)


def day_calendar() -> Calendar:
    """08:00-17:00 with a 12:00-12:45 lunch and a 10:00-10:15 meeting, every day."""
    shift = Shift(
        name="day",
        start=datetime(2026, 1, 1, 8).time(),
        end=datetime(2026, 1, 1, 17).time(),
        stops=(
            PlannedStop("meeting", t(10).time(), t(10, 15).time(), StopKind.MEETING),
            PlannedStop("lunch", t(12).time(), t(12, 45).time(), StopKind.BREAK),
        ),
        days=frozenset(range(1, 8)),
    )
    return Calendar(shifts=(shift,), tz=BERLIN)


def rules(**overrides: object) -> StationRules:
    """A counting station of line-a with help, quality, equipment and material calls."""
    base: dict[str, object] = dict(
        station="a3",
        line="line-a",
        calendar=day_calendar(),
        takt_s=160.0,
        ideal_cycle_s=150.0,
        pace=PaceRule(band=0.10, min_elapsed_s=600, hysteresis=0.02),
        stop_policy=StopPolicy.END_OF_CYCLE,
        minor_stop_s=300.0,
        no_count_takts=3.0,
        call_types={
            "help": CallTypeRule(
                "help",
                stops_line=True,
                escalation=(
                    EscalationStep(1, 0, EscalateWhile.UNACKNOWLEDGED, ("team_leader",)),
                    EscalationStep(2, 300, EscalateWhile.UNRESOLVED, ("supervisor",)),
                ),
            ),
            "quality": CallTypeRule("quality", stops_line=True),
            "equipment": CallTypeRule(
                "equipment",
                escalation=(
                    EscalationStep(1, 0, EscalateWhile.UNACKNOWLEDGED, ("maintenance",)),
                    EscalationStep(2, 600, EscalateWhile.UNRESOLVED, ("maintenance_manager",)),
                ),
            ),
            "material": CallTypeRule("material", requires_reason_after_s=1e9),
        },
        reasons={
            "R": ReasonCode("R", "Missing tool"),
            "BRK": ReasonCode("BRK", "Breakdown"),
            "MAT": ReasonCode("MAT", "Material late", category="availability"),
        },
        people={"1042": "Li Wei", "2001": "Anna Berg"},
        parts=frozenset({"P-1001", "P-2002"}),
        downstream_standard_quantity=4,
    )
    base.update(overrides)
    return StationRules(**base)  # type: ignore[arg-type]


CHANGEOVER_REASON = ReasonCode("CHG", "Changeover", category="availability")


def two_orders() -> tuple[Order, ...]:
    """H-20: 100 units at 80 s, then K-7: 150 units at 120 s.

    On :func:`day_calendar`, H-20 is planned 08:00-10:28:20 (8 000 working seconds, the
    meeting excluded) and K-7 10:28:20-16:13:20 (18 000 s, lunch excluded); then the plan
    stays at 250.
    """
    return (Order("H-20", 100, 80.0), Order("K-7", 150, 120.0))


def order_rules(**overrides: object) -> StationRules:
    """The station of :func:`rules` planned by :func:`two_orders`, with a changeover reason."""
    overrides.setdefault("orders", two_orders())
    overrides.setdefault("reasons", {**rules().reasons, "CHG": CHANGEOVER_REASON})
    return rules(**overrides)


class Line:
    """One station driven through commands and time, recording every event."""

    def __init__(self, station_rules: StationRules, start: datetime) -> None:
        self.state = StationState(rules=station_rules)
        self.now = start
        self.events: list[ev.Event] = []

    def _record(self, events: tuple[ev.Event, ...] | list[ev.Event]) -> None:
        for event in events:
            self.events.append(event)
            self.state = apply(self.state, event)

    def settle(self) -> None:
        for _ in range(32):
            due = decide(self.state, self.now)
            if not due:
                return
            self._record(due)
        raise AssertionError("decisions did not settle")

    def do(self, command, *args, **kwargs) -> Outcome:  # type: ignore[no-untyped-def]
        outcome = command(self.state, self.now, *args, **kwargs)
        self._record(outcome.events)
        self.settle()
        return outcome

    def wait(self, seconds: float) -> None:
        """Let time pass, stopping at every deadline on the way."""
        target = self.now + timedelta(seconds=seconds)
        while True:
            due = next_deadline(self.state, self.now)
            if due is None or due > target:
                break
            self.now = due
            self.settle()
        self.now = target
        self.settle()

    def until(self, when: datetime) -> None:
        self.wait((when - self.now).total_seconds())

    def of(self, kind: type[ev.Event]) -> list[ev.Event]:
        return [e for e in self.events if isinstance(e, kind)]
