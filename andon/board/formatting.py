"""How the board writes numbers, times and states: short, unambiguous, never colour alone."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from andon.board.views import Link

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
MINUS = "−"


@dataclass(frozen=True)
class PaceStyle:
    """A pace state as shown: symbol, word and a CSS class (the colour comes from the class)."""

    symbol: str
    word: str
    css: str


PACE_STYLES = {
    "normal": PaceStyle("●", "ON PLAN", "pace-normal"),
    "too_fast": PaceStyle("▲", "TOO FAST", "pace-too-fast"),
    "too_slow": PaceStyle("▼", "TOO SLOW", "pace-too-slow"),
}
NO_PACE = PaceStyle("○", "NOT JUDGED", "pace-none")
LINK_STYLES = {
    Link.OK: PaceStyle("✓", "ONLINE", "link-ok"),
    Link.UNKNOWN: PaceStyle("?", "NO DATA", "link-unknown"),
    Link.STALE: PaceStyle("◌", "STALE", "link-stale"),
    Link.OFFLINE: PaceStyle("✕", "OFFLINE", "link-offline"),
}
STATUS_STYLES = {
    "raised": PaceStyle("!", "RAISED", "call-raised"),
    "acknowledged": PaceStyle("✓", "TAKEN", "call-acknowledged"),
    "resolved": PaceStyle("■", "RESOLVED", "call-resolved"),
    "cancelled": PaceStyle("×", "CANCELLED", "call-cancelled"),
}

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
    """``m:ss`` below an hour, ``h:mm:ss`` above; ``–`` for unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def age(seconds: float | None) -> str:
    """A rough age: ``12 s``, ``3 min``, ``2 h 05``."""
    if seconds is None:
        return "never"
    total = max(0, int(seconds))
    if total < 90:
        return f"{total} s"
    if total < 3600:
        return f"{total // 60} min"
    return f"{total // 3600} h {total % 3600 // 60:02d}"


def percent(fraction: float | None) -> str:
    """``72 %``; ``–`` for unknown."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{fraction * 100:.0f} %"


def signed(value: float | None, digits: int = 1) -> str:
    """A difference with its sign, and a real minus sign."""
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(value, digits)
    if rounded == 0:
        return f"{0:.{digits}f}"
    text = f"{abs(rounded):.{digits}f}"
    return f"+{text}" if rounded > 0 else f"{MINUS}{text}"


def number(value: float | None, digits: int = 1) -> str:
    """A count or plan: integers without decimals."""
    if value is None or not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{digits}f}"


def seconds_text(value: float | None) -> str:
    """A takt: ``160 s``."""
    if value is None:
        return "–"
    return f"{number(value)} s"


def clock(t: datetime | None, zone: tzinfo) -> str:
    """``HH:MM`` in the plant's time zone."""
    return "–" if t is None else t.astimezone(zone).strftime("%H:%M")


def clock_s(t: datetime | None, zone: tzinfo) -> str:
    """``HH:MM:SS`` in the plant's time zone."""
    return "–" if t is None else t.astimezone(zone).strftime("%H:%M:%S")


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
