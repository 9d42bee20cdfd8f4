"""A scenario as it runs: its stations, and its steps and production blocks at their instants.

:func:`andon.simulate.load.load_scenario` makes one from a scenario file, checked
against the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from andon.config.station import StationFile
from andon.domain.instants import local_instant
from andon.simulate.scenario import Step


@dataclass(frozen=True)
class SimStation:
    """One station of the scenario: its key (``line/id``), file and configuration."""

    key: str
    file: Path
    config: StationFile

    @property
    def line(self) -> str:
        return self.config.line


@dataclass(frozen=True)
class TimedStep:
    """A step at its instant (UTC), with its place in the file and, for commands, its args."""

    at: datetime
    index: int
    station: str
    step: Step
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TimedProduction:
    """A production block between two instants (UTC)."""

    index: int
    station: str
    start: datetime
    end: datetime
    every_s: float
    pause_when_stopped: bool

    def beats(self) -> list[datetime]:
        """Its pulse instants: ``start + k × every_s`` before ``end``, to the millisecond."""
        out: list[datetime] = []
        k = 0
        while True:
            at = self.start + timedelta(milliseconds=round(k * self.every_s * 1000))
            if at >= self.end:
                return out
            out.append(at)
            k += 1


@dataclass(frozen=True)
class Scenario:
    """A scenario ready to run."""

    file: Path
    name: str
    description: str
    start: datetime
    end: datetime
    zone: tzinfo
    tick_s: float
    stations: dict[str, SimStation]
    steps: tuple[TimedStep, ...]
    production: tuple[TimedProduction, ...]


def wall_instant(wall: time, after: datetime, zone: tzinfo) -> datetime:
    """The first instant at or after ``after`` whose plant wall time is ``wall`` (UTC)."""
    day = after.astimezone(zone).date()
    for offset in range(3):
        candidate = local_instant(day + timedelta(days=offset), wall, zone).astimezone(UTC)
        if candidate >= after:
            return candidate
    raise ValueError(f"no plant time {wall} after {after.isoformat()}")


def moment(value: time | datetime, start: datetime, zone: tzinfo) -> datetime:
    """A scenario moment as an instant (UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return wall_instant(value, start, zone)
