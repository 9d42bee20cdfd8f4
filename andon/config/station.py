"""The station file (``kind = "station"``): one Raspberry Pi at the line and its pin map."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import Problems, describe_value
from andon.config.fields import ConfigPath, Identifier, SchemaVersion, Text
from andon.config.hardware import GpioTower, StationHardware
from andon.config.lamps import rules_off_tower
from andon.config.lines import LineConfig
from andon.config.plant import PlantFile, PlantMember, plant_in_context
from andon.i18n.catalog import Translator

JOURNAL_DIR = Path("/var/lib/andon")


class JournalConfig(ConfigModel):
    """Where the station keeps its event journal (``[journal]``)."""

    path: ConfigPath | None = None
    """SQLite file; default ``/var/lib/andon/<line>-<id>.sqlite``."""


class StationFile(PlantMember):
    """One station: which line it serves, whether it counts, and what is wired to it."""

    kind: Literal["station"]
    schema_version: SchemaVersion
    line: Identifier
    id: Identifier
    name: Text
    counts: bool = False
    """True: this station's counter is the line's output count."""
    journal: JournalConfig = Field(default_factory=JournalConfig)
    hardware: StationHardware = Field(default_factory=StationHardware)

    @property
    def journal_path(self) -> Path:
        """The journal file, with the default filled in."""
        return self.journal.path or JOURNAL_DIR / f"{self.line}-{self.id}.sqlite"

    @property
    def line_config(self) -> LineConfig:
        """This station's line in the plant file."""
        return self.plant_config.line(self.line)

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        hw = self.hardware
        parts = [
            f"{self.line}/{self.id}",
            W.counted(len(hw.buttons), "button", tr),
            W.counted(len(hw.bins), "bin", tr),
            W.counted(len(hw.scanners), "scanner", tr),
        ]
        if self.counts:
            parts.append(W.said(W.COUNTS_THE_LINE, tr))
        return W.summary(parts, tr)

    @field_validator("line", mode="after")
    @classmethod
    def _line_of_plant(cls, line: str, info: ValidationInfo) -> str:
        plant = plant_in_context(info)
        if plant is not None:
            known = [candidate.id for candidate in plant.lines]
            if line not in known:
                raise PydanticCustomError(
                    "unknown_line",
                    W.LINE_OF_PLANT.format(
                        site=plant.site.id, lines=", ".join(known), got=describe_value(line)
                    ),
                )
        return line

    @field_validator("hardware", mode="after")
    @classmethod
    def _hardware_fits_plant(cls, hw: StationHardware, info: ValidationInfo) -> StationHardware:
        problems = Problems()
        if "acknowledge" in hw.buttons:
            problems.add(
                ("buttons", "acknowledge"),
                W.ACK_BUTTON,
            )
        names = [scanner.name for scanner in hw.scanners]
        for index, name in enumerate(names):
            if name in names[:index]:
                problems.add(
                    ("scanners", index, "name"),
                    W.SCANNER_UNIQUE.format(got=describe_value(name)),
                )
        plant = plant_in_context(info)
        if plant is not None:
            for key in hw.buttons:
                if key != "acknowledge" and key not in plant.call_types:
                    problems.add(
                        ("buttons", key),
                        W.CALL_TYPE_OF_PLANT.format(
                            call_types=", ".join(sorted(plant.call_types)), got=describe_value(key)
                        ),
                    )
            _check_tower_fits_lamps(hw, plant, problems)
            numbers = [part.number for part in plant.parts]
            for index, sensor in enumerate(hw.bins):
                if sensor.part not in numbers:
                    problems.add(
                        ("bins", index, "part"),
                        W.part_unknown(numbers, describe_value(sensor.part)),
                    )
        problems.raise_if_any()
        return hw

    @model_validator(mode="after")
    def _counts_consistently(self, info: ValidationInfo) -> StationFile:
        problems = Problems()
        if self.counts and self.hardware.counter is None:
            problems.add(("counts",), W.COUNTER_INPUT)
        plant = self._attach_plant(info)
        line = None
        if plant is not None:
            line = next((c for c in plant.lines if c.id == self.line), None)
        if line is not None and line.counting_station is not None:
            if self.counts and line.counting_station != self.id:
                problems.add(
                    ("counts",),
                    W.COUNTS_FALSE.format(line=line.id, station=line.counting_station),
                )
            elif not self.counts and line.counting_station == self.id:
                problems.add(
                    ("counts",),
                    W.COUNTS_TRUE.format(line=line.id),
                )
        problems.raise_if_any()
        return self


def _check_tower_fits_lamps(hw: StationHardware, plant: PlantFile, problems: Problems) -> None:
    """Configured lamp rules may only use colours this station's tower has."""
    if hw.tower is None or not plant.lamps.rules:
        return
    colours = (
        [tier.colour for tier in hw.tower.tiers]
        if isinstance(hw.tower, GpioTower)
        else list(hw.tower.colours)
    )
    tiers = ", ".join(colours) or "none"
    for index, colour in rules_off_tower(plant.lamps.rules, colours):
        problems.add(
            ("tower",),
            W.TOWER_LACKS_COLOUR.format(index=index, colour=repr(colour), tiers=tiers),
        )
