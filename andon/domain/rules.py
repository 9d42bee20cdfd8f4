"""The rules one station works by, in domain terms (built from the configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from andon.domain.calendar import Calendar
from andon.domain.order import Order
from andon.domain.pace import PaceRule


class StopPolicy(StrEnum):
    """What a line-stopping call does to the line (fixed-position stop)."""

    END_OF_CYCLE = "end_of_cycle"
    AT_ONCE = "at_once"
    NEVER = "never"


class EscalateWhile(StrEnum):
    """Which clock an escalation step watches."""

    UNACKNOWLEDGED = "unacknowledged"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class EscalationStep:
    """Level ``level`` is due ``after_s`` after the call was raised, while the condition holds."""

    level: int
    after_s: float
    condition: EscalateWhile
    roles: tuple[str, ...]


@dataclass(frozen=True)
class CallTypeRule:
    """How one call type behaves."""

    name: str
    stops_line: bool = False
    requires_reason_after_s: float = 300.0
    escalation: tuple[EscalationStep, ...] = ()


@dataclass(frozen=True)
class ReasonCode:
    """A stop or call reason (a short, grouped list)."""

    code: str
    label: str
    planned: bool = False
    category: str = "availability"


@dataclass(frozen=True)
class Kanban:
    """What the station knows of a part's kanban cards."""

    part: str
    prefix: str = "KB"
    max_kanbans: int = 0


@dataclass(frozen=True)
class StationRules:
    """Everything the pure core needs to know about one station and its line."""

    station: str
    line: str
    calendar: Calendar
    takt_s: float
    ideal_cycle_s: float
    counts: bool = True
    pace: PaceRule = field(default_factory=PaceRule)
    stop_policy: StopPolicy = StopPolicy.END_OF_CYCLE
    minor_stop_s: float = 300.0
    no_count_takts: float = 3.0
    hour_threshold: float = 0.10
    hour_cause_grace_s: float | None = None
    """How long after its shift's end an hour can still be explained (None: until the
    next shift starts)."""
    call_types: dict[str, CallTypeRule] = field(default_factory=dict)
    reasons: dict[str, ReasonCode] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    """Badge id → person name."""
    parts: frozenset[str] = frozenset()
    orders: tuple[Order, ...] = ()
    """The plan's order sequence, started again in every shift (empty: the single takt)."""
    downstream_standard_quantity: int | None = None

    def __post_init__(self) -> None:
        if self.takt_s <= 0:
            raise ValueError(f"takt must be greater than 0, got {self.takt_s}")
        if self.ideal_cycle_s <= 0:
            raise ValueError(f"ideal cycle must be greater than 0, got {self.ideal_cycle_s}")
        object.__setattr__(self, "stop_policy", StopPolicy(self.stop_policy))
        object.__setattr__(self, "orders", tuple(self.orders))

    def call_rule(self, call_type: str) -> CallTypeRule:
        """The rule of a call type; unknown types get a rule that stops nothing."""
        return self.call_types.get(call_type) or CallTypeRule(
            name=call_type, requires_reason_after_s=self.minor_stop_s
        )
