"""Parts for material calls and kanban cards (``[[parts]]``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_serializer
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import describe_value
from andon.config.fields import Code, Text
from andon.config.language import Translations, in_language

_CYCLE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*-\s*(\d+)\s*$")


class DeliveryCycle(ConfigModel):
    """A kanban delivery cycle ``a-b-c``: every ``days`` days, ``deliveries`` times a day,
    the goods arrive with the ``delay``-th delivery after the kanban reaches the supplier.

    ``"1-6-2"``: six deliveries a day, due with the second delivery after the kanban left.
    """

    days: int = Field(ge=1)
    deliveries: int = Field(ge=1)
    delay: int = Field(ge=1)

    def __str__(self) -> str:
        return f"{self.days}-{self.deliveries}-{self.delay}"

    @model_serializer
    def _as_text(self) -> str:
        return str(self)


def _parse_cycle(value: Any) -> Any:
    if isinstance(value, str):
        match = _CYCLE.match(value)
        if match:
            days, deliveries, delay = (int(g) for g in match.groups())
            return {"days": days, "deliveries": deliveries, "delay": delay}
        raise PydanticCustomError(
            "delivery_cycle", W.DELIVERY_CYCLE, {"got": describe_value(value)}
        )
    return value


DeliveryCycleField = Annotated[DeliveryCycle, BeforeValidator(_parse_cycle)]


class PartConfig(ConfigModel):
    """One part: what a bin holds, what a store plate shows, what a kanban card says."""

    number: Code
    """Part number; bins and store plates refer to the part by it."""
    name: Text
    names: Translations = Field(default_factory=dict)
    """The name in other languages, e.g. ``names = { zh_CN = "左前门铰链" }``."""
    back_number: Code | None = None
    """The short number printed large on the kanban (背番号)."""
    box_quantity: int = Field(ge=1)
    location: Text | None = None
    """Store location, e.g. ``A-01-3``."""
    supplier: Text | None = None
    upstream: Text | None = None
    """The process (or supplier) the part comes from."""
    downstream: Text | None = None
    """The process (receiving station) the part goes to."""
    delivery_cycle: DeliveryCycleField | None = None
    kanban_prefix: Code = "KB"
    """Kanban card barcodes for this part start with this prefix."""
    max_kanbans: int | None = Field(default=None, ge=1)
    """Never more kanbans in circulation than this."""

    def name_in(self, language: str) -> str:
        """The name in ``language`` when the plant gives it, else ``name``."""
        return in_language(self.name, self.names, language)
