"""What a board knows from configuration: its lines, call types, reasons, parts, roles.

The catalogue is plain data taken from a loaded board file (and its plant), so
the model and the screens never touch the configuration models directly and
tests can build one by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from andon.config.board import BoardFile
from andon.config.language import in_language
from andon.domain.working_time import CONTINUOUS, WorkingTime

BOARD_ROLE_TO_PLANT_ROLE: Mapping[str, str | None] = {
    "supervisor": None,
    "station": None,
    "maintenance": "maintenance",
    "store": "material_handler",
}
"""The plant role whose calls a board of each role puts first (``None``: every call)."""


@dataclass(frozen=True)
class CallTypeInfo:
    """How a call type is named, coloured and escalated."""

    name: str
    label: str
    colour: str = "yellow"
    roles_by_level: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def reaches(self, role: str, level: int | None = None) -> bool:
        """True when the ladder names ``role`` (up to ``level``, or anywhere)."""
        return any(
            role in roles
            for rung, roles in self.roles_by_level.items()
            if level is None or rung <= max(level, 1)
        )


@dataclass(frozen=True)
class ReasonInfo:
    """A reason code people pick when they resolve a call or explain an hour."""

    code: str
    label: str
    planned: bool = False
    category: str = "availability"
    applies_to: tuple[str, ...] = ()

    def applies(self, call_type: str) -> bool:
        """Whether this reason may close a call of ``call_type`` (empty: every type)."""
        return not self.applies_to or call_type in self.applies_to


@dataclass(frozen=True)
class LineInfo:
    """A line the board shows."""

    id: str
    name: str
    takt_s: float | None = None
    counting_station: str | None = None
    ideal_cycle_s: float | None = None
    """The ideal cycle of the line's performance figure (``None``: the takt)."""


@dataclass(frozen=True)
class BoardCatalogue:
    """Everything from configuration the board needs at run time."""

    board_id: str
    title: str
    prefix: str
    site: str
    area: str
    lines: tuple[LineInfo, ...]
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    role: str = "supervisor"
    station: str | None = None
    kiosk: bool = False
    rotate_s: float | None = None
    stale_after_s: float = 30.0
    operator: str | None = None
    """The board file's name for ``by`` of commands (``None``: not set)."""
    call_types: Mapping[str, CallTypeInfo] = field(default_factory=dict)
    reasons: tuple[ReasonInfo, ...] = ()
    parts: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    shifts: Mapping[str, str] = field(default_factory=dict)
    """Each shift's name as the board's readers read it, by the shift's key."""
    language: str = "en"
    """What the board speaks (the board file's ``language``, else the plant's)."""
    working_time: WorkingTime = CONTINUOUS
    """The plant's shift calendar: the line figures count planned working time only
    (:data:`CONTINUOUS` when a catalogue is made by hand without one)."""
    minor_stop_s: float = 300.0
    """Stops shorter than this are minor stops (performance loss)."""
    history: str | None = None
    """The history database URL of the History screen (None: the board keeps none)."""
    plant_file: Path | None = None
    """The plant file, beside which the station files lie (the History screen folds with them)."""

    @classmethod
    def from_board(cls, board: BoardFile, language: str | None = None) -> BoardCatalogue:
        """The catalogue of a board file loaded with :mod:`andon.config.loader`.

        Names from the configuration (lines, call types, reasons, parts, roles) are
        given in ``language`` (default: the board's), where the configuration or the
        catalogs translate them.
        """
        language = language or board.shown_language
        plant = board.plant_config
        calendar = plant.calendar
        lines = []
        for line_id in board.line_ids():
            line = plant.line(line_id)
            try:
                takt: float | None = line.takt_s(calendar)
                ideal: float | None = line.ideal_cycle_seconds(calendar)
            except (KeyError, ValueError):
                takt = ideal = None
            name = line.name_in(language)
            lines.append(LineInfo(line.id, name, takt, line.counting_station, ideal))
        return cls(
            board_id=board.id,
            title=board.title_in(language),
            prefix=plant.site.topic_prefix,
            site=plant.site.id,
            area=plant.site.area,
            lines=tuple(lines),
            zone=plant.site.zone,
            role=board.role,
            station=board.station,
            kiosk=board.kiosk,
            rotate_s=board.rotate_s,
            stale_after_s=board.stale_after_s,
            operator=board.operator,
            call_types={
                name: CallTypeInfo(
                    name=name,
                    label=spec.label_in(language),
                    colour=str(spec.colour),
                    roles_by_level={rung.level: tuple(rung.roles) for rung in spec.escalation},
                )
                for name, spec in plant.call_types.items()
            },
            reasons=tuple(
                ReasonInfo(r.code, r.label_in(language), r.planned, r.category, tuple(r.applies_to))
                for r in plant.reasons
            ),
            parts={p.number: p.name_in(language) for p in plant.parts},
            roles={key: in_language(label, {}, language) for key, label in plant.roles.items()},
            shifts={s.name: s.name_in(language) for s in calendar.shifts},
            language=language,
            working_time=plant.domain_calendar(),
            minor_stop_s=plant.downtime.minor_stop_s,
            history=board.history,
            plant_file=board.plant,
        )

    # --- look-ups ---------------------------------------------------------------

    def line(self, line_id: str) -> LineInfo | None:
        """The line with ``line_id``, if the board shows it."""
        return self._lines_by_id.get(line_id)

    @cached_property
    def _lines_by_id(self) -> dict[str, LineInfo]:
        """Every view asks for each line by id: a lookup, not a walk through 100 lines."""
        found: dict[str, LineInfo] = {}
        for line in self.lines:
            found.setdefault(line.id, line)
        return found

    def line_name(self, line_id: str) -> str:
        """The configured name of the line ``line_id`` (its id when the board does not show it)."""
        line = self._lines_by_id.get(line_id)
        return line.name if line is not None else line_id

    def station_path(self, line_id: str, station_id: str) -> str:
        """``site/area/line/station``: how a station is named on the bus."""
        return f"{self.site}/{self.area}/{line_id}/{station_id}"

    def call_label(self, call_type: str) -> str:
        """The call type's label (the type name when it is not configured)."""
        info = self.call_types.get(call_type)
        return info.label if info else call_type.replace("_", " ").capitalize()

    def call_colour(self, call_type: str) -> str:
        """The call type's lamp colour (``yellow`` when unknown)."""
        info = self.call_types.get(call_type)
        return info.colour if info else "yellow"

    def reason_label(self, code: str) -> str:
        """A reason code's label (the code itself when unknown)."""
        reason = next((r for r in self.reasons if r.code == code), None)
        return reason.label if reason else code

    def reasons_for_call(self, call_type: str) -> tuple[ReasonInfo, ...]:
        """Reasons that may resolve a call of ``call_type``."""
        return tuple(r for r in self.reasons if r.applies(call_type))

    def reasons_for_stop(self) -> tuple[ReasonInfo, ...]:
        """Reasons that may explain a stop: the availability ones (every one if none is)."""
        downtime = tuple(r for r in self.reasons if r.category == "availability")
        return downtime or self.reasons

    def shift_name(self, name: str) -> str:
        """A shift's name in the board's language (the key itself when unknown)."""
        return self.shifts.get(name, name)

    def part_name(self, number: str) -> str:
        """A part's name ('' when unknown)."""
        return self.parts.get(number, "")

    @property
    def focus_role(self) -> str | None:
        """The plant role this board serves first (``None``: every call)."""
        return BOARD_ROLE_TO_PLANT_ROLE.get(self.role)
