"""The site a historian follows and a report reads: a plant file and the station files beside it.

``CONFIG`` is a directory holding ``plant.toml`` and the station files (as
``andon simulate`` takes it), or a plant file; the station files in its
directory are read too. The stations' rules (calendar, takt, which station
counts the line's output) are what the reports fold the history with; a site
works each station's rules and their fingerprint out once (:meth:`Site.rules`),
not at every report.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from andon.config import wording as W
from andon.config.errors import ConfigError, ConfigIssue
from andon.config.loader import load_plant, load_station
from andon.config.plant import PlantFile
from andon.config.station import StationFile
from andon.domain.rules import StationRules
from andon.domain.state_codec import rules_fingerprint
from andon.station.assemble import station_address
from andon.station.build import station_rules

PLANT_FILE = "plant.toml"


@dataclass(frozen=True)
class Site:
    """A plant and its stations by path (``site/area/line/station``)."""

    plant: PlantFile
    plant_file: Path
    stations: dict[str, StationFile] = field(default_factory=dict)
    _rules: dict[str, tuple[StationRules, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each station's rules and their fingerprint, worked out on first use."""

    def line_stations(self, line: str) -> list[str]:
        return [p for p, s in self.stations.items() if s.line == line]

    def rules(self, path: str) -> tuple[StationRules, str]:
        """The rules of the station at ``path`` (its station file's) and their fingerprint."""
        found = self._rules.get(path)
        if found is None:
            rules = station_rules(self.stations[path])
            found = self._rules[path] = (rules, rules_fingerprint(rules))
        return found


def _kind(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            kind = tomllib.load(handle).get("kind")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return kind if isinstance(kind, str) else None


def load_site(config: Path, *, with_stations: bool = True) -> Site:
    """The plant and the station files of ``config``; ConfigError names every problem."""
    config = Path(config)
    plant_file = config / PLANT_FILE if config.is_dir() else config
    if not plant_file.is_file():
        raise ConfigError(plant_file, [ConfigIssue(plant_file, "", W.PLANT_FILE_MISSING)])
    plant = load_plant(plant_file)
    stations: dict[str, StationFile] = {}
    if with_stations:
        plants = {plant_file.absolute(): plant}
        for file in sorted(plant_file.parent.glob("*.toml")):
            if _kind(file) != "station":
                continue
            station = load_station(file, plants=plants)
            stations[station_address(station).path] = station
    return Site(plant=plant, plant_file=plant_file, stations=stations)
