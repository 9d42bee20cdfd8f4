"""Numbers, percentages, times and durations written for a language, by Babel.

The board's clock-style durations (``1:30:24``) read the same in every language
shipped; everything with a decimal sign, a percent sign or a unit goes through
Babel so that German reads ``87,0 %`` and Chinese ``87.0%``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from andon.i18n.catalog import DEFAULT_LANGUAGE, normalise_language, translator

ListStyle = Literal[
    "standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"
]
"""The list styles of CLDR that :func:`listing` joins with."""


def _locale(language: str) -> Locale:
    return Locale.parse(normalise_language(language or DEFAULT_LANGUAGE))


def number(value: float, language: str, *, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and the language's separators (``1.234,5`` in German)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(language))


def signed(value: float, language: str, *, digits: int = 1) -> str:
    """``value`` with its sign always written: ``+3.5``, ``−2,0`` (de), ``+0.0``."""
    body = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=f"+{body};-{body}", locale=_locale(language))


def percent(fraction: float, language: str, *, digits: int = 1) -> str:
    """A fraction as a percentage: 0.87 → ``87.0%`` (en), ``87,0 %`` (de), ``87.0%`` (zh)."""
    locale = _locale(language)
    pattern = locale.percent_formats[None].pattern
    decimals = "." + "0" * digits if digits else ""
    pattern = pattern.replace("#,##0", "#,##0" + decimals, 1)
    return format_percent(fraction, format=pattern, locale=locale)


def clock_duration(seconds: float) -> str:
    """A duration as a stopwatch shows it: ``4:05``, ``1:30:24`` (the same in every language)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def spoken_duration(seconds: float, language: str) -> str:
    """A duration in words, rounded as people say it: ``12 minutes``, ``12 Minuten``, ``12分钟``."""
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1.5, format="long", locale=_locale(language)
    )


def elapsed(seconds: float, language: str) -> str:
    """How long something has been open, to the minute, as a person says it.

    ``less than a minute``, ``6 min``, ``1 hr 5 min``; ``6 Min.``, ``1 Std. 5 Min.``;
    ``6分钟``, ``1小时5分钟``: Babel's short units of the language, hours and
    minutes joined by the catalog's ``{hours} {minutes}``.
    """
    tr = translator(language)
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return tr.gettext("less than a minute")
    locale = _locale(language)
    shown_minutes = format_unit(minutes % 60, "duration-minute", length="short", locale=locale)
    if minutes < 60:
        return shown_minutes
    hours = format_unit(minutes // 60, "duration-hour", length="short", locale=locale)
    # Translators: an elapsed time of hours and minutes, e.g. "1 hr 5 min"; zh: "{hours}{minutes}".
    return tr.gettext("{hours} {minutes}").format(hours=hours, minutes=shown_minutes)


def exact_duration(seconds: float, language: str) -> str:
    """A duration to the second, in Babel's short units: ``40 sec``, ``3 min 0 sec``,
    ``1 hr 2 min``; ``40 Sek.``, ``3 Min. 0 Sek.``; ``40秒``, ``3分钟0秒``."""
    tr = translator(language)
    locale = _locale(language)

    def unit(value: float, name: str) -> str:
        return format_unit(value, f"duration-{name}", length="short", locale=locale)

    if abs(seconds) < 60:
        return unit(round(seconds, 3), "second")
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return tr.gettext("{hours} {minutes}").format(
            hours=unit(hours, "hour"), minutes=unit(minutes, "minute")
        )
    # Translators: minutes and seconds, e.g. "3 min 5 sec"; zh: "{minutes}{seconds}".
    return tr.gettext("{minutes} {seconds}").format(
        minutes=unit(minutes, "minute"), seconds=unit(secs, "second")
    )


def listing(items: list[str], language: str, *, style: ListStyle = "standard") -> str:
    """Items joined as the language lists them: ``A, B, and C``; ``A, B und C``; ``A、B和C``."""
    return format_list(items, style=style, locale=_locale(language)) if items else ""


def time_of_day(instant: datetime, language: str) -> str:
    """The hour and minute of an instant (in the plant's zone), as the language writes it."""
    return format_time(instant, format="HH:mm", locale=_locale(language))


def date(instant: datetime, language: str) -> str:
    """A date in the language's medium form: ``Dec 6, 2026``, ``06.12.2026``, ``2026年12月6日``."""
    return format_date(instant, format="medium", locale=_locale(language))


def short_date(instant: datetime, language: str) -> str:
    """A date in the language's short form, for narrow columns: ``12/6/26``, ``06.12.26``,
    ``2026/12/6``."""
    return format_date(instant, format="short", locale=_locale(language))


def date_time(instant: datetime, language: str) -> str:
    """Date and 24-hour time of day, joined as the language joins them.

    ``Mar 4, 2026, 06:00``, ``04.03.2026, 06:00``, ``2026年3月4日 06:00``.
    """
    locale = _locale(language)
    joined = str(locale.datetime_formats["medium"])
    return joined.replace("{1}", date(instant, language)).replace(
        "{0}", time_of_day(instant, language)
    )
