"""The station agent's counters, for a board's diagnostics panel."""

from __future__ import annotations

from dataclasses import dataclass, field

from andon.station.scanner_health import ScannerHealth


@dataclass
class AgentHealth:
    """Counters a board's diagnostics panel shows."""

    bad_commands: int = 0
    replays: int = 0
    hal_events: int = 0
    scanners: ScannerHealth = field(default_factory=ScannerHealth)
    """Each scanner's link, last scan and bad lines."""
