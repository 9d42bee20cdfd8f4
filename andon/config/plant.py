"""The plant file (``kind = "plant"``): everything the stations and boards of a plant share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.broker import BrokerConfig
from andon.config.calendar import CalendarConfig
from andon.config.calls import (
    DEFAULT_ROLES,
    RESERVED_CALL_TYPE_NAMES,
    CallTypeConfig,
    PersonConfig,
    default_call_types,
)
from andon.config.errors import Problems, describe_value
from andon.config.fields import ConfigPath, Identifier, SchemaVersion, Text
from andon.config.lamps import LampConfig, LampRule
from andon.config.language import Language, in_language
from andon.config.lines import LineConfig, PaceConfig, pace_problems
from andon.config.parts import PartConfig
from andon.config.reasons import MAX_REASONS, RECOMMENDED_MAX_REASONS, ReasonConfig
from andon.i18n.catalog import Translator

if TYPE_CHECKING:
    from andon.domain.calendar import Calendar


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("timezone", W.TIME_ZONE, {"got": describe_value(value)}) from None
    return value


def _check_topic_prefix(value: str) -> str:
    if not value or "/" in value or any(c in value for c in "+#$\0") or value != value.strip():
        raise PydanticCustomError(
            "topic_prefix",
            W.TOPIC_PREFIX.format(got=describe_value(value)),
        )
    return value


class SiteConfig(ConfigModel):
    """Who this plant is (``[site]``); ``id`` and ``area`` appear in every MQTT topic."""

    id: Identifier
    name: Text
    area: Identifier
    timezone: Annotated[str, AfterValidator(_check_timezone)]
    """IANA name, e.g. ``Europe/Berlin``: shift times are local times in this zone."""
    topic_prefix: Annotated[str, AfterValidator(_check_topic_prefix)] = "andon"
    language: Language = "en"
    """What every board, alert and report of the plant speaks unless it sets its own."""

    @property
    def zone(self) -> ZoneInfo:
        """The plant's time zone."""
        return ZoneInfo(self.timezone)


class DowntimeConfig(ConfigModel):
    """When a stop is a minor stop and when silence counts as a stop (``[downtime]``)."""

    minor_stop_s: float = Field(default=300, gt=0)
    """Stops shorter than this are performance loss and need no reason (点点停)."""
    no_count_takts: float = Field(default=3, gt=0)
    """No count for this many takts while scheduled, and the line is stopped."""
    hour_cause_grace_s: float | None = Field(default=None, ge=0)
    """How long after a shift's end its hours can still be explained (unset: until the
    next shift starts)."""


