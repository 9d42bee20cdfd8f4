"""What a historian did so far: its counters and the state of its database."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HistorianStats:
    """What the historian did so far."""

    received: int = 0
    """Events handed over by the bus (each once, in order)."""
    stored: int = 0
    duplicates: int = 0
    batches: int = 0
    database_errors: int = 0
    catch_up_requests: int = 0
    states_read: int = 0
    """Retained states decoded for the stations' positions (each station's latest, once a
    round: fewer than arrived during a burst)."""
    last_error: str = ""
    database_ok: bool = False
    pending: int = 0
    removed_by_retention: int = 0
    stations: set[str] = field(default_factory=set)
    first_event_at: float | None = None
    """Monotonic time the first event was handed over (for rates)."""
    last_commit_at: float | None = None
