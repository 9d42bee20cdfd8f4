"""The scenario file (``kind = "scenario"``): what happens at the line during a simulation.

The format is described in ``docs/simulate.md``. These models check each key on
its own; :mod:`andon.simulate.load` checks what needs the station files too
(station references, inputs the pin map has, instants within the scenario).
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import Problems, describe_value
from andon.config.fields import SchemaVersion, Text

_WALL = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

ACTIONS = (
    "press",
    "hold",
    "acknowledge_button",
    "count",
    "scrap",
    "fault",
    "bin",
    "scan",
    "downstream_full",
    "command",
)
"""The keys of a step that say what happens; a step has exactly one of them."""


def _wall_time(text: str) -> time | None:
    match = _WALL.match(text)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError("instant", W.INSTANT_NO_OFFSET, {"got": value.isoformat()})
    return value


def parse_instant_value(value: Any) -> datetime:
    """A TOML offset date-time, or a text in ISO 8601 with an offset."""
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return _aware(parsed)
    raise PydanticCustomError("instant", W.INSTANT, {"got": describe_value(value)})


def parse_moment_value(value: Any) -> time | datetime:
    """A plant wall time ("HH:MM" or "HH:MM:SS", or a TOML local time) or an instant."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise PydanticCustomError("moment", W.PLANT_TIME_NO_OFFSET)
        return value
    if isinstance(value, str):
        wall = _wall_time(value.strip())
        if wall is not None:
            return wall
    if isinstance(value, datetime | str):
        try:
            return parse_instant_value(value)
        except PydanticCustomError:
            pass
    raise PydanticCustomError("moment", W.MOMENT, {"got": describe_value(value)})


Instant = Annotated[datetime, PlainValidator(parse_instant_value)]
"""An absolute instant (with a UTC offset)."""

Moment = Annotated[time | datetime, PlainValidator(parse_moment_value)]
"""A plant wall time (the first such time at or after the scenario start) or an instant."""

Name = Annotated[str, Field(min_length=1, max_length=128)]


class HoldAction(ConfigModel):
    """An andon button held for ``seconds`` and released (long enough: it cancels the call)."""

    call_type: Name
    seconds: float = Field(gt=0, le=60)


class BinAction(ConfigModel):
    """A bin seen empty (``empty = true``) or full again; a push-button bin is pressed."""

    part: Name
    empty: bool


class CommandAction(ConfigModel):
    """A command from a board, the store or a notifier, as sent on ``cmd/<name>``.

    ``call`` and ``stop`` spare the scenario from knowing ids: ``call = "help"``
    (or ``"material:P-1001"``) fills ``args.call_id`` with the station's open call of
    that kind at that moment; ``stop = "fault"`` fills ``args.stop_id`` with the
    station's latest stop of that source.
    """

    name: Name
    by: str = Field(default="", max_length=128)
    args: dict[str, Any] = Field(default_factory=dict)
    call: Name | None = None
    stop: Name | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> CommandAction:
        problems = Problems()
        if self.call is not None and self.stop is not None:
            problems.add(("stop",), W.CALL_OR_STOP)
        if self.call is not None and "call_id" in self.args:
            problems.add(("call",), W.CALL_OR_CALL_ID)
        if self.stop is not None and "stop_id" in self.args:
            problems.add(("stop",), W.STOP_OR_STOP_ID)
        problems.raise_if_any()
        return self


class Step(ConfigModel):
    """One scripted moment at one station: exactly one action."""

    at: Moment
    station: Name
    press: Name | None = None
    hold: HoldAction | None = None
    acknowledge_button: Literal[True] | None = None
    count: int | None = Field(default=None, ge=1, le=1000)
    scrap: int | None = Field(default=None, ge=1, le=1000)
    fault: bool | None = None
    bin: BinAction | None = None
    scan: str | None = Field(default=None, min_length=1, max_length=200)
    scanner: Name | None = None
    downstream_full: bool | None = None
    command: CommandAction | None = None
    note: str = Field(default="", max_length=200)

    @property
    def action(self) -> str:
        """The name of the step's action."""
        return next(name for name in ACTIONS if getattr(self, name) is not None)

    def describe(self) -> str:
        """The action as the scenario wrote it, in short (for reports)."""
        name = self.action
        value = getattr(self, name)
        if isinstance(value, CommandAction):
            return f"command {value.name}"
        if isinstance(value, ConfigModel):
            details = ", ".join(f"{k}={v}" for k, v in value.model_dump().items())
            return f"{name} {details}"
        if value is True and name == "acknowledge_button":
            return name
        return f"{name} {value}"

    @model_validator(mode="after")
    def _exactly_one_action(self) -> Step:
        problems = Problems()
        given = [name for name in ACTIONS if getattr(self, name) is not None]
        if len(given) != 1:
            got = "none" if not given else " and ".join(given)
            problems.add((), W.ONE_ACTION.format(actions=", ".join(ACTIONS), got=got))
        if self.scanner is not None and self.scan is None:
            problems.add(("scanner",), W.SCANNER_WITH_SCAN)
        problems.raise_if_any()
        return self


class Production(ConfigModel):
    """Steady counting: one pulse of the station's cycle sensor every ``every_s`` seconds.

    Pulses come at ``from``, ``from + every_s`` ... before ``to``. With
    ``pause_when_stopped`` (the default) a pulse does not come while the line-stop
    relay of any station of the line is energised or this station's fault signal
    is on: the line stands.
    """

    station: Name
    from_: Moment = Field(alias="from")
    to: Moment
    every_s: float = Field(gt=0, le=86400)
    pause_when_stopped: bool = True


class ScenarioFile(ConfigModel):
    """A whole scenario file."""

    kind: Literal["scenario"]
    schema_version: SchemaVersion
    name: Text
    description: str = Field(default="", max_length=2000)
    start: Instant
    end: Instant
    stations: list[Name] | None = Field(default=None, min_length=1)
    """Station files relative to the configuration directory (default: every one in it)."""
    tick_s: float = Field(default=30.0, gt=0, le=600)
    """Longest step of simulated time between two looks at the stations (pace is judged then)."""
    production: list[Production] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ends_after_start(self) -> ScenarioFile:
        if self.end <= self.start:
            problems = Problems()
            problems.add(("end",), W.AFTER_START.format(start=self.start.isoformat()))
            problems.raise_if_any()
        return self
