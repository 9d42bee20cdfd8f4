"""Lines (``[[lines]]``): the plan (a takt, or demand and available time), pace and stops."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.calendar import CalendarConfig, shift_working_seconds
from andon.config.errors import Problems
from andon.config.fields import Identifier, Text
from andon.config.language import Translations, in_language

if TYPE_CHECKING:
    from andon.domain.calendar import Calendar

RoundingName = Literal["up", "down", "nearest", "none"]
StopPolicy = Literal["end_of_cycle", "at_once", "never"]
"""When an unresolved stopping call stops the line: at the end of the takt cycle
(Toyota's fixed-position stop), at once, or never (lamps only)."""


class PaceConfig(ConfigModel):
    """How the pace judge tells ``normal`` from ``too_fast`` / ``too_slow`` (``[pace]``).

    The band is ``tolerance_units + band * planned`` units either side of the plan; a
    judged line is normal again once back inside it by
    ``max(hysteresis_units, hysteresis * planned)`` units, or on the plan if that is
    nearer (docs/board.md, "Pace").
    """

    band: float = Field(default=0.10, gt=0, lt=1)
    """Allowed deviation from plan, as a fraction (0.10 = ±10 %)."""
    min_elapsed_s: float = Field(default=600, ge=0)
    """No judgement before this many planned working seconds of the shift have passed."""
    hysteresis: float = Field(default=0.02, ge=0, lt=1)
    """A state changes back only once the deviation is this far inside the band."""
    tolerance_units: float = Field(default=1.5, ge=0, allow_inf_nan=False)
    """Allowed deviation from plan in units (takt cycles), on top of the percentage."""
    hysteresis_units: float = Field(default=1.5, ge=0, allow_inf_nan=False)
    """A state changes back only once the gap is this many units inside the band."""

    @model_validator(mode="after")
    def _hysteresis_inside_band(self) -> PaceConfig:
        problems = Problems()
        for key, message in pace_problems(self):
            problems.add((key,), message)
        problems.raise_if_any()
        return self

    def merged(self, override: PaceOverride | None) -> PaceConfig:
        """These settings with a line's overrides applied (not validated again)."""
        if override is None:
            return self
        return self.model_copy(update=override.model_dump(exclude_none=True))


def pace_problems(pace: PaceConfig, override: PaceOverride | None = None) -> list[tuple[str, str]]:
    """``(key, message)`` when the hysteresis does not fit inside the band.

    With ``override``, the key named is the line's own key if it set it, else the band.
    """
    if pace.hysteresis < pace.band:
        return []
    key = "hysteresis" if override is None or override.hysteresis is not None else "band"
    message = W.HYSTERESIS.format(hysteresis=f"{pace.hysteresis:g}", band=f"{pace.band:g}")
    return [(key, message)]


class PaceOverride(ConfigModel):
    """A line's own pace settings (``[lines.pace]``); keys left out come from the plant."""

    band: float | None = Field(default=None, gt=0, lt=1)
    min_elapsed_s: float | None = Field(default=None, ge=0)
    hysteresis: float | None = Field(default=None, ge=0, lt=1)
    tolerance_units: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    hysteresis_units: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class OrderConfig(ConfigModel):
    """One entry of a line's production sequence (``[[lines.orders]]``)."""

    product: Text
    quantity: int = Field(ge=1)
    takt_s: float | None = Field(default=None, gt=0)
    """This product's takt, if it differs from the line's."""


_DEMAND_KEYS = ("available_s", "shift", "rounding", "rounding_step_s")


class LineConfig(ConfigModel):
    """One production line.

    The plan is either a fixed takt (``takt_s``) or ``demand`` units per shift,
    whose takt is the available time divided by the demand, adopted with a
    rounding rule (seed 002: 27 900 s / 175 = 159.43 s, adopted as 160 s).
    """

    id: Identifier
    name: Text
    names: Translations = Field(default_factory=dict)
    """The name in other languages, e.g. ``names = { zh_CN = "总装一线" }``."""
    fixed_takt_s: float | None = Field(default=None, gt=0, alias="takt_s")
    """The ``takt_s`` key: the adopted takt in seconds, given directly."""
    demand: float | None = Field(default=None, gt=0)
    """Units required per shift."""
    available_s: float | None = Field(default=None, gt=0)
    """Working seconds for ``demand``; default: the planned working time of ``shift``."""
    shift: Identifier | None = None
    """The calendar shift whose working time ``demand`` is spread over (default: the first)."""
    rounding: RoundingName = "up"
    rounding_step_s: float = Field(default=1.0, gt=0)
    ideal_cycle_s: float | None = Field(default=None, gt=0)
    """The fastest possible cycle, for OEE performance; default: the takt."""
    stop_policy: StopPolicy = "end_of_cycle"
    pace: PaceOverride | None = None
    counting_station: Identifier | None = None
    """The station whose counter is the line's output count."""
    orders: list[OrderConfig] = Field(default_factory=list)
    downstream_standard_quantity: int | None = Field(default=None, ge=1)
    """Full-work: this station stops while the downstream buffer holds this many."""

    def available_seconds(self, calendar: CalendarConfig | Calendar) -> float:
        """Working seconds ``demand`` is spread over."""
        if self.available_s is not None:
            return self.available_s
        shifts = calendar.shifts
        chosen = shifts[0]
        if self.shift is not None:
            matching = [s for s in shifts if s.name == self.shift]
            if not matching:
                raise KeyError(f"line {self.id}: no shift {self.shift!r} in the calendar")
            chosen = matching[0]
        return float(shift_working_seconds(chosen))

    def demand_takt_s(self, calendar: CalendarConfig | Calendar) -> float | None:
        """The takt before rounding (159.43 s in seed 002), or None for a fixed takt."""
        if self.demand is None:
            return None
        from andon.domain.takt import takt_from_demand

        return takt_from_demand(self.available_seconds(calendar), self.demand)

    def name_in(self, language: str) -> str:
        """The name in ``language`` when the plant gives it, else ``name``."""
        return in_language(self.name, self.names, language)

    def takt_s(self, calendar: CalendarConfig | Calendar) -> float:
        """The adopted takt in seconds: the fixed one, or demand-based and rounded."""
        if self.fixed_takt_s is not None:
            return self.fixed_takt_s
        from andon.domain.takt import Rounding, adopt_takt

        raw = self.demand_takt_s(calendar)
        assert raw is not None  # one form is always present after validation
        return adopt_takt(raw, Rounding(self.rounding), self.rounding_step_s)

    def ideal_cycle_seconds(self, calendar: CalendarConfig | Calendar) -> float:
        """``ideal_cycle_s``, or the adopted takt when it is not set."""
        return self.ideal_cycle_s if self.ideal_cycle_s is not None else self.takt_s(calendar)

    @model_validator(mode="after")
    def _one_form_of_plan(self) -> LineConfig:
        problems = Problems()
        given = self.model_fields_set
        if self.fixed_takt_s is not None and self.demand is not None:
            problems.add(
                ("demand",),
                W.TAKT_OR_DEMAND,
            )
        elif self.fixed_takt_s is None and self.demand is None:
            problems.add(
                (),
                W.A_PLAN,
            )
        elif self.fixed_takt_s is not None:
            for key in _DEMAND_KEYS:
                if key in given:
                    problems.add((key,), W.ONLY_WITH_DEMAND.format(key=key))
        problems.raise_if_any()
        return self
