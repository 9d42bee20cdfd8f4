"""The station agent's counters, for a board's diagnostics panel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AgentHealth:
    """Counters a board's diagnostics panel shows."""

    bad_commands: int = 0
    replays: int = 0
    hal_events: int = 0
