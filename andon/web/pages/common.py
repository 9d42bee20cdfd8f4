"""What every page needs: the language, escaping, and the board's words and formats.

Figures come from the board's views, written with the board's formatting and
the i18n formats; words from the shared vocabulary. Every text is escaped here
before it reaches HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from html import escape
from urllib.parse import quote

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import (
    LINK_STYLES,
    STATUS_STYLES,
    PaceStyle,
    clock_s,
    duration,
    pace_style,
    seconds_text,
    signed,
    signed_percent,
)
from andon.board.views import CallView, LineView, Link, StationView
from andon.config.lines import LineConfig
from andon.config.plant import PlantFile
from andon.i18n import Translator, translator
from andon.i18n import formats as fmt
from andon.web import texts as T
from andon.web.parts import Part, attr, keyed


def e(text: object) -> str:
    """Text made safe for HTML (attributes included)."""
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Words:
    """One language's texts and formats for the pages of one catalogue."""

    catalogue: BoardCatalogue
    t: Translator
    plant: PlantFile | None = None
    """For the labels the plant gives in other languages (call types, reasons, lines)."""

    @classmethod
    def of(cls, catalogue: BoardCatalogue, language: str, plant: PlantFile | None = None) -> Words:
        return cls(catalogue, translator(language), plant)

    @property
    def lang(self) -> str:
        """The ``lang`` attribute: ``zh-CN``, ``de``, ``en``."""
        return self.t.language.replace("_", "-")

    def _(self, text: str) -> str:
        """A marked text in this language (escaped)."""
        return e(self.t.gettext(text))

    def percent(self, fraction: float | None) -> str:
        if fraction is None or not math.isfinite(fraction):
            return "–"
        return fmt.percent(fraction, self.t.language, digits=0)

    def number(self, value: float | None, digits: int = 1) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        if float(value).is_integer():
            return fmt.number(value, self.t.language)
        return fmt.number(value, self.t.language, digits=digits)

    def signed(self, value: float | None, digits: int = 1) -> str:
        return signed(value, self.t, digits)

    def signed_percent(self, fraction: float | None) -> str:
        """A variance as the board writes it: ``−33%``, ``+12 %`` (de)."""
        return signed_percent(fraction, self.t)

    def seconds(self, value: float | None) -> str:
        """A takt as the board writes it: ``160 s``, ``160 秒``."""
        return seconds_text(value, self.t)

    def clock(self, at: datetime | None) -> str:
        return clock_s(at, self.catalogue.zone)

    def duration(self, seconds: float | None) -> str:
        return duration(seconds)

    def pace(self, pace: str | None) -> tuple[PaceStyle, str]:
        style = pace_style(pace)
        return style, self._(style.word)

    def link_badge(self, station: StationView) -> str:
        style = LINK_STYLES[station.link]
        age = ""
        if station.link in (Link.STALE, Link.OFFLINE) and station.age_s is not None:
            age = f" {self.duration(station.age_s)}"
        return (
            f'<span class="chip {style.css}">{e(station.station_id)} {e(style.symbol)}'
            f"{'' if station.link is Link.OK else ' ' + self._(style.word)}{e(age)}</span>"
        )

    def status_word(self, status: str) -> tuple[str, str, str]:
        """(symbol, word, css) of a call status."""
        style = STATUS_STYLES.get(status, STATUS_STYLES["raised"])
        return style.symbol, self._(style.word), style.css

    def call_label(self, call_type: str) -> str:
        """The call type's label in this language (escaped)."""
        config = self.plant.call_types.get(call_type) if self.plant else None
        label = config.label_in(self.t.language) if config else ""
        return e(self.t.gettext(label or self.catalogue.call_label(call_type)))

    def reason_label(self, code: str) -> str:
        """A reason code's label in this language (not escaped)."""
        if self.plant is not None:
            for reason in self.plant.reasons:
                if reason.code == code:
                    return reason.label_in(self.t.language)
        return self.catalogue.reason_label(code)

    def shift_name(self, name: str) -> str:
        """A shift's name in this language (not escaped)."""
        if self.plant is not None:
            return self.plant.calendar.shift_name(name, self.t.language)
        return self.catalogue.shift_name(name)

    def line_name(self, line_id: str, default: str) -> str:
        """A line's name in this language (not escaped)."""
        line = self._plant_lines.get(line_id)
        return line.name_in(self.t.language) if line is not None else default

    def line_label(self, line_id: str) -> str:
        """The configured name of the line ``line_id`` in this language, as every call row
        shows it (its id when it is not configured; not escaped)."""
        return self.line_name(line_id, self.catalogue.line_name(line_id))

    @cached_property
    def _plant_lines(self) -> dict[str, LineConfig]:
        """A call row asks for its line's name: a lookup, not a walk through every line."""
        found: dict[str, LineConfig] = {}
        for line in self.plant.lines if self.plant is not None else ():
            found.setdefault(line.id, line)
        return found

    def call_colour(self, call_type: str) -> str:
        return self.catalogue.call_colour(call_type)


