"""The board file (``kind = "board"``): a progress board for supervisors, maintenance,
the store, or one station's own screen."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from andon.config import wording as W
from andon.config.errors import Problems
from andon.config.fields import Identifier, SchemaVersion, Text
from andon.config.language import Language, Translations, in_language
from andon.config.plant import PlantMember, check_line_list, plant_in_context
from andon.i18n.catalog import Translator

BoardRole = Literal["supervisor", "maintenance", "store", "station"]

OperatorName = Annotated[Text, Field(max_length=128)]
"""Who sends a board's commands: at most 128 characters, as the ``by`` of a command."""


class BoardFile(PlantMember):
    """Which lines a board shows, for whom, and how it is served."""

    kind: Literal["board"]
    schema_version: SchemaVersion
    id: Identifier
    name: Text | None = None
    """Title shown on the board; default: the id."""
    names: Translations = Field(default_factory=dict)
    """The title in other languages, e.g. ``names = { zh_CN = "总装主管看板" }``."""
    lines: list[Identifier] | None = None
    """Lines shown; default: every line of the plant."""
    role: BoardRole = "supervisor"
    station: Identifier | None = None
    """For ``role = "station"``: the station (on the one line in ``lines``) it belongs to."""
    kiosk: bool = False
    """Full screen without keyboard shortcuts to quit (a TV on the shop floor)."""
    rotate_s: float | None = Field(default=None, gt=0)
    """Cycle through the lines every this many seconds; default: show them all at once."""
    stale_after_s: float = Field(default=30, gt=0)
    """Mark a station's data stale when nothing was heard from it for this long."""
    serve_host: Text = "127.0.0.1"
    """Address the browser view listens on (``andon board --serve``)."""
    serve_port: int = Field(default=8000, ge=1, le=65535)
    operator: OperatorName | None = None
    """The name sent as ``by`` with this board's commands; default ``"board <id>"``."""
    language: Language | None = None
    """What this board speaks; default: the plant's ``[site] language``."""
    history: Text | None = Field(default=None, pattern=r"^(sqlite:///|postgresql://|postgres://)")
    """The history database the History screen reads (``sqlite:///…`` or
    ``postgresql://…``, as for ``andon report``); default: none."""

    @property
    def shown_language(self) -> str:
        """This board's language, with the plant's default filled in."""
        return self.language or self.plant_config.site.language

    @property
    def title(self) -> str:
        return self.name or self.id

    def title_in(self, language: str) -> str:
        """The title in ``language`` when the file gives it (``names``), else as written."""
        return in_language(self.title, self.names, language)

    def line_ids(self) -> list[str]:
        """The lines this board shows, with the default (all of the plant's) filled in."""
        if self.lines is not None:
            return list(self.lines)
        return [line.id for line in self.plant_config.lines]

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        shown = ", ".join(self.lines) if self.lines is not None else W.said(W.ALL_LINES, tr)
        return W.summary([self.id, W.said(W.ROLE, tr, role=self.role), shown], tr)

    @field_validator("lines", mode="after")
    @classmethod
    def _lines_of_plant(cls, lines: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if lines is not None:
            problems = Problems()
            check_line_list(lines, plant_in_context(info), problems)
            problems.raise_if_any()
        return lines

    @model_validator(mode="after")
    def _role_fits(self, info: ValidationInfo) -> BoardFile:
        self._attach_plant(info)
        problems = Problems()
        if self.role == "station":
            if self.station is None:
                problems.add(("station",), W.BOARD_STATION_ID)
            if self.lines is None or len(self.lines) != 1:
                problems.add(("lines",), W.BOARD_ONE_LINE)
        elif self.station is not None:
            problems.add(
                ("station",),
                W.BOARD_STATION_ONLY.format(role=self.role),
            )
        problems.raise_if_any()
        return self
