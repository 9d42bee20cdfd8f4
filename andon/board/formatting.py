"""How the board writes numbers, times and states: short, unambiguous, never colour alone."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel import Locale
from babel.dates import format_time

from andon.board.pending import UNSENT_REASONS
from andon.board.station_data import ShiftData
from andon.board.views import Link, Notice
from andon.i18n import DEFAULT_LANGUAGE, N_, Translator, formats
from andon.i18n.catalog import normalise_language
from andon.i18n.refusals import shown
from andon.i18n.vocabulary import (
    CALL_STATUS_WORDS,
    LINE_STOPPED,
    NO_DATA,
    NOT_JUDGED,
    ON_PLAN,
)

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
MINUS = "−"


@dataclass(frozen=True)
class PaceStyle:
    """A pace state as shown: symbol, word and a CSS class (the colour comes from the class).

    ``word`` is the English text marked for the catalogs: show it with :meth:`text`.
    """

    symbol: str
    word: str
    css: str

    def text(self, tr: Translator) -> str:
        """``● ON PLAN`` in ``tr``'s language."""
        return f"{self.symbol} {tr.gettext(self.word)}"


PACE_STYLES = {
    "normal": PaceStyle("●", ON_PLAN, "pace-normal"),
    "too_fast": PaceStyle("▲", N_("TOO FAST"), "pace-too-fast"),
    "too_slow": PaceStyle("▼", N_("TOO SLOW"), "pace-too-slow"),
}
NO_PACE = PaceStyle("○", NOT_JUDGED, "pace-none")
NO_DATA_STYLE = PaceStyle("○", NO_DATA, "pace-none")
STOPPED = PaceStyle("■", LINE_STOPPED, "line-stopped")
LINK_STYLES = {
    Link.OK: PaceStyle("✓", N_("ONLINE"), "link-ok"),
    Link.UNKNOWN: PaceStyle("?", NO_DATA, "link-unknown"),
    Link.STALE: PaceStyle("◌", N_("STALE"), "link-stale"),
    Link.OFFLINE: PaceStyle("✕", N_("OFFLINE"), "link-offline"),
}
STATUS_STYLES = {
    "raised": PaceStyle("!", CALL_STATUS_WORDS["raised"], "call-raised"),
    "acknowledged": PaceStyle("✓", CALL_STATUS_WORDS["acknowledged"], "call-acknowledged"),
    "resolved": PaceStyle("■", CALL_STATUS_WORDS["resolved"], "call-resolved"),
    "cancelled": PaceStyle("×", CALL_STATUS_WORDS["cancelled"], "call-cancelled"),
}
"""A call's state (the vocabulary's words: RAISED, TAKEN, RESOLVED, CANCELLED)."""

PACE_COLOURS = {
    "pace-normal": "green",
    "pace-too-fast": "dark_orange",
    "pace-too-slow": "yellow",
    "pace-none": "grey62",
}
"""Rich colours of the pace classes, for renderables drawn in code."""
LAMP_COLOURS = {
    "red": "red",
    "yellow": "yellow",
    "green": "green",
    "blue": "dodger_blue1",
    "white": "white",
}


def pace_style(pace: str | None) -> PaceStyle:
    """The style of a pace state (``None``: the station does not judge pace)."""
    return PACE_STYLES.get(pace or "", NO_PACE)