def call_href(call: CallView) -> str:
    """The call's own page (the alert's link lands here)."""
    return f"/call/{quote(call.line_id)}/{quote(call.station_id)}/{quote(call.call_id)}"


def line_href(line: LineView) -> str:
    return f"/line/{quote(line.id)}"


def call_row(w: Words, call: CallView, scope: str) -> Part:
    """One open call as a list item: type in its lamp colour, where, status, timer, level.

    Its timer is a part of its own: the second that passes changes that, not the row.
    """
    symbol, word, css = w.status_word(call.status)
    data = call.call
    extra = []
    if call.pending is not None:
        extra.append(
            f'<span class="pending">⧗ {w._(T.COMMAND_SENT_WAITING_FOR_THE_STATION)}</span>'
        )
    if data.part:
        extra.append(f"<b>{e(data.part)}</b> {e(w.catalogue.part_name(data.part))}")
    if data.express:
        extra.append(f'<span class="express">{w._(T.EXPRESS)}</span>')
    if data.acknowledged_by:
        extra.append(e(w.t.gettext("taken by {name}").format(name=data.acknowledged_by)))
    if data.reason_required:
        extra.append(f'<span class="warn">{w._(T.REASON_NEEDED)}</span>')
    if call.link is not Link.OK:
        extra.append(f'<span class="warn">{w._(LINK_STYLES[call.link].word)}</span>')
    level = f'<span class="level level-{min(call.level, 3)}">L{call.level}</span>'
    key = f"{scope}/{call.station_path}#{call.call_id}"
    timer = f"{key}/timer"
    elapsed = e(w.duration(call.elapsed_s))
    where = f"{e(w.line_label(call.line_id))} · {e(call.station_id)}"
    return Part(
        key,
        (
            f'<li class="call lamp-{e(w.call_colour(call.call_type))} {css}"{attr(key)} '
            f'data-call="{e(call.station_path)}#{e(call.call_id)}">'
            f'<a href="{call_href(call)}">'
            f'<span class="call-type">{e(symbol)} {w.call_label(call.call_type)}</span>'
            f'<span class="call-where">{where}</span>'
            f'<span class="call-status">{word}</span>',
            Part(timer, (f'<span class="timer"{attr(timer)}>{elapsed}</span>',)),
            f'{level}<span class="call-more">{" · ".join(extra)}</span></a></li>',
        ),
    )


def call_list(w: Words, calls: tuple[CallView, ...] | list[CallView], empty: str, key: str) -> Part:
    """The calls as a list part ``key``, one row part each (or the text ``empty``)."""
    if not calls:
        return Part(key, (f'<p class="empty"{attr(key)}>{w._(empty)}</p>',))
    rows = [call_row(w, c, key) for c in calls]
    return keyed(key, f'<ul class="calls"{attr(key)}>', rows, "</ul>")


def fixed(key: str, html: str, tag: str = "div", css: str = "") -> Part:
    """``html`` as one part in a ``tag`` of its own (replaced whole when it changes)."""
    cls = f' class="{css}"' if css else ""
    return Part(key, (f"<{tag}{cls}{attr(key)}>{html}</{tag}>",))
