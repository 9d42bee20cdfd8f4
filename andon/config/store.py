"""The store file (``kind = "store"``): the material-call board with a lamp under each plate."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from andon.config import wording as W
from andon.config.errors import Problems, describe_value
from andon.config.fields import Identifier, SchemaVersion, Text
from andon.config.hardware import StoreHardware
from andon.config.plant import PlantMember, check_line_list, plant_in_context
from andon.i18n.catalog import Translator


class StoreFile(PlantMember):
    """One store's material-call board: which lines it supplies and its plate lamps."""

    kind: Literal["store"]
    schema_version: SchemaVersion
    id: Identifier
    name: Text
    lines: list[Identifier] | None = None
    """Lines whose material calls this store serves; default: every line of the plant."""
    hardware: StoreHardware = Field(default_factory=StoreHardware)

    def line_ids(self) -> list[str]:
        """The lines this store serves, with the default (all of the plant's) filled in."""
        if self.lines is not None:
            return list(self.lines)
        return [line.id for line in self.plant_config.lines]

    def plate_for(self, part: str) -> int | None:
        """Index of the plate lamp showing ``part``, if this store has one."""
        return next((i for i, p in enumerate(self.hardware.plates) if p.part == part), None)

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        shown = ", ".join(self.lines) if self.lines is not None else W.said(W.ALL_LINES, tr)
        return W.summary([self.id, W.counted(len(self.hardware.plates), "plate", tr), shown], tr)

    @field_validator("lines", mode="after")
    @classmethod
    def _lines_of_plant(cls, lines: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if lines is not None:
            problems = Problems()
            check_line_list(lines, plant_in_context(info), problems)
            problems.raise_if_any()
        return lines

    @field_validator("hardware", mode="after")
    @classmethod
    def _plates_of_plant(cls, hw: StoreHardware, info: ValidationInfo) -> StoreHardware:
        problems = Problems()
        parts = [plate.part for plate in hw.plates]
        for index, part in enumerate(parts):
            if part in parts[:index]:
                problems.add(
                    ("plates", index, "part"),
                    W.PLATE_PER_PART.format(got=describe_value(part)),
                )
        plant = plant_in_context(info)
        if plant is not None:
            numbers = [part.number for part in plant.parts]
            for index, plate in enumerate(hw.plates):
                if plate.part not in numbers:
                    problems.add(
                        ("plates", index, "part"),
                        W.part_unknown(numbers, describe_value(plate.part)),
                    )
        problems.raise_if_any()
        return hw

    @model_validator(mode="after")
    def _keep_plant(self, info: ValidationInfo) -> StoreFile:
        self._attach_plant(info)
        return self
