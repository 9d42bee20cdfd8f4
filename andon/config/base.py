"""The base every configuration model derives from: unknown keys are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConfigModel(BaseModel):
    """A frozen model that rejects unknown keys, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