def duration(seconds: float | None) -> str:
    """``m:ss`` below an hour, ``h:mm:ss`` above (a stopwatch, the same in every language)."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    return formats.clock_duration(seconds)


def age(seconds: float | None, tr: Translator) -> str:
    """A rough age: ``12 s``, ``3 min``, ``2 h 05`` (``never`` when unknown), in ``tr``'s words."""
    if seconds is None:
        return tr.gettext("never")
    total = max(0, int(seconds))
    if total < 90:
        return tr.gettext("{seconds} s").format(seconds=total)
    if total < 3600:
        return tr.gettext("{minutes} min").format(minutes=total // 60)
    return tr.gettext("{hours} h {minutes}").format(
        hours=total // 3600, minutes=f"{total % 3600 // 60:02d}"
    )


def percent(fraction: float | None, tr: Translator) -> str:
    """A whole percentage in Babel's pattern of ``tr``'s language: ``72%``, ``72 %`` (de)."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return formats.percent(fraction, tr.language, digits=0)


def _sign(value: float, tr: Translator) -> str:
    """The sign ``value`` is written with in ``tr``'s language: its plus sign, or a real minus
    sign (U+2212, as wide as ``+``) where the language's minus is the ASCII hyphen."""
    symbols = Locale.parse(normalise_language(tr.language)).number_symbols["latn"]
    if value > 0:
        return str(symbols["plusSign"])
    minus = str(symbols["minusSign"])
    return MINUS if minus == "-" else minus


def signed(value: float | None, tr: Translator, digits: int = 1) -> str:
    """A difference with its sign, Babel's digits, and a real minus sign (``−7.1``, ``−7,1``).

    Zero (after rounding) carries no sign. Where the language's minus is the ASCII
    hyphen (en, de, zh), the board writes U+2212 instead: it is as wide as ``+``.
    """
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(value, digits)
    body = formats.number(abs(rounded), tr.language, digits=digits)
    return body if rounded == 0 else _sign(rounded, tr) + body


def signed_duration(seconds: float | None, tr: Translator) -> str:
    """A difference of durations as a stopwatch shows it, with the sign :func:`signed` writes:
    ``+1:05``, ``−0:40``; no sign when the whole seconds are equal."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    whole = round(seconds)
    body = duration(abs(whole))
    return body if whole == 0 else _sign(whole, tr) + body


def signed_percent(fraction: float | None, tr: Translator) -> str:
    """A signed whole percentage (a variance): ``+12%``, ``−33 %`` (de)."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    text = percent(abs(fraction), tr)
    if round(fraction * 100) == 0:
        return text
    return _sign(fraction, tr) + text


def number(value: float | None, tr: Translator, digits: int = 1) -> str:
    """A count or plan in Babel's digits of ``tr``'s language: integers without decimals."""
    if value is None or not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        return formats.number(value, tr.language)
    return formats.number(value, tr.language, digits=digits)


def seconds_text(value: float | None, tr: Translator) -> str:
    """A takt: ``160 s`` (``160 秒``)."""
    if value is None:
        return "–"
    return tr.gettext("{seconds} s").format(seconds=number(value, tr))


def clock(t: datetime | None, zone: tzinfo) -> str:
    """``HH:MM`` in the plant's time zone."""
    return "–" if t is None else formats.time_of_day(t.astimezone(zone), DEFAULT_LANGUAGE)


def clock_s(t: datetime | None, zone: tzinfo) -> str:
    """``HH:MM:SS`` in the plant's time zone."""
    return "–" if t is None else format_time(t.astimezone(zone), "HH:mm:ss", locale="en")


def sparkline(values: Sequence[float], width: int, min_span: float = 4.0) -> str:
    """The last ``width`` values as block characters, scaled between their min and max.

    A range narrower than ``min_span`` is widened around its middle, so noise of a
    fraction of a unit does not look like a swing.
    """
    if width <= 0 or not values:
        return ""
    shown = list(values)[-width:]
    low, high = min(shown), max(shown)
    if high - low < min_span:
        middle = (high + low) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((v - low) / (high - low) * top)] for v in shown)


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (eighths of a cell)."""
    if width <= 0:
        return ""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    return ("█" * full + partial).ljust(width)


COMMAND_WORDS = {
    "acknowledge": N_("acknowledge"),
    "resolve": N_("resolve"),
    "note": N_("add a note"),
    "cancel": N_("cancel"),
    "raise": N_("raise"),
    "hour_cause": N_("hour cause"),
    "stop_reason": N_("stop reason"),
}
"""The commands a board sends, as the rows waiting for them name them."""


def pending_text(command: str, tr: Translator) -> str:
    """``⧗ acknowledge pending…``: a command sent, not confirmed yet."""
    word = COMMAND_WORDS.get(command)
    name = tr.gettext(word) if word else command.replace("_", " ")
    return tr.gettext("⧗ {command} pending…").format(command=name)


def shift_text(shift: ShiftData, zone: tzinfo, tr: Translator, name: str | None = None) -> str:
    """``shift early 06:00–14:00``; ``name``: the shift's name in ``tr``'s language
    (default: its key)."""
    return tr.gettext("shift {name} {start}–{end}").format(
        name=name or shift.name, start=clock(shift.start, zone), end=clock(shift.end, zone)
    )


def notice_text(notice: Notice, tr: Translator) -> str:
    """A notice in ``tr``'s language: the command's word, the station's refusal translated."""
    if not notice.template:
        return notice.text
    fields = dict(notice.fields)
    word = COMMAND_WORDS.get(fields.get("command", ""))
    command = tr.gettext(word) if word else fields.get("command", "").replace("_", " ")
    fields["command"] = f"{command} {fields.pop('target', '')}".strip()
    if tr.language != DEFAULT_LANGUAGE:  # the station wrote its refusal in English
        reason = fields.get("reason", "")
        unsent = reason in UNSENT_REASONS  # the board's own reason it could not send
        fields["reason"] = tr.gettext(reason) if unsent else shown(reason, tr)
    return tr.gettext(notice.template).format(**fields)