class PlantFile(ConfigModel):
    """The plant file: site, broker, calendar, pace, calls, people, reasons, parts and lines."""

    kind: Literal["plant"]
    schema_version: SchemaVersion
    site: SiteConfig
    broker: BrokerConfig = Field(default_factory=BrokerConfig)
    calendar: CalendarConfig
    pace: PaceConfig = Field(default_factory=PaceConfig)
    downtime: DowntimeConfig = Field(default_factory=DowntimeConfig)
    roles: dict[Identifier, Text] = Field(default_factory=dict, validate_default=True)
    """Role key to label; the built-in roles are always there (a table relabels them)."""
    call_types: dict[Identifier, CallTypeConfig] = Field(
        default_factory=dict, validate_default=True
    )
    """The built-in call types plus any defined here (a table replaces a built-in)."""
    people: list[PersonConfig] = Field(default_factory=list)
    reasons: list[ReasonConfig] = Field(default_factory=list)
    parts: list[PartConfig] = Field(default_factory=list)
    lines: list[LineConfig] = Field(min_length=1)
    lamps: LampConfig = Field(default_factory=LampConfig)
    """Lamp rules (``[[lamps.rules]]``); none means the defaults for the plant's call types."""

    # -- defaults and cross-checks ------------------------------------------------------
    # Each table is checked against the tables declared before it as soon as it is
    # valid itself, so a mistake in one table never hides the mistakes of another.

    @field_validator("roles", mode="after")
    @classmethod
    def _with_default_roles(cls, roles: dict[str, str]) -> dict[str, str]:
        return {**DEFAULT_ROLES, **roles}

    @field_validator("call_types", mode="after")
    @classmethod
    def _call_types_complete(
        cls, call_types: dict[str, CallTypeConfig], info: ValidationInfo
    ) -> dict[str, CallTypeConfig]:
        problems = Problems()
        roles = info.data.get("roles")
        for name, call in call_types.items():
            if name in RESERVED_CALL_TYPE_NAMES:
                problems.add(
                    (name,),
                    W.RESERVED_CALL_TYPE.format(got=describe_value(name)),
                )
            for index, level in enumerate(call.escalation):
                for at, role in enumerate(level.roles):
                    if roles is not None and role not in roles:
                        problems.add(
                            (name, "escalation", index, "roles", at),
                            W.ROLE_DEFINED.format(roles=_listing(roles), got=describe_value(role)),
                        )
        problems.raise_if_any()
        downtime = info.data.get("downtime")
        minor_stop_s = downtime.minor_stop_s if isinstance(downtime, DowntimeConfig) else 300.0
        merged = {**default_call_types(), **call_types}
        return {
            name: (
                call
                if call.requires_reason_after_s is not None
                else call.model_copy(update={"requires_reason_after_s": minor_stop_s})
            )
            for name, call in merged.items()
        }

    @field_validator("people", mode="after")
    @classmethod
    def _people_known(cls, people: list[PersonConfig], info: ValidationInfo) -> list[PersonConfig]:
        problems = Problems()
        _check_unique(problems, "people", "badge", [p.badge for p in people], W.UNIQUE_BADGE)
        roles = info.data.get("roles")
        for index, person in enumerate(people):
            if roles is not None and person.role not in roles:
                problems.add(
                    (index, "role"),
                    W.ROLE_DEFINED.format(roles=_listing(roles), got=describe_value(person.role)),
                )
        problems.raise_if_any()
        return people

    @field_validator("reasons", mode="after")
    @classmethod
    def _reasons_known(
        cls, reasons: list[ReasonConfig], info: ValidationInfo
    ) -> list[ReasonConfig]:
        problems = Problems()
        if len(reasons) > MAX_REASONS:
            problems.add(
                (),
                W.AT_MOST_REASONS.format(
                    most=MAX_REASONS, keep=RECOMMENDED_MAX_REASONS, got=len(reasons)
                ),
            )
        _check_unique(problems, "reasons", "code", [r.code for r in reasons], W.UNIQUE_REASON)
        call_types = info.data.get("call_types")
        for index, reason in enumerate(reasons):
            for at, call_type in enumerate(reason.applies_to):
                if call_types is not None and call_type not in call_types:
                    problems.add(
                        (index, "applies_to", at),
                        W.CALL_TYPE.format(
                            call_types=_listing(call_types), got=describe_value(call_type)
                        ),
                    )
        problems.raise_if_any()
        return reasons

    @field_validator("parts", mode="after")
    @classmethod
    def _parts_unique(cls, parts: list[PartConfig]) -> list[PartConfig]:
        problems = Problems()
        _check_unique(problems, "parts", "number", [p.number for p in parts], W.UNIQUE_PART)
        _check_unique(
            problems, "parts", "back_number", [p.back_number for p in parts], W.UNIQUE_BACK_NUMBER
        )
        problems.raise_if_any()
        return parts

    @field_validator("lines", mode="after")
    @classmethod
    def _lines_plannable(cls, lines: list[LineConfig], info: ValidationInfo) -> list[LineConfig]:
        problems = Problems()
        _check_unique(problems, "lines", "id", [line.id for line in lines], W.UNIQUE_LINE)
        calendar = info.data.get("calendar")
        pace = info.data.get("pace")
        for index, line in enumerate(lines):
            if isinstance(calendar, CalendarConfig):
                _check_plan(line, index, calendar, problems)
            if isinstance(pace, PaceConfig) and line.pace is not None:
                for key, message in pace_problems(pace.merged(line.pace), line.pace):
                    problems.add((index, "pace", key), message)
        problems.raise_if_any()
        return lines

    @field_validator("lamps", mode="after")
    @classmethod
    def _lamps_name_call_types(cls, lamps: LampConfig, info: ValidationInfo) -> LampConfig:
        call_types = info.data.get("call_types")
        if call_types is None:
            return lamps
        problems = Problems()
        for index, rule in enumerate(lamps.rules):
            parts = rule.when.split(".")
            if parts[0] == "call" and len(parts) > 1 and parts[1] not in call_types:
                problems.add(
                    ("rules", index, "when"),
                    W.SIGNAL_OF_CALL_TYPE.format(
                        call_types=_listing(call_types), got=describe_value(rule.when)
                    ),
                )
        problems.raise_if_any()
        return lamps

    # -- look-ups -----------------------------------------------------------------

    def line(self, line_id: str) -> LineConfig:
        """The line with ``line_id`` (``KeyError`` if there is none)."""
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    def part(self, number: str) -> PartConfig:
        """The part with ``number`` (``KeyError`` if there is none)."""
        for part in self.parts:
            if part.number == number:
                return part
        raise KeyError(number)

    def person(self, badge: str) -> PersonConfig | None:
        """Who carries ``badge``, if anyone."""
        return next((p for p in self.people if p.badge == badge), None)

    def role_in(self, role: str, language: str) -> str:
        """A role's label in ``language`` (the built-in roles' from the catalogs)."""
        return in_language(self.roles.get(role, role), {}, language)

    def reason(self, code: str) -> ReasonConfig | None:
        """The reason with ``code``, if any."""
        return next((r for r in self.reasons if r.code == code), None)

    def domain_calendar(self) -> Calendar:
        """The shift calendar in the site's time zone, as the domain uses it."""
        return self.calendar.to_domain(self.site.zone)

    def takt_s(self, line_id: str) -> float:
        """The adopted takt of a line in seconds."""
        return self.line(line_id).takt_s(self.calendar)

    def pace_for(self, line_id: str) -> PaceConfig:
        """The plant's pace settings with the line's overrides applied."""
        return self.pace.merged(self.line(line_id).pace)

    def lamp_rules(self) -> list[LampRule]:
        """The lamp rules in force: the configured ones, or the defaults for these call types."""
        return self.lamps.effective_rules(self.call_types)

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        return W.summary(
            [
                self.site.id,
                W.counted(len(self.lines), "line", tr),
                W.counted(len(self.calendar.shifts), "shift", tr),
                W.counted(len(self.call_types), "call type", tr),
                W.counted(len(self.reasons), "reason", tr),
                W.counted(len(self.parts), "part", tr),
                W.counted(len(self.people), "person", tr),
            ],
            tr,
        )


