"""Reason codes (``[[reasons]]``): why a line stopped or an hour missed its plan.

Keep the list short and grouped so an operator finds the right code at once:
Vorne recommends 25 or fewer. More than :data:`RECOMMENDED_MAX_REASONS` is
allowed with a warning; more than :data:`MAX_REASONS` is an error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from andon.config.base import ConfigModel
from andon.config.fields import Code, Identifier, Text
from andon.config.language import Translations, in_language

RECOMMENDED_MAX_REASONS = 25
MAX_REASONS = 50

Category = Literal["availability", "performance", "quality"]
"""The OEE factor a stop for this reason reduces."""


class ReasonConfig(ConfigModel):
    """One reason code, printable as a reason card."""

    code: Code
    label: Text
    labels: Translations = Field(default_factory=dict)
    """The label in other languages, e.g. ``labels = { zh_CN = "刀具破损" }``."""
    planned: bool = False
    """Planned stops (changeover, trial run) are recorded but are not breakdowns."""
    category: Category = "availability"
    applies_to: list[Identifier] = Field(default_factory=list)
    """Call types this reason may resolve; empty means every call type."""

    def label_in(self, language: str) -> str:
        """The label in ``language`` when the plant gives it, else ``label``."""
        return in_language(self.label, self.labels, language)

    def applies(self, call_type: str) -> bool:
        """Whether this reason may close a call of ``call_type``."""
        return not self.applies_to or call_type in self.applies_to