def _listing(names: Mapping[str, object]) -> str:
    return ", ".join(sorted(names))


def _check_unique(
    problems: Problems, table: str, key: str, values: Sequence[str | None], sentence: str
) -> None:
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            problems.add(
                (index, key),
                sentence.format(got=describe_value(value), table=table, first=first[value]),
            )
        else:
            first[value] = index


def _check_plan(line: LineConfig, index: int, calendar: CalendarConfig, problems: Problems) -> None:
    """The line's demand can be planned with this calendar."""
    if line.demand is None:
        return
    shift_names = [s.name for s in calendar.shifts]
    if line.shift is not None and line.shift not in shift_names:
        problems.add(
            (index, "shift"),
            W.SHIFT_OF_CALENDAR.format(
                shifts=", ".join(shift_names), got=describe_value(line.shift)
            ),
        )
        return
    try:
        line.takt_s(calendar)
    except ValueError as error:
        problems.add((index, "rounding_step_s"), W.PLAN_TAKT.format(error=error))


def plant_in_context(info: ValidationInfo) -> PlantFile | None:
    """The plant file the loader passed in the validation context, if it is valid."""
    plant = (info.context or {}).get("plant")
    return plant if isinstance(plant, PlantFile) else None


class PlantMember(ConfigModel):
    """A file that belongs to a plant (station, board, store) through its ``plant`` key.

    The loader validates the plant file first and hands it in through the
    validation context; the member then checks its references against it and
    keeps it as :attr:`plant_config`.
    """

    plant: ConfigPath
    """The plant file, relative to this file (usually ``plant.toml`` beside it)."""

    _plant_config: PlantFile | None = PrivateAttr(default=None)

    @property
    def plant_config(self) -> PlantFile:
        """The resolved plant file (set when loaded with :mod:`andon.config.loader`)."""
        if self._plant_config is None:
            raise RuntimeError(
                f"{type(self).__name__} was validated without its plant file; "
                "load it with andon.config.loader.load_file"
            )
        return self._plant_config

    def _attach_plant(self, info: ValidationInfo) -> PlantFile | None:
        """Keep the plant handed in by the loader; None when it is missing or invalid."""
        plant = plant_in_context(info)
        if plant is not None:
            self._plant_config = plant
        return plant


def check_line_list(lines: Sequence[str], plant: PlantFile | None, problems: Problems) -> None:
    """Each line named once and, when the plant is known, a line of the plant."""
    if not lines:
        problems.add((), W.AT_LEAST_ONE_LINE)
    known = [line.id for line in plant.lines] if plant is not None else None
    for index, line in enumerate(lines):
        if line in lines[:index]:
            problems.add((index,), W.LINE_ONCE.format(got=describe_value(line)))
        elif known is not None and line not in known:
            site = plant.site.id if plant is not None else ""
            problems.add(
                (index,),
                W.LINE_OF_PLANT.format(site=site, lines=", ".join(known), got=describe_value(line)),
            )
